import type { Clock } from '../../platform/clock.js';

/** A serialised public answer and the instant (epoch ms) at which time alone makes it wrong. */
export interface CachedAnswer {
  body: Buffer;
  /** E.g. the start of the earliest slot it lists: from then on the slot is past and must not be shown. */
  validUntilMs?: number;
}

export interface DirectoryCache {
  /**
   * The answer for `key`: from memory while it is young, not invalidated and not outdated by time;
   * otherwise from `compute` (concurrent requests for the same key share one computation).
   * @param key - the normalised query
   * @param compute - reads the database and serialises the answer
   * @returns the JSON body
   */
  get(key: string, compute: () => Promise<CachedAnswer>): Promise<Buffer>;
  /** Forgets every answer: a write that can change the directory has committed in this process. */
  invalidate(): void;
  /** The lifetime, entries, bytes held and hit/miss counters (bench and tests). */
  stats(): { ttlSeconds: number; entries: number; bytes: number; hits: number; misses: number };
}

/**
 * A short-lived in-process cache of public directory answers: what facilities publish (Art. 15), no
 * personal data of patients, the same for every caller.
 *
 * Correctness: every write of the registry, the schedules and bookings in this process calls
 * `invalidate()` after its transaction committed and before its response is sent, so a slot booked here is
 * never offered afterwards. Concurrency: an answer computed while a write committed is not kept (the
 * generation it started under is gone); time makes an answer wrong at `validUntilMs`. Writes made by
 * another server process are seen after at most `ttlSeconds`: no answer is served older than that (busy
 * answers are recomputed in the background before they expire; docs/registry.md#directory-performance).
 * @param opts - the clock, the lifetime of an answer (0 turns the cache off) and a memory bound
 * @returns the cache
 */
export function createDirectoryCache(opts: { clock: Clock; ttlSeconds: number; maxBytes?: number }): DirectoryCache {
  const ttlMs = Math.round(opts.ttlSeconds * 1000);
  // After this share of its lifetime, a hit starts a background refresh of the answer.
  const REFRESH_AHEAD = 0.75;
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  // Insertion order is expiry order (one lifetime for all), so the oldest entries are evicted first.
  const entries = new Map<string, { body: Buffer; expiresMs: number; refreshAtMs: number }>();
  const inflight = new Map<string, { generation: number; promise: Promise<Buffer>; token: object }>();
  let generation = 0;
  let bytes = 0;
  let hits = 0;
  let misses = 0;

  function drop(key: string): void {
    const e = entries.get(key);
    if (!e) return;
    entries.delete(key);
    bytes -= e.body.length;
  }

  function store(key: string, answer: CachedAnswer, startedMs: number): void {
    const expiresMs = Math.min(startedMs + ttlMs, answer.validUntilMs ?? Infinity);
    if (expiresMs <= startedMs || answer.body.length > maxBytes / 16) return;
    drop(key);
    entries.set(key, { body: answer.body, expiresMs, refreshAtMs: startedMs + ttlMs * REFRESH_AHEAD });
    bytes += answer.body.length;
    for (const [k, e] of entries) {
      if (bytes <= maxBytes && e.expiresMs > startedMs) break;
      drop(k);
    }
  }

  /** Computes the answer once for all concurrent callers and keeps it unless a write committed meanwhile. */
  function computeOnce(key: string, compute: () => Promise<CachedAnswer>, nowMs: number): Promise<Buffer> {
    const started = generation;
    const token = {};
    const promise = (async () => {
      try {
        const answer = await compute();
        // Concurrency: a write committed while this was computed; the answer may predate it.
        if (started === generation) store(key, answer, nowMs);
        return answer.body;
      } finally {
        if (inflight.get(key)?.token === token) inflight.delete(key);
      }
    })();
    inflight.set(key, { generation: started, promise, token });
    return promise;
  }

  return {
    async get(key, compute) {
      if (ttlMs <= 0) return (await compute()).body;
      const nowMs = opts.clock.now().epochMilliseconds;
      const hit = entries.get(key);
      if (hit && nowMs < hit.expiresMs) {
        hits += 1;
        // Performance: an answer still asked for near the end of its lifetime is recomputed in the
        // background, so busy keys never make a caller wait; the caller gets the current, unexpired one.
        // A failed refresh is dropped: the entry expires and the next caller computes (and sees the error).
        if (nowMs >= hit.refreshAtMs && !inflight.has(key)) void computeOnce(key, compute, nowMs).catch(() => undefined);
        return hit.body;
      }
      const pending = inflight.get(key);
      if (pending && pending.generation === generation) {
        hits += 1;
        return pending.promise;
      }
      misses += 1;
      return computeOnce(key, compute, nowMs);
    },
    invalidate() {
      generation += 1;
      entries.clear();
      bytes = 0;
    },
    stats: () => ({ ttlSeconds: ttlMs / 1000, entries: entries.size, bytes, hits, misses }),
  };
}

/**
 * Wraps a service so that each of its use cases, except the reads named, invalidates the directory cache
 * once it has finished (its transaction committed, or it failed), before the caller answers. New use
 * cases invalidate by default: forgetting too much costs a query, forgetting too little shows a booked slot.
 * @param service - the service object (its methods are called through the returned object)
 * @param cache - the directory cache
 * @param reads - methods that never change what the directory shows
 * @returns the same service, with its writes wrapped
 */
export function invalidateDirectoryAfterWrites<T extends object>(service: T, cache: Pick<DirectoryCache, 'invalidate'>, reads: readonly (keyof T & string)[]): T {
  const skip = new Set<string>(reads);
  const out: Record<string, unknown> = { ...(service as Record<string, unknown>) };
  for (const [name, value] of Object.entries(service)) {
    if (typeof value !== 'function' || skip.has(name)) continue;
    const fn = value as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = fn.apply(service, args);
      } catch (err) {
        cache.invalidate();
        throw err;
      }
      if (result instanceof Promise) return result.finally(() => cache.invalidate());
      cache.invalidate();
      return result;
    };
  }
  return out as T;
}
