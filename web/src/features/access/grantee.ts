import type { AccessGrant } from './api.js';

/** The facility zone of the platform; dates typed by the patient are Sofia calendar dates (STYLE C11). */
const FACILITY_ZONE = 'Europe/Sofia';

/**
 * The last second of a calendar day in Sofia, as an ISO instant with offset.
 * Time zone: the offset is taken at noon of that day; Sofia's DST switches happen at 03:00-04:00, so the
 * evening has the same offset as noon.
 * @param date - `YYYY-MM-DD`
 * @returns e.g. `2026-12-31T23:59:59+02:00`
 */
export function endOfDayInSofia(date: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: FACILITY_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(noon)
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = part && part !== 'GMT' ? part.replace('GMT', '') : '+00:00';
  return `${date}T23:59:59${offset}`;
}

/** How a grantee is named to the patient: a specialist's public name with the account e-mail. */
export const granteeLabel = (g: AccessGrant) => (g.grantee.displayName ? `${g.grantee.displayName} (${g.grantee.email})` : g.grantee.email);
