import { z } from 'zod';

/**
 * The practice's day (docs/practice.md): price lists and fees (E24-E26, DECISIONS 17), visits and payments,
 * the phone register (W17), the walk-in queue (W19), complaints (W24), data breaches (W25), out of hours
 * (W21) and the monthly NHIF report.
 */

const Amount = z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, 'an amount such as 12.50');
export const CurrencySchema = z.enum(['EUR', 'BGN']);
const Instant = z.iso.datetime({ offset: true });

/** A price as shown (DECISIONS 17): the amount as charged, and EUR at the fixed rate for older BGN. */
export const ShownPriceSchema = z.object({ amount: z.string(), currency: CurrencySchema, eur: z.string() }).meta({ id: 'ShownPrice' });

export const PriceItemSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  name: z.string().trim().min(1).max(300),
  amount: Amount,
});
export const PriceListVersionSchema = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    effectiveFrom: z.iso.date(),
    /** the day before the next version starts; null while in force */
    effectiveTo: z.iso.date().nullable(),
    currency: CurrencySchema,
    items: z.array(PriceItemSchema.extend({ price: ShownPriceSchema })),
    createdAt: Instant,
  })
  .meta({ id: 'PriceListVersion' });
export type PriceListVersion = z.infer<typeof PriceListVersionSchema>;

export const PriceListSchema = z
  .object({
    facilityId: z.uuid(),
    today: z.iso.date(),
    current: PriceListVersionSchema.nullable(),
    /** every version, newest first */
    versions: z.array(PriceListVersionSchema),
    /** the user fee in force today and the exemption categories (R-PC-12, R-72, R-121: displayed) */
    userFee: ShownPriceSchema,
    exemptions: z.array(z.object({ code: z.string(), bg: z.string(), en: z.string() })),
  })
  .meta({ id: 'PriceList' });
export type PriceList = z.infer<typeof PriceListSchema>;

export const CreatePriceListBodySchema = z.object({
  effectiveFrom: z.iso.date(),
  items: z.array(PriceItemSchema).min(1).max(200),
});
export type CreatePriceListBody = z.infer<typeof CreatePriceListBodySchema>;

// ---- Visits and their fee ----

export const VisitPurposeSchema = z.enum(['treatment', 'prophylaxis', 'dispensary']);
export const FeeBasisSchema = z.enum(['user_fee', 'exempt', 'price_list', 'none']);

export const PaymentMethodSchema = z.enum(['cash', 'card_terminal', 'bank_transfer']);
export const PaymentPurposeSchema = z.enum(['user_fee', 'price_list', 'lab_fee', 'document']);

export const CreatePaymentBodySchema = z.object({
  purpose: PaymentPurposeSchema,
  amount: Amount,
  method: PaymentMethodSchema,
  /** the terminal slip or bank-transfer reference */
  providerReference: z.string().trim().max(100).optional(),
  /** the price-list item (purpose price_list) */
  itemCode: z.string().max(64).optional(),
  /** the laboratory (purpose lab_fee, R-PC-14) */
  lab: z.string().trim().min(1).max(200).optional(),
});
export type CreatePaymentBody = z.infer<typeof CreatePaymentBodySchema>;

export const RecordVisitBodySchema = z.object({
  patientId: z.uuid(),
  kind: z.enum(['in_person', 'home_visit']),
  purpose: VisitPurposeSchema.default('treatment'),
  /** when it started; defaults to now */
  startedAt: Instant.optional(),
  /** a user-fee exemption category the patient showed a document for (R-PC-12, R-72) */
  exemptionCode: z.string().max(64).optional(),
  /** life-saving emergency care (R-PC-13 exception) */
  emergency: z.boolean().default(false),
  /** R-PC-13: the patient was told the price before the visit (required when the price list applies) */
  priceTold: z.boolean().default(false),
  /** R-PC-16: the GP classified the home visit as patient-requested (paid) */
  homeVisitPaid: z.boolean().optional(),
  /** the walk-in queue entry this visit serves (W19) */
  queueEntryId: z.uuid().optional(),
  /** the home-visit request this visit answers (W18); its category sets the fee (R-PC-16) */
  homeVisitId: z.uuid().optional(),
  reason: z.string().trim().min(1).max(500).optional(),
  /** what the patient pays at the desk for this visit, recorded with it: a refused payment records no visit */
  payment: CreatePaymentBodySchema.optional(),
});
export type RecordVisitBody = z.infer<typeof RecordVisitBodySchema>;

export const VisitFeeSchema = z.object({
  basis: FeeBasisSchema,
  /** the rule that set it */
  rule: z.string(),
  exemptionCode: z.string().nullable(),
  itemCode: z.string().nullable(),
  due: ShownPriceSchema.nullable(),
});

export const PracticeVisitSchema = z
  .object({
    encounterId: z.uuid(),
    facilityId: z.uuid(),
    patientId: z.uuid(),
    practitionerId: z.uuid(),
    kind: z.enum(['in_person', 'phone', 'home_visit']),
    visitOn: z.iso.date(),
    nhifPaid: z.boolean(),
    purpose: VisitPurposeSchema,
    ageGroup: z.string(),
    fee: VisitFeeSchema,
    /** what was paid for this visit, in EUR */
    paidEur: z.string(),
  })
  .meta({ id: 'PracticeVisit' });
