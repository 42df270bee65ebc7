import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import type { ApiClient } from '../../api/client.js';
import { problemFromError, type Problem } from '../../api/problem.js';
import type { ReferenceData } from './api.js';

export type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'problem'; problem: Problem };

/**
 * Loads once per change of `key`; a newer load aborts the older one, so a slow answer never overwrites
 * a newer one. `key` must identify everything `load` reads.
 */
export function useLoad<T>(key: string | null, load: (api: ApiClient, signal: AbortSignal) => Promise<T>): Load<T> {
  const api = useApi();
  const [result, setResult] = useState<Load<T>>({ state: 'loading' });
  useEffect(() => {
    if (key === null) return undefined;
    const controller = new AbortController();
    setResult({ state: 'loading' });
    load(api, controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setResult({ state: 'ready', value });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setResult({ state: 'problem', problem: problemFromError(error) });
      },
    );
    return () => controller.abort();
    // Tricky: `load` is a new closure on every render; `key` stands for its inputs.
  }, [api, key]);
  return result;
}

/** Specialties and regions for the search form and for naming codes; null until loaded or on failure. */
export function useReference(): ReferenceData | null {
  const reference = useLoad('reference', (api, signal) => api.directory.reference({ signal }));
  return reference.state === 'ready' ? reference.value : null;
}
