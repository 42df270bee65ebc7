import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createHttp } from '../../api/http.js';
import { problemFromError, type Problem } from '../../api/problem.js';
import { useLanguage } from '../../i18n/index.js';
import { createRegistryAdminApi, type ReferenceData, type RegistryAdminApi } from './api.js';

const RegistryAdminApiContext = createContext<RegistryAdminApi | null>(null);

/** Gives the registry-admin screens an API: tests pass a fake that implements only what they call. */
export function RegistryAdminApiProvider({ api, children }: { api: RegistryAdminApi; children: ReactNode }) {
  return <RegistryAdminApiContext.Provider value={api}>{children}</RegistryAdminApiContext.Provider>;
}

/**
 * The registry-admin API: the provided one, or the real HTTP client sending the interface language as
 * `Accept-Language` (as the app's own client does), created once per component.
 */
export function useRegistryAdminApi(): RegistryAdminApi {
  const provided = useContext(RegistryAdminApiContext);
  const { language } = useLanguage();
  const languageRef = useRef(language);
  useLayoutEffect(() => {
    languageRef.current = language;
  }, [language]);
  const [fallback] = useState(() => (provided ? null : createRegistryAdminApi(createHttp({ acceptLanguage: () => languageRef.current }))));
  return provided ?? (fallback as RegistryAdminApi);
}

export type Resource<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'ready'; value: T; reload: () => void; set: (value: T) => void }
  | { state: 'problem'; problem: Problem; reload: () => void };

/**
 * Loads `load(api)` when `key` changes and on `reload()`; an older answer never overwrites a newer one.
 * `key` must identify everything `load` reads (null: do not load yet).
 */
export function useResource<T>(key: string | null, load: (api: RegistryAdminApi) => Promise<T>): Resource<T> {
  const api = useRegistryAdminApi();
  const [generation, setGeneration] = useState(0);
  const [result, setResult] = useState<{ key: string | null } & ({ state: 'loading' } | { state: 'ready'; value: T } | { state: 'problem'; problem: Problem })>({ key: null, state: 'loading' });
  useEffect(() => {
    if (key === null) return undefined;
    let live = true;
    // Tricky: a loader that throws synchronously is reported like a failed call, not as a render crash.
    Promise.resolve()
      .then(() => load(api))
      .then(
        (value) => live && setResult({ key, state: 'ready', value }),
        (error: unknown) => live && setResult({ key, state: 'problem', problem: problemFromError(error) }),
      );
    return () => {
      live = false;
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

/** Facility types, specialties, regions and service kinds; null until loaded (codes are shown meanwhile). */
export function useReferenceData(): ReferenceData | null {
  const reference = useResource('reference', (api) => api.reference());
  return reference.state === 'ready' ? reference.value : null;
}