export type PracticeVisit = z.infer<typeof PracticeVisitSchema>;

export const DayQuerySchema = z.object({ date: z.iso.date().optional() });
export const PracticeVisitListSchema = z.object({ date: z.iso.date(), items: z.array(PracticeVisitSchema) }).meta({ id: 'PracticeVisitList' });

// ---- Payments and receipts ----


export const PaymentSchema = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    facilityName: z.string(),
    encounterId: z.uuid(),
    patientId: z.uuid(),
    purpose: PaymentPurposeSchema,
    itemCode: z.string().nullable(),
    lab: z.string().nullable(),
    price: ShownPriceSchema,
    method: PaymentMethodSchema,
    providerReference: z.string().nullable(),
    /** the practice's receipt number */
    receiptNumber: z.number().int(),
    paidAt: Instant,
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof PaymentSchema>;
export const PaymentListSchema = z.object({ items: z.array(PaymentSchema), totalEur: z.string() }).meta({ id: 'PaymentList' });

// ---- Phone register (W17) ----

export const CreatePhoneConsultationBodySchema = z.object({
  kind: z.enum(['medical', 'administrative']),
  caller: z.enum(['patient', 'relative', 'representative', 'other']),
  patientId: z.uuid().optional(),
  calledAt: Instant.optional(),
  basis: z.enum(['known_problem', 'test_results', 'regulatory_requirements', 'acute_until_exam']).optional(),
  outcome: z.enum(['advice', 'information', 'refused']),
  refusalReason: z.enum(['insufficient_information', 'complication_likely', 'symptoms_may_be_misread', 'problem_unclear', 'needs_examination']).optional(),
  bookedFor: Instant.optional(),
  topic: z.string().trim().min(1).max(2000),
});
export type CreatePhoneConsultationBody = z.infer<typeof CreatePhoneConsultationBodySchema>;

export const PhoneConsultationSchema = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    encounterId: z.uuid().nullable(),
    patientId: z.uuid().nullable(),
    kind: z.enum(['medical', 'administrative']),
    caller: z.string(),
    basis: z.string().nullable(),
    outcome: z.string(),
    refusalReason: z.string().nullable(),
    bookedFor: Instant.nullable(),
    calledAt: Instant,
    topic: z.string(),
  })
  .meta({ id: 'PhoneConsultation' });
export type PhoneConsultation = z.infer<typeof PhoneConsultationSchema>;
export const PhoneConsultationListSchema = z.object({ date: z.iso.date(), items: z.array(PhoneConsultationSchema) }).meta({ id: 'PhoneConsultationList' });

// ---- Walk-in queue (W19) ----

export const QueuePrioritySchema = z.enum(['emergency', 'urgent', 'pregnant', 'infant', 'other']);
export const CreateQueueEntryBodySchema = z.object({ patientId: z.uuid(), priority: QueuePrioritySchema.default('other') });
export const CloseQueueEntryBodySchema = z.object({ status: z.enum(['seen', 'left']) });
export const QueueEntrySchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    priority: QueuePrioritySchema,
    requestedAt: Instant,
    status: z.enum(['waiting', 'seen', 'left']),
    /** R-PC-01: examined within 48 h of the request */
    dueBy: Instant,
    overdue: z.boolean(),
    encounterId: z.uuid().nullable(),
  })
  .meta({ id: 'QueueEntry' });
export type QueueEntry = z.infer<typeof QueueEntrySchema>;
export const QueueSchema = z.object({ items: z.array(QueueEntrySchema) }).meta({ id: 'Queue' });

// ---- Complaints (W24) ----

export const CreateComplaintBodySchema = z.object({
  channel: z.enum(['portal', 'oral', 'mailbox', 'website', 'book']).default('portal'),
  patientId: z.uuid().optional(),
  submitterName: z.string().trim().max(200).optional(),
  contact: z.string().trim().max(200).optional(),
  topic: z.string().trim().min(1).max(200),
  text: z.string().trim().min(1).max(5000),
});
export type CreateComplaintBody = z.infer<typeof CreateComplaintBodySchema>;
export const AnswerComplaintBodySchema = z.object({ reviewedOn: z.iso.date(), reply: z.string().trim().max(5000).optional() });
export const ComplaintSchema = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    channel: z.string(),
    receivedOn: z.iso.date(),
    submitterName: z.string().nullable(),
    topic: z.string(),
    text: z.string(),
    /** R-CMP-02: no reply without name and contact */
    needsReply: z.boolean(),
    reviewBy: z.iso.date(),
    reviewedOn: z.iso.date().nullable(),
    replyBy: z.iso.date().nullable(),
    repliedOn: z.iso.date().nullable(),
    reply: z.string().nullable(),
  })
  .meta({ id: 'Complaint' });
export type Complaint = z.infer<typeof ComplaintSchema>;
export const ComplaintListSchema = z.object({ items: z.array(ComplaintSchema) }).meta({ id: 'ComplaintList' });

