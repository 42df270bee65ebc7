import type { AgeBandRule, StaffingRule } from './dated-rules.js';

/**
 * Pure patient-list rules (НРД 2006 ).
 */

/**
 * the capitation age band of an age in full years; bands are [fromAge, toAge).
 * @param age - full years on the list date
 * @param bands - the bands in force
 * @returns the band code
 * @throws Error when no band covers the age (a configuration fault)
 */
export function ageBand(age: number, bands: readonly AgeBandRule[]): AgeBandRule {
  const hit = bands.find((b) => age >= b.fromAge && (b.toAge === null || age < b.toAge));
  if (!hit) throw new Error(`no age band for ${age}`);
  return hit;
}

/**
 * staff a GP list of this size requires. Source issue: partial thousands are not counted here
 * (a further full 1000 / 1500 over 3500 adds one).
 * @param listed - patients on the list
 * @param rule - the thresholds in force
 * @returns medical specialists and doctors required besides the GP
 */
export function staffingRequired(listed: number, rule: StaffingRule): { medicalSpecialists: number; doctors: number } {
  let medicalSpecialists = 0;
  let doctors = 0;
  for (const t of rule.thresholds) {
    if (listed > t.over) {
      medicalSpecialists = t.specialists;
      doctors = t.doctors;
    }
  }
  const top = rule.thresholds.reduce((m, t) => Math.max(m, t.over), 0);
  if (listed > top) {
    medicalSpecialists += Math.floor((listed - top) / rule.specialistPerOver3500);
    doctors += Math.floor((listed - top) / rule.doctorPerOver3500);
  }
  return { medicalSpecialists, doctors };
}

/**
 * Converts BGN to EUR at the fixed rate, rounded half-up to the cent, computed in integer
 * ten-thousandths so no binary floating point touches money.
 * @param bgn - a decimal string, e.g. `1.09`
 * @param rate - BGN per EUR, e.g. `1.95583`
 * @returns EUR as a decimal string with two places
 */
export function bgnToEur(bgn: string, rate: string): string {
  const scale = (s: string, places: number): bigint => {
    const [i = '0', f = ''] = s.split('.');
    return BigInt(i + f.padEnd(places, '0').slice(0, places));
  };
  const num = scale(bgn, 2) * 100000n * 100n; // cents of BGN × 10^5 (rate places) × 100 (result cents)
  const den = scale(rate, 5) * 100n;
  const cents = (num * 2n + den) / (2n * den);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/**
 * Multiplies a BGN decimal amount by a count, exactly.
 * @returns a decimal string with two places
 */
export function timesBgn(bgn: string, count: number): string {
  const [i = '0', f = ''] = bgn.split('.');
  const cents = BigInt(i + f.padEnd(2, '0').slice(0, 2)) * BigInt(count);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}
