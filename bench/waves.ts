/**
 * Request waves: how many round trips the app waited for one after another.
 *
 * Definition (used by the benchmark and documented in its output): take the FHIR requests made after
 * the token response, each with the time the app issued it (`start`, the fetch() call) and the time
 * its response ended (`end`). A request's wave is 1 when no earlier request had already finished when
 * it was issued; otherwise it is 1 + the highest wave among the requests that had finished before it
 * was issued. The number of waves is the highest wave: the length of the longest chain of requests
 * each issued only after the previous one had come back — the number of latencies the user waits
 * for, at the least. One parallel wave = 1; a second page of one search adds 1; a query issued only
 * after another returned (e.g. Patient first, then the searches) adds 1.
 *
 * Using the issue time (not the time the request went on the wire) means a request the browser held
 * back for a free connection is still counted in the wave the app issued it in; that queueing shows
 * up instead as extra time to panel, and as `maxInFlight` being capped (6 per origin on HTTP/1.1).
 */
export interface Timed {
  start: number;
  end: number;
}

/** Wave number of each request (same order as the input). */
export function waveDepths(reqs: readonly Timed[]): number[] {
  const order = reqs.map((_, i) => i).sort((a, b) => (reqs[a] as Timed).start - (reqs[b] as Timed).start);
  const depth = new Array<number>(reqs.length).fill(1);
  for (let k = 0; k < order.length; k += 1) {
    const i = order[k] as number;
    const r = reqs[i] as Timed;
    let d = 1;
    for (let m = 0; m < k; m += 1) {
      const j = order[m] as number;
      const q = reqs[j] as Timed;
      if (q.end <= r.start) d = Math.max(d, (depth[j] as number) + 1);
    }
    depth[i] = d;
  }
  return depth;
}

export function countWaves(reqs: readonly Timed[]): number {
  return reqs.length === 0 ? 0 : Math.max(...waveDepths(reqs));
}

/**
 * The chain behind the wave count: starting from the request that ends last among the deepest
 * wave, step back each time to the latest-ending request of the previous wave that had finished
 * before it was issued. Returns the chain's requests (first to last) and its span (first issue to
 * last end): the part of the time to panel that the round trips of dependent requests impose.
 */
export function criticalChain(reqs: readonly Timed[]): { chain: number[]; spanMs: number } {
  if (reqs.length === 0) return { chain: [], spanMs: 0 };
  const depth = waveDepths(reqs);
  const max = Math.max(...depth);
  let cur = -1;
  for (let i = 0; i < reqs.length; i += 1) {
    if (depth[i] === max && (cur < 0 || (reqs[i] as Timed).end > (reqs[cur] as Timed).end)) cur = i;
  }
  const chain = [cur];
  while ((depth[cur] as number) > 1) {
    const r = reqs[cur] as Timed;
    let prev = -1;
    for (let j = 0; j < reqs.length; j += 1) {
      const q = reqs[j] as Timed;
      if (depth[j] === (depth[cur] as number) - 1 && q.end <= r.start && (prev < 0 || q.end > (reqs[prev] as Timed).end)) prev = j;
    }
    if (prev < 0) break;
    chain.unshift(prev);
    cur = prev;
  }
  const first = reqs[chain[0] as number] as Timed;
  const last = reqs[chain[chain.length - 1] as number] as Timed;
  return { chain, spanMs: last.end - first.start };
}

/** Highest number of requests in flight at the same moment (intervals [start, end)). */
export function maxInFlight(reqs: readonly Timed[]): number {
  const events: Array<[number, number]> = [];
  for (const r of reqs) {
    events.push([r.start, 1]);
    events.push([r.end, -1]);
  }
  // Ends before starts at the same instant: a request that ends as another starts does not overlap it.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of events) {
    cur += d;
    max = Math.max(max, cur);
  }
  return max;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
