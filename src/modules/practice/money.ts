/**
 * Money as decimal strings with two places, computed in integer cents (no binary floating point touches
 * money). Amounts are EUR from 1 January 2026; older records keep the BGN they were charged in and are
 * shown with their EUR equivalent at the fixed rate (DECISIONS.md item 17).
 */

export type Currency = 'EUR' | 'BGN';

export interface Money {
  /** decimal string with two places, e.g. `2.90` */
  amount: string;
  currency: Currency;
}

const AMOUNT = /^\d{1,7}(\.\d{1,2})?$/;

/** @returns true when the string is a non-negative amount with at most two decimal places */
export function isAmount(s: string): boolean {
  return AMOUNT.test(s);
}

/**
 * @param s - a decimal string, negative for a refund
 * @returns integer cents
 * @throws Error for a malformed amount
 */
export function toCents(s: string): bigint {
  if (s.startsWith('-')) return -toCents(s.slice(1));
  if (!isAmount(s)) throw new Error(`not an amount: ${s}`);
  const [i = '0', f = ''] = s.split('.');
  return BigInt(i + f.padEnd(2, '0'));
}

/** @returns the cents as a decimal string with two places */
export function fromCents(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

/** @returns the sum of the amounts, with two places */
export function sumAmounts(amounts: readonly string[]): string {
  return fromCents(amounts.reduce((s, a) => s + toCents(a), 0n));
}

/**
 * Converts BGN to EUR at the fixed rate, rounded half-up to the cent.
 * @param bgn - decimal string
 * @param rate - BGN per EUR, e.g. `1.95583` (nhif_rule `money.bgn_per_eur`)
 * @returns EUR with two places
 */
export function bgnToEur(bgn: string, rate: string): string {
  if (bgn.startsWith('-')) return fromCents(-toCents(bgnToEur(bgn.slice(1), rate)));
  const [ri = '0', rf = ''] = rate.split('.');
  const rateScaled = BigInt(ri + rf.padEnd(5, '0').slice(0, 5)); // rate × 10^5
  const num = toCents(bgn) * 100000n;
  return fromCents((num * 2n + rateScaled) / (2n * rateScaled));
}

/**
 * The amount in EUR, whatever it was charged in: EUR as is, BGN at the fixed rate.
 * @param m - the recorded amount
 * @param rate - BGN per EUR
 * @returns EUR with two places
 */
export function inEur(m: Money, rate: string): string {
  return m.currency === 'EUR' ? fromCents(toCents(m.amount)) : bgnToEur(m.amount, rate);
}
