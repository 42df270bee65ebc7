import { z } from 'zod';

/**
 * What the NRA's insurance-status service (PIS) answers for a person and a date: insured (code 1),
 * interrupted rights with the months whose contributions are missing (code 2), or not found. No other
 * personal data comes back (R-NHIF-01; НРД 2006 чл. 137, ал. 2).
 */
export const InsuranceStatusSchema = z.enum(['insured', 'interrupted', 'not_found']);
export type InsuranceStatus = z.infer<typeof InsuranceStatusSchema>;

export const InsuranceQuerySchema = z.object({
  /** The date the status is asked for (local date); defaults to today in the platform's zone. */
  on: z.iso.date().optional(),
});
export type InsuranceQuery = z.infer<typeof InsuranceQuerySchema>;

export const InsuranceCheckSchema = z
  .object({
    patientId: z.uuid(),
    on: z.iso.date(),
    status: InsuranceStatusSchema,
    /** `YYYY-MM` months without contributions (interrupted rights only). */
    missingMonths: z.array(z.string().regex(/^\d{4}-\d{2}$/)),
    /** Whether the NHIF pays for care on that date (R-NHIF-01): only with continuous rights. */
    nhifPays: z.boolean(),
    /** When the registry answered (the cached answer keeps its time). */
    checkedAt: z.iso.datetime({ offset: true }),
    /** `registry` for a fresh round trip, `cache` for today's earlier answer. */
    source: z.enum(['registry', 'cache']),
  })
  .meta({ id: 'InsuranceCheck' });
export type InsuranceCheck = z.infer<typeof InsuranceCheckSchema>;

/**
 * Foreigners' mandatory medical insurance (W22-W23, R-INS-*): the policy a foreign patient records (E39),
 * checked against the dated rules (sum, premium, term, renewal).
 */
export const StayKindSchema = z.enum(['short', 'transit', 'long']);
const Cents = z.number().int().min(0).max(100_000_000_00);

export const ForeignPolicyInputSchema = z
  .object({
    stayKind: StayKindSchema,
    insurer: z.string().trim().min(2).max(200),
    policyNumber: z.string().trim().min(1).max(100),
    concludedOn: z.iso.date(),
    startsOn: z.iso.date(),
    /** The last day covered (inclusive). */
    endsOn: z.iso.date(),
    sumInsuredCents: Cents.min(1),
    sumCurrency: z.enum(['BGN', 'EUR']),
    premiumCents: Cents,
    premiumCurrency: z.enum(['BGN', 'EUR']),
    /** R-INS-03: only `single` is accepted; `instalments` is refused with the rule. */
    premiumPayment: z.enum(['single', 'instalments']),
    /** The policy this one renews (R-INS-06). */
    renewsPolicyId: z.uuid().optional(),
  })
  .meta({ id: 'ForeignPolicyBody' });
export type ForeignPolicyInput = z.infer<typeof ForeignPolicyInputSchema>;

export const ForeignPolicySchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    stayKind: StayKindSchema,
    insurer: z.string(),
    policyNumber: z.string(),
    concludedOn: z.iso.date(),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    termDays: z.number().int(),
    sumInsuredCents: z.number().int(),
    sumCurrency: z.enum(['BGN', 'EUR']),
    premiumCents: z.number().int(),
    premiumCurrency: z.enum(['BGN', 'EUR']),
    renewsPolicyId: z.uuid().nullable(),
    recordedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'ForeignPolicy' });
export type ForeignPolicy = z.infer<typeof ForeignPolicySchema>;

export const ForeignCoverageSchema = z.object({
  state: z.enum(['covered', 'expired', 'not_started', 'none']),
  policyId: z.uuid().nullable(),
  /** covered: the last day covered; expired: the day it ended; not_started: the first day. */
  date: z.iso.date().nullable(),
});

const CatalogueItemSchema = z.object({ code: z.string(), bg: z.string(), en: z.string() });

export const ForeignInsuranceSchema = z
  .object({
    patientId: z.uuid(),
    on: z.iso.date(),
    policies: z.array(ForeignPolicySchema),
    coverage: ForeignCoverageSchema,
    /** R-INS-06: the day by which a renewal must be concluded when the stay goes on (the covering policy's last day). */
    renewBy: z.iso.date().nullable(),
    /** R-INS-02: the minimum sum, in BGN as the source states it and in EUR at the fixed rate. */
    minimumSum: z.object({ bgnCents: z.number().int(), eurCents: z.number().int() }),
    /** R-INS-04/05: the longest term per kind of stay, in days. */
    maxTermDays: z.record(z.string(), z.number().int()),
    /** R-INS-12: what the policy covers. */
    covered: z.array(CatalogueItemSchema),
    /** R-INS-13..16: what it does not cover, with the rule and article. */
    exclusions: z.array(CatalogueItemSchema.extend({ rule: z.string(), article: z.string() })),
  })
  .meta({ id: 'ForeignInsurance' });
