import { useResource } from '../../api/use-resource.js';
import type { ReferenceData } from './api.js';

/** Specialties and regions for the search form and for naming codes; null until loaded or on failure. */
export function useReference(): ReferenceData | null {
  const reference = useResource('directory/reference', (api, signal) => api.directory.reference({ signal }));
  return reference.state === 'ready' ? reference.value : null;
}
