import type { Language } from '../../i18n/index.js';
import type { ReferenceData } from './api.js';

/** The name of a CL006 specialty in the interface language, or its code while the list is unknown. */
export function specialtyName(reference: ReferenceData | null, code: string, language: Language): string {
  const found = reference?.specialties.find((s) => s.code === code);
  if (!found) return code;
  return language === 'bg' ? found.nameBg : found.nameEn;
}

/** The name of an RHIF region in the interface language, or its code while the list is unknown. */
export function regionName(reference: ReferenceData | null, code: string, language: Language): string {
  const found = reference?.regions.find((r) => r.code === code);
  if (!found) return code;
  return language === 'bg' ? found.nameBg : found.nameEn;
}

/** A specialist's public name (Art. 15 item 3). */
export function specialistName(s: { givenName: string; familyName: string }): string {
  return `${s.givenName} ${s.familyName}`;
}
