import { Temporal } from 'temporal-polyfill';

/**
 * Pure rules of a foreigner's claim after the file is complete (W23 steps 5-6): the payout abroad
 * converted at the BNB rate of the transfer day (R-INS-09, Art. 23(2)) and the limitation of the rights
 * under the contract (R-INS-18, Art. 24). No I/O, no clock: the dated values come from `nhif_rule`.
 */

/** `ins.claim_limitation` (R-INS-18): years after the insured event, from the Insurance Code (docs/decisions.md). */
export interface ClaimLimitation {
  years: number;
}

/**
 * The last day a claim under the contract can be pursued (R-INS-18). Interpretation (ЗЗД чл. 72): a
 * period in years ends on the same day of the last year; from a 29 February event, on 28 February.
 * @param occurredOn - the local day of the insured event
 * @returns `YYYY-MM-DD`
 */
export function claimExpiresOn(occurredOn: string, limitation: ClaimLimitation): string {
  return Temporal.PlainDate.from(occurredOn).add({ years: limitation.years }).toString();
}

/**
 * Whether a claim act on `on` comes after the limitation ran out (R-INS-18).
 * @returns true when time-barred
 */
export function isTimeBarred(occurredOn: string, on: string, limitation: ClaimLimitation): boolean {
  return Temporal.PlainDate.compare(on, claimExpiresOn(occurredOn, limitation)) > 0;
}

export interface PayoutAbroad {
  /** what the insurer determined, in cents of the home currency (BGN before 2026, EUR from 2026) */
  amountCents: number;
  /** the day of the transfer abroad */
  transferredOn: string;
  /** ISO 4217 code of the currency paid abroad */
  currency: string;
  /** the central rate: units of the home currency per one unit of `currency`, up to 6 decimals */
  rate: string;
  /** the day the rate was published for */
  rateOn: string;
}

export type PayoutConversion = { cents: number } | { refused: 'insurance.payout_rate_not_transfer_day' | 'request.invalid'; rule: 'R-INS-09'; detail: string };

const RATE = /^\d{1,6}(\.\d{1,6})?$/;

/**
 * R-INS-09 (Art. 23(2)): a payout abroad is converted at the BNB central rate **on the transfer day**; a
 * rate of any other day is refused. Integer arithmetic, rounded half up to the cent.
 * @returns the amount in cents of the foreign currency, or the refusal
 */
export function convertPayoutAbroad(p: PayoutAbroad): PayoutConversion {
  if (p.rateOn !== p.transferredOn) return { refused: 'insurance.payout_rate_not_transfer_day', rule: 'R-INS-09', detail: `The rate must be the BNB central rate of the transfer day ${p.transferredOn}, not of ${p.rateOn}` };
  if (!RATE.test(p.rate) || Number(p.rate) <= 0) return { refused: 'request.invalid', rule: 'R-INS-09', detail: 'The rate is a positive decimal with at most 6 decimals' };
  const [whole, frac = ''] = p.rate.split('.');
  const micro = BigInt(whole ?? '0') * 1_000_000n + BigInt(frac.padEnd(6, '0'));
  const scaled = BigInt(p.amountCents) * 1_000_000n * 2n;
  return { cents: Number((scaled / micro + 1n) / 2n) };
}