// ---- Personal-data breaches (W25) ----

export const CreateBreachBodySchema = z.object({ detectedAt: Instant, description: z.string().trim().min(1).max(5000) });
export const NotifyBreachBodySchema = z.object({ channel: z.enum(['waiting_room', 'website', 'both']) });
export const BreachSchema = z
  .object({ id: z.uuid(), detectedAt: Instant, notifyBy: Instant, notifiedAt: Instant.nullable(), channel: z.string().nullable(), late: z.boolean(), description: z.string() })
  .meta({ id: 'DataBreach' });
export const BreachListSchema = z.object({ items: z.array(BreachSchema) }).meta({ id: 'DataBreachList' });

// ---- Out of hours (W21) ----

export const OutOfHoursBodySchema = z.object({
  arrangement: z.enum(['group_duty_room', 'functional_duty_room', 'contract_nearest', 'individual_24h_phone']),
  partnerName: z.string().trim().max(300).optional(),
  partnerDistanceKm: z.number().min(0).max(1000).optional(),
  phone: z.string().trim().max(40).optional(),
  note: z.string().trim().max(1000).optional(),
  validFrom: z.iso.date(),
});
export const OutOfHoursSchema = OutOfHoursBodySchema.extend({ facilityId: z.uuid() }).meta({ id: 'OutOfHours' });
export type OutOfHours = z.infer<typeof OutOfHoursSchema>;

// ---- Monthly NHIF report (R-127) ----

export const NhifReportQuerySchema = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/), format: z.enum(['json', 'xml', 'pdf']).default('json') });
const Figure = z.object({ count: z.number().int(), records: z.array(z.uuid()) });
export const NhifMonthlyReportSchema = z
  .object({
    month: z.string(),
    facility: z.object({ id: z.uuid(), number: z.string(), name: z.string(), rhifCode: z.string() }),
    practitioners: z.array(z.object({ id: z.uuid(), uin: z.string() })),
    dueBy: z.iso.date(),
    visits: Figure,
    byKindAndAge: z.array(Figure.extend({ kind: z.enum(['in_person', 'phone', 'home_visit']), ageGroup: z.string() })),
    prophylaxis: Figure,
    dispensary: Figure,
    userFeeDue: Figure,
    exempted: z.array(Figure.extend({ code: z.string() })),
    paidByPatient: Figure,
    collected: z.array(Figure.extend({ purpose: PaymentPurposeSchema, currency: CurrencySchema, amount: z.string(), eur: z.string() })),
    collectedEur: z.string(),
    /** the month's referrals per form against the quarterly standard */
    referrals: z.array(Figure.extend({ form: z.string(), quarterToDate: z.number().int(), standardPerQuarter: z.number().int().nullable(), allowedWithTolerance: z.number().int().nullable(), overStandard: z.boolean() })),
    phoneRegister: z.object({ medical: z.number().int(), administrative: z.number().int() }),
  })
  .meta({ id: 'NhifMonthlyReport' });
export type NhifMonthlyReport = z.infer<typeof NhifMonthlyReportSchema>;

// ---- Home visits (W18) ----

export const CreateHomeVisitBodySchema = z.object({
  patientId: z.uuid(),
  channel: z.enum(['phone', 'in_person', 'admin_provider']),
  address: z.string().trim().min(1).max(300),
  symptoms: z.string().trim().min(1).max(2000),
  knownDiseases: z.string().trim().max(2000).optional(),
  companion: z.string().trim().max(200).optional(),
  agreedFor: Instant.optional(),
});
export type CreateHomeVisitBody = z.infer<typeof CreateHomeVisitBodySchema>;
export const DecideHomeVisitBodySchema = z.object({ careImpossibleInClinic: z.boolean(), misled: z.boolean().default(false) });
export const HomeVisitSchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    channel: z.string(),
    requestedAt: Instant,
    agreedFor: Instant.nullable(),
    address: z.string(),
    symptoms: z.string(),
    knownDiseases: z.string().nullable(),
    companion: z.string().nullable(),
    /** R-PC-16: covered (Наредба 40, the GP's decision) or paid (patient-requested) */
    category: z.enum(['covered', 'paid']).nullable(),
    reclassified: z.boolean(),
    encounterId: z.uuid().nullable(),
  })
  .meta({ id: 'HomeVisit' });
export type HomeVisit = z.infer<typeof HomeVisitSchema>;
export const HomeVisitListSchema = z.object({ items: z.array(HomeVisitSchema) }).meta({ id: 'HomeVisitList' });

// ---- Prophylaxis plan (W20) ----

export const MonthQuerySchema = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) });
export const ProphylaxisDueSchema = z
  .object({
    month: z.string(),
    items: z.array(z.object({ patientId: z.uuid(), name: z.string(), birthDate: z.iso.date(), lastExamOn: z.iso.date().nullable(), everyMonths: z.number().int() })),
  })
  .meta({ id: 'ProphylaxisDue' });
export type ProphylaxisDue = z.infer<typeof ProphylaxisDueSchema>;
