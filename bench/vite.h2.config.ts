/**
 * The project's Vite config, served over HTTPS — which makes `vite preview` an HTTP/2 server (Vite
 * uses node:http2 with TLS when no proxy is configured). The benchmark uses it to measure time to
 * panel over the transport real EHRs use (TLS + HTTP/2: one connection, every request of a wave in
 * flight at once), next to plain HTTP/1.1 where Chromium opens at most 6 connections per origin.
 *
 * Key and certificate come from BENCH_TLS_KEY / BENCH_TLS_CERT (a throw-away self-signed pair the
 * benchmark makes with openssl; Chromium is told to accept it). A small pre-middleware copies the
 * HTTP/2 `:authority` pseudo-header into `Host` for handlers written for HTTP/1.1 (the sandbox
 * builds its URLs from Host).
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type ConfigEnv, type Plugin, type UserConfig } from 'vite';
import projectConfig from '../vite.config';

const authorityAsHost: Plugin = {
  name: 'bench:h2-authority-as-host',
  configurePreviewServer(server) {
    server.middlewares.use((req, _res, next) => {
      const authority = req.headers[':authority'];
      if (!req.headers.host && typeof authority === 'string') req.headers.host = authority;
      next();
    });
  },
};

export default defineConfig(async (env: ConfigEnv): Promise<UserConfig> => {
  const base = (typeof projectConfig === 'function' ? await projectConfig(env) : await projectConfig) as UserConfig;
  const key = process.env.BENCH_TLS_KEY;
  const cert = process.env.BENCH_TLS_CERT;
  if (!key || !cert) throw new Error('BENCH_TLS_KEY and BENCH_TLS_CERT must name a key and a certificate');
  return {
    ...base,
    plugins: [authorityAsHost, ...(base.plugins ?? [])],
    preview: { ...base.preview, https: { key: readFileSync(key), cert: readFileSync(cert) } },
  };
});