export type ForeignInsurance = z.infer<typeof ForeignInsuranceSchema>;

/** The booking screen asks who pays before the patient books (R-PC-13, R-INS-01, R-INS-11). */
export const BookingPaymentQuerySchema = z.object({
  serviceId: z.uuid(),
  /** The slot to book (its date is the day of care); without it, `on` or today. */
  slotId: z.uuid().optional(),
  on: z.iso.date().optional(),
});

export const BookingPaymentSchema = z
  .object({
    patientId: z.uuid(),
    serviceId: z.uuid(),
    on: z.iso.date(),
    /** false: the booking will be refused with `code` (and `rule`, `detail`). */
    allowed: z.boolean(),
    payer: z.enum(['nhif', 'patient', 'foreign_insurer']).nullable(),
    rule: z.string(),
    /** What the patient (or the insurer) pays, in euro cents; null when the NHIF pays. */
    priceEurCents: z.number().int().nullable(),
    /** R-PC-13: the booking must carry `acceptedPriceEurCents` equal to this price. */
    mustAccept: z.boolean(),
    code: z.string().nullable(),
    detail: z.string().nullable(),
    insuranceStatus: InsuranceStatusSchema.nullable(),
    missingMonths: z.array(z.string()),
    coverage: ForeignCoverageSchema.nullable(),
  })
  .meta({ id: 'BookingPayment' });
export type BookingPayment = z.infer<typeof BookingPaymentSchema>;

/** An insured event of a foreigner and its claim file (E40, W23). */
export const InsuredEventSchema = z
  .object({
    id: z.uuid(),
    policyId: z.uuid(),
    patientId: z.uuid(),
    facilityId: z.uuid(),
    requestId: z.uuid().nullable(),
    occurredAt: z.iso.datetime({ offset: true }),
    /** R-INS-07: the insurer must be told by then. */
    noticeDueAt: z.iso.datetime({ offset: true }),
    notifiedAt: z.iso.datetime({ offset: true }).nullable(),
    noticeChannel: z.enum(['letter', 'phone', 'fax', 'other']).nullable(),
    noticeOverdue: z.boolean(),
    /** R-INS-10: the documents of Art. 20(2) and when each was submitted. */
    documents: z.array(CatalogueItemSchema.extend({ optional: z.boolean(), submittedOn: z.iso.date().nullable() })),
    missing: z.array(z.string()),
    completeOn: z.iso.date().nullable(),
    /** R-INS-08: 15 days after the file is complete. */
    payoutDueOn: z.iso.date().nullable(),
    /** R-INS-18: the last day the rights under the contract can be pursued. */
    claimExpiresOn: z.iso.date(),
    /** R-INS-08/09: what the insurer paid; abroad, converted at the BNB rate of the transfer day. */
    payout: z
      .object({
        paidOn: z.iso.date(),
        cents: z.number().int(),
        currency: z.enum(['EUR', 'BGN']),
        to: z.enum(['provider', 'insured']),
        abroad: z.object({ currency: z.string(), rate: z.string(), cents: z.number().int() }).nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'InsuredEvent' });
export type InsuredEvent = z.infer<typeof InsuredEventSchema>;

export const ClaimPayoutBodySchema = z.object({
  /** the transfer day */
  paidOn: z.iso.date(),
  amountCents: z.number().int().positive().max(100_000_000_00),
  currency: z.enum(['EUR', 'BGN']),
  to: z.enum(['provider', 'insured']),
  /** R-INS-09: paid abroad in another currency, at the BNB central rate of `rateOn` (must be `paidOn`) */
  abroad: z.object({ currency: z.string().regex(/^[A-Z]{3}$/), rate: z.string().max(14), rateOn: z.iso.date() }).optional(),
});
export type ClaimPayoutBody = z.infer<typeof ClaimPayoutBodySchema>;

export const InsurerNoticeBodySchema = z.object({ channel: z.enum(['letter', 'phone', 'fax', 'other']) });
export const ClaimDocumentBodySchema = z.object({ code: z.string().min(1).max(60), submittedOn: z.iso.date() });
