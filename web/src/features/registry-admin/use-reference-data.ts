import { useResource } from '../../api/use-resource.js';
import type { ReferenceData } from './api.js';

/** Facility types, specialties, regions and service kinds; null until loaded (codes are shown meanwhile). */
export function useReferenceData(): ReferenceData | null {
  const reference = useResource('reference', (api) => api.registryAdmin.reference());
  return reference.state === 'ready' ? reference.value : null;
}
