import type { Temporal } from 'temporal-polyfill';
import type { InsuranceStatus } from '../../contracts/insurance.js';
import type { InsuranceRegistryAnswer } from './insurance-registry.js';
import { InsuranceRegistryError } from './insurance-registry.js';

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Whether the NHIF pays for care on the date of the answer. Regulatory: R-NHIF-01 (uninsured persons
 * pay), НРД 2006 чл. 137, ал. 2 and чл. 146, ал. 2 (payment only with uninterrupted rights on the date of
 * service); a life-saving emergency is treated whatever the status (issue brief, R-PC-13).
 * @param status - the registry's answer
 * @param opts - `emergency` for a life-saving emergency
 * @returns true when the NHIF pays
 */
export function nhifPays(status: InsuranceStatus, opts: { emergency?: boolean } = {}): boolean {
  if (opts.emergency) return true;
  return status === 'insured';
}

/**
 * The cache day of a round trip: the local date in the platform's zone (one round trip per person per day).
 * @param now - the instant of the check
 * @param zone - IANA zone
 * @returns `YYYY-MM-DD`
 */
export function cacheDay(now: Temporal.Instant, zone: string): string {
  return now.toZonedDateTimeISO(zone).toPlainDate().toString();
}

/**
 * Checks a port answer before it is trusted or cached: a malformed answer is an outage, not a status.
 * @param raw - what the adapter returned
 * @returns the answer with sorted, unique missing months
 * @throws {InsuranceRegistryError} for anything else
 */
export function normaliseAnswer(raw: InsuranceRegistryAnswer): InsuranceRegistryAnswer {
  if (raw.code === 1 && raw.status === 'insured') return { code: 1, status: 'insured' };
  if (raw.code === 0 && raw.status === 'not_found') return { code: 0, status: 'not_found' };
  if (raw.code === 2 && raw.status === 'interrupted' && Array.isArray(raw.missingMonths)) {
    if (raw.missingMonths.length === 0 || raw.missingMonths.some((m) => typeof m !== 'string' || !MONTH_RE.test(m))) {
      throw new InsuranceRegistryError('interrupted answer without valid missing months');
    }
    return { code: 2, status: 'interrupted', missingMonths: [...new Set(raw.missingMonths)].sort() };
  }
  throw new InsuranceRegistryError('unrecognised registry answer');
}
