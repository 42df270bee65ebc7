import { useCallback, useEffect, useState } from 'react';
import { useApi } from './api-context.js';
import type { ApiClient } from './client.js';
import { problemFromError, type Problem } from './problem.js';

export type Resource<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'ready'; value: T; reload: () => void; set: (value: T) => void }
  | { state: 'problem'; problem: Problem; reload: () => void };

type Result<T> = { key: string | null } & ({ state: 'loading' } | { state: 'ready'; value: T } | { state: 'problem'; problem: Problem });

/**
 * The one way a screen loads data: `load(api)` runs when `key` changes and on `reload()`; an older
 * answer never overwrites a newer one, and an answer that arrives after the screen moved on is dropped.
 * @param key - identifies everything `load` reads (null: do not load yet)
 * @param load - the request, given the API client and a signal that aborts it once its answer is no
 *   longer wanted (another key, a reload, the screen gone)
 * @returns the resource: loading, ready (with `set` for an answer the screen already has) or a problem
 */
export function useResource<T>(key: string | null, load: (api: ApiClient, signal: AbortSignal) => Promise<T>): Resource<T> {
  const api = useApi();
  const [generation, setGeneration] = useState(0);
  const [result, setResult] = useState<Result<T>>({ key: null, state: 'loading' });
  useEffect(() => {
    if (key === null) return undefined;
    let live = true;
    const controller = new AbortController();
    // Tricky: a loader that throws synchronously is reported like a failed call, not as a render crash.
    Promise.resolve()
      .then(() => load(api, controller.signal))
      .then(
        (value) => live && setResult({ key, state: 'ready', value }),
        (error: unknown) => live && setResult({ key, state: 'problem', problem: problemFromError(error) }),
      );
    return () => {
      live = false;
      controller.abort();
    };
    // Tricky: `load` is a new closure on every render; `key` and `generation` stand for its inputs.
  }, [api, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const set = useCallback((value: T) => setResult({ key, state: 'ready', value }), [key]);
  // A reload keeps showing the current data; another key shows "loading" until its own answer arrives.
  if (result.key !== key) return { state: 'loading', reload };
  if (result.state === 'ready') return { state: 'ready', value: result.value, reload, set };
  if (result.state === 'problem') return { state: 'problem', problem: result.problem, reload };
  return { state: 'loading', reload };
}

/** The value of a ready resource, else undefined (for screens that show a value or nothing). */
export function valueOf<T>(resource: Resource<T>): T | undefined {
  return resource.state === 'ready' ? resource.value : undefined;
}

/** The problem of a failed resource, else undefined. */
export function problemOf<T>(resource: Resource<T>): Problem | undefined {
  return resource.state === 'problem' ? resource.problem : undefined;
}
