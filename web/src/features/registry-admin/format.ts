import type { Language } from '../../i18n/index.js';
import { locales } from '../../i18n/index.js';
import { sofiaDate } from '../directory/format.js';
import type { ReferenceData } from './api.js';

export { formatEur, weekdayName } from '../directory/format.js';
export { regionName, specialtyName } from '../directory/names.js';

/** An ISO calendar date (YYYY-MM-DD) as a date in the interface language, e.g. "1 март 2026 г.". */
export function formatDate(isoDate: string, language: Language): string {
  // Time zone: a calendar date has none; format it at UTC noon so no zone can move it to another day.
  return new Intl.DateTimeFormat(locales[language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoDate}T12:00:00Z`));
}

/** Today's date in Europe/Sofia (the facility's wall calendar), for default "valid from" dates. */
export function todayInSofia(now: Date = new Date()): string {
  return sofiaDate(now.toISOString());
}

/** A facility type's name in the interface language, or its code while the list is unknown. */
export function facilityTypeName(reference: ReferenceData | null, code: string, language: Language): string {
  const found = reference?.facilityTypes.find((f) => f.code === code);
  if (!found) return code;
  return language === 'bg' ? found.nameBg : found.nameEn;
}

/** A service kind's name in the interface language, or its code while the list is unknown. */
export function serviceKindName(reference: ReferenceData | null, code: string, language: Language): string {
  const found = reference?.serviceKinds.find((k) => k.code === code);
  if (!found) return code;
  return language === 'bg' ? found.nameBg : found.nameEn;
}

/**
 * Art. 7 as the reference data states it: the rule that excludes a kind of service in a specialty
 * (R-TM-13/16/17), or null when admissible. The server decides; this only warns before sending.
 * @param reference - reference data (service kinds carry their rule; dental specialties are flagged)
 * @param kindCode - the service kind
 * @param specialtyCode - the CL006 specialty
 * @returns the rule id, or null
 */
export function exclusionRule(reference: ReferenceData | null, kindCode: string, specialtyCode: string): string | null {
  const kind = reference?.serviceKinds.find((k) => k.code === kindCode);
  if (!kind) return null;
  if (kind.prohibitedRule) return kind.prohibitedRule;
  const specialty = reference?.specialties.find((s) => s.code === specialtyCode);
  if (specialty?.dental && !kind.allowedForDental) return 'R-TM-13';
  return null;
}

/** "Given Family" of a specialist. */
export function personName(p: { givenName: string; familyName: string }): string {
  return `${p.givenName} ${p.familyName}`;
}

/** Euro cents as the decimal the price field shows ("35.50"), empty for none. */
export function centsToEur(cents: number | null): string {
  return cents === null ? '' : (cents / 100).toFixed(2);
}

/** The price field ("35", "35,50", "35.50") as euro cents; NaN when it is not an amount (the contract then refuses it). */
export function eurToCents(text: string): number {
  const normalised = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(normalised)) return Number.NaN;
  return Math.round(Number(normalised) * 100);
}
