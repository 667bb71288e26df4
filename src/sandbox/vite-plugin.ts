/**
 * Vite plugin that mounts the local SMART sandbox, and the CDS service at /cds-services beside it
 * (cds-mount.ts), on the dev server (`npm start`) and on the preview server (`vite preview`, used by
 * e2e and the benchmark). vite.config.ts loads it only for those two commands, so no sandbox or CDS
 * code enters the production bundle.
 *
 * The middleware is added directly in the hooks (not in a returned post-hook), so /sandbox/** and
 * /fhir/** are answered before Vite's own static and HTML handling; every other path falls through
 * to Vite. The data is loaded once per server, when it starts.
 */
import type { Connect, Plugin } from 'vite';
import type { CdsHandler } from '../cds/handler';
import { createLocalCdsHandler } from './cds-mount';
import { createSandbox, type Sandbox, type SandboxOptions } from './server';

export function sandboxPlugin(options: SandboxOptions = {}): Plugin {
  let sandbox: Sandbox | undefined;
  let cds: CdsHandler | undefined;
  const mount = async (middlewares: Connect.Server, root: string, onClose: (fn: () => void) => void): Promise<void> => {
    sandbox ??= await createSandbox({ root, ...options });
    const sb = sandbox;
    const service = (cds ??= createLocalCdsHandler(sb));
    middlewares.use((req, res, next) => service(req, res, next));
    middlewares.use((req, res, next) => sb.handle(req, res, next));
    onClose(() => sb.close());
  };
  return {
    name: 'local-smart-sandbox',
    apply: (_config, env) => env.command === 'serve' || env.isPreview === true,
    async configureServer(server) {
      await mount(server.middlewares, server.config.root, (fn) => server.httpServer?.once('close', fn));
      // Point the developer at the sandbox's home page, right under Vite's own URLs.
      const printUrls = server.printUrls.bind(server);
      server.printUrls = () => {
        printUrls();
        const local = server.resolvedUrls?.local[0];
        if (local) {
          server.config.logger.info(`  ➜  Sandbox: ${new URL('sandbox/', local).href}  (pick a patient, press Launch)`);
          server.config.logger.info(`  ➜  CDS Hooks: ${new URL('cds-services', local).href}`);
        }
      };
    },
    async configurePreviewServer(server) {
      await mount(server.middlewares, server.config.root, (fn) => server.httpServer.once('close', fn));
    },
  };
}
