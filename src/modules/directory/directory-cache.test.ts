import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createDirectoryCache, invalidateDirectoryAfterWrites, type CachedAnswer } from './directory-cache.js';

// The directory's answer cache (R-TM-32): what it keeps, for how long, and what makes it forget.

const body = (s: string) => Buffer.from(s);
/** A computation the test finishes by hand. */
function deferred() {
  let resolve: (a: CachedAnswer) => void = () => undefined;
  const promise = new Promise<CachedAnswer>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('directory cache', () => {
  it('computes once for concurrent callers and serves the answer for its lifetime', async () => {
    const clock = fixedClock('2026-11-25T08:00:00Z');
    const cache = createDirectoryCache({ clock, ttlSeconds: 5 });
    let calls = 0;
    const d = deferred();
    const compute = () => ((calls += 1), d.promise);
    const a = cache.get('k', compute);
    const b = cache.get('k', compute);
    d.resolve({ body: body('one') });
    expect((await a).toString()).toBe('one');
    expect((await b).toString()).toBe('one');
    expect(calls).toBe(1);
    clock.advance({ milliseconds: 4999 });
    expect((await cache.get('k', async () => ({ body: body('two') }))).toString()).toBe('one');
    clock.advance({ milliseconds: 1 });
    expect((await cache.get('k', async () => ({ body: body('two') }))).toString()).toBe('two');
  });

  it('does not keep an answer computed while a write committed, and forgets everything on invalidate', async () => {
    const cache = createDirectoryCache({ clock: fixedClock('2026-11-25T08:00:00Z'), ttlSeconds: 5 });
    const d = deferred();
    const stale = cache.get('k', () => d.promise);
    cache.invalidate();
    // A caller after the write does not join the computation that started before it.
    const fresh = cache.get('k', async () => ({ body: body('after') }));
    d.resolve({ body: body('before') });
    expect((await stale).toString()).toBe('before');
    expect((await fresh).toString()).toBe('after');
    expect((await cache.get('k', async () => ({ body: body('again') }))).toString()).toBe('after');
    cache.invalidate();
    expect((await cache.get('k', async () => ({ body: body('again') }))).toString()).toBe('again');
  });

  it('never serves an answer past validUntilMs (a listed slot has started)', async () => {
    const clock = fixedClock('2026-11-25T08:00:00Z');
    const cache = createDirectoryCache({ clock, ttlSeconds: 60 });
    await cache.get('k', async () => ({ body: body('with slot'), validUntilMs: clock.now().epochMilliseconds + 1000 }));
    clock.advance({ milliseconds: 999 });
    expect((await cache.get('k', async () => ({ body: body('later') }))).toString()).toBe('with slot');
    clock.advance({ milliseconds: 1 });
    expect((await cache.get('k', async () => ({ body: body('later') }))).toString()).toBe('later');
  });

  it('recomputes a busy answer in the background before it expires, and never serves one older than the lifetime', async () => {
    const clock = fixedClock('2026-11-25T08:00:00Z');
    const cache = createDirectoryCache({ clock, ttlSeconds: 4 });
    await cache.get('k', async () => ({ body: body('v1') }));
    clock.advance({ seconds: 3 }); // 75 % of the lifetime
    const d = deferred();
    expect((await cache.get('k', () => d.promise)).toString()).toBe('v1');
    d.resolve({ body: body('v2') });
    await tick();
    clock.advance({ milliseconds: 1500 }); // v1 would have expired; v2 was computed at 3 s
    expect((await cache.get('k', async () => ({ body: body('v3') }))).toString()).toBe('v2');
    expect(cache.stats().misses).toBe(1);
  });

  it('with a lifetime of 0 it computes every time', async () => {
    const cache = createDirectoryCache({ clock: fixedClock('2026-11-25T08:00:00Z'), ttlSeconds: 0 });
    let n = 0;
    const compute = async () => ({ body: body(String((n += 1))) });
    await cache.get('k', compute);
    expect((await cache.get('k', compute)).toString()).toBe('2');
  });
});

describe('invalidateDirectoryAfterWrites', () => {
  it('forgets the cache after every use case except the named reads, also when one fails', async () => {
    let forgotten = 0;
    const cache = { invalidate: () => void (forgotten += 1) };
    const service = {
      async read() {
        return 1;
      },
      async write() {
        expect(forgotten).toBe(0); // Concurrency: not before the use case has finished
        return 2;
      },
      async failing() {
        throw new Error('refused');
      },
      added() {
        return 3;
      },
    };
    const wrapped = invalidateDirectoryAfterWrites(service, cache, ['read']);
    expect(await wrapped.read()).toBe(1);
    expect(forgotten).toBe(0);
    expect(await wrapped.write()).toBe(2);
    expect(forgotten).toBe(1);
    await expect(wrapped.failing()).rejects.toThrow('refused');
    expect(forgotten).toBe(2);
    // A use case nobody listed counts as a write.
    expect(wrapped.added()).toBe(3);
    expect(forgotten).toBe(3);
  });
});
