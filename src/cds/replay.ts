/**
 * JWT replay protection: each `iss` + `jti` is accepted once while the token could still be used.
 *
 * The only state the service keeps. `ReplayCache` is an interface with an async `claim` so a
 * deployment that needs replays caught across instances can put a shared store behind it (for
 * example Redis `SET key 1 NX PXAT <expiry>`); the service ships the in-memory one, per instance
 * (the choice and what it means behind a load balancer: docs/cds-hooks.md, "Scaling").
 *
 * Memory is bounded: an entry lives until its token can no longer be accepted (jwt.ts bounds that to
 * `iat` + 10 minutes at most), expired entries are swept, and at `capacity` live entries the cache
 * answers `full`: the call is refused (503) rather than accepted unchecked. Fail closed: a replay
 * must never get through because the cache was busy.
 */

export type ClaimResult = 'fresh' | 'replayed' | 'full';

export interface ReplayCache {
  /** Records `key` until `expiresAtMs`; says whether it was new. */
  claim(key: string, expiresAtMs: number, nowMs?: number): Promise<ClaimResult>;
}

export const DEFAULT_REPLAY_CAPACITY = 200_000;
const SWEEP_EVERY_MS = 30_000;
/** When full, a sweep at most this often (a sweep walks every entry). */
const FULL_SWEEP_EVERY_MS = 1_000;

export class MemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly capacity = DEFAULT_REPLAY_CAPACITY) {}

  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    for (const [k, exp] of this.seen) if (exp <= now) this.seen.delete(k);
    this.lastSweep = now;
  }

  async claim(key: string, expiresAtMs: number, nowMs = Date.now()): Promise<ClaimResult> {
    return this.claimNow(key, expiresAtMs, nowMs);
  }

  /** The synchronous core of `claim` (no await between the check and the record). */
  claimNow(key: string, expiresAtMs: number, nowMs = Date.now()): ClaimResult {
    const known = this.seen.get(key);
    if (known !== undefined && known > nowMs) return 'replayed';
    const since = nowMs - this.lastSweep;
    if (since >= SWEEP_EVERY_MS || (this.seen.size >= this.capacity && since >= FULL_SWEEP_EVERY_MS)) this.sweep(nowMs);
    if (this.seen.size >= this.capacity) return 'full';
    this.seen.set(key, expiresAtMs);
    return 'fresh';
  }
}
