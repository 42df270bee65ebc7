import { z } from 'zod';
import { IdentifierKindSchema, PatientDemographicsSchema } from './patients.js';

/** W8-W10: initial choice (R-GP-01), permanent change (R-GP-02/03), temporary choice (R-GP-04). */
export const GpRegistrationKindSchema = z.enum(['initial', 'permanent', 'temporary']);
export type GpRegistrationKind = z.infer<typeof GpRegistrationKindSchema>;

/** Why the choice was allowed on its date: the rule that opened it. */
export const GpBasisSchema = z.enum(['first_choice', 'change_window', 'gp_unable', 'address_change', 'temporary_stay']);
export type GpBasis = z.infer<typeof GpBasisSchema>;

export const GpEndReasonSchema = z.enum(['changed_gp', 'temporary_expired', 'replaced_by_temporary']);
export type GpEndReason = z.infer<typeof GpEndReasonSchema>;

/** The patient's data as written on the registration form (entered by the practice from the documents). */
export const GpFormPatientSchema = PatientDemographicsSchema.pick({ identifierKind: true, identifier: true, givenName: true, middleName: true, familyName: true, birthDate: true });
export type GpFormPatient = z.infer<typeof GpFormPatientSchema>;

/** A parent, guardian or curator named on the form (R-GP-08). */
export const GpRepresentativeSchema = z.object({
  basis: z.enum(['parent', 'guardian', 'curator']),
  name: z.string().trim().min(3).max(200),
  /** The document presented (birth certificate, court decision). */
  documentRef: z.string().trim().min(3).max(200),
});
export type GpRepresentative = z.infer<typeof GpRepresentativeSchema>;

export const CreateGpRegistrationBodySchema = z.object({
  kind: GpRegistrationKindSchema,
  patientId: z.uuid(),
  practitionerId: z.uuid(),
  facilityId: z.uuid(),
  /** The form's patient data: required when the practice enters the choice; the patient's own record otherwise. */
  patient: GpFormPatientSchema.optional(),
  /** Who signs the form (R-GP-08): the person, or a representative; `consent` for 14-17 and limited interdiction. */
  signer: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('self'), consent: GpRepresentativeSchema.optional() }),
      z.object({ kind: z.literal('representative'), representative: GpRepresentativeSchema }),
    ])
    .default({ kind: 'self' }),
  /** Judicial interdiction of the patient (R-GP-08). */
  interdiction: z.enum(['none', 'limited', 'full']).default('none'),
  /** Documents presented (R-GP-06): the booklet or copy 3 of the initial form, and the completed choice form. */
  documents: z
    .object({
      healthInsuranceBooklet: z.boolean().default(false),
      initialFormCopy3: z.boolean().default(false),
      choiceForm: z.boolean().default(false),
    })
    .default({ healthInsuranceBooklet: false, initialFormCopy3: false, choiceForm: false }),
  /** R-GP-03: a permanent change outside the windows, with the RHIF confirmation or the address document. */
  exception: z.object({ kind: z.enum(['gp_unable', 'address_change']), documentRef: z.string().trim().min(3).max(200) }).optional(),
  /** R-GP-09: a newborn without EGN. */
  birthNotification: z.object({ number: z.string().trim().min(1).max(30), facilityNumber: z.string().trim().regex(/^\d{10}$/) }).optional(),
  /** R-GP-04: the stay outside the permanent GP's region, first and last day. */
  temporary: z.object({ startsOn: z.iso.date(), endsOn: z.iso.date() }).optional(),
});
export type CreateGpRegistrationBody = z.infer<typeof CreateGpRegistrationBodySchema>;

export const GpRegistrationSchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    kind: GpRegistrationKindSchema,
    basis: GpBasisSchema,
    practitioner: z.object({ id: z.uuid(), name: z.string() }),
    facility: z.object({ id: z.uuid(), name: z.string(), rhifCode: z.string() }),
    /** First day on the list (НРД R-27). */
    startsOn: z.iso.date(),
    /** Temporary choices: the last day of the stay. */
    endsOn: z.iso.date().nullable(),
    /** The first day no longer on the list, and why. */
    endedOn: z.iso.date().nullable(),
    endReason: GpEndReasonSchema.nullable(),
    signer: z.enum(['self', 'representative']),
    enteredBy: z.object({ accountId: z.uuid(), role: z.string() }),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'GpRegistration' });
export type GpRegistration = z.infer<typeof GpRegistrationSchema>;

export const ChangeWindowSchema = z.object({
  /** Today in the zone the rule is read in. */
  today: z.iso.date(),
  open: z.boolean(),
  /** The last day of the open window, when open. */
  closesOn: z.iso.date().nullable(),
  /** The first day of the next window, when closed. */
  opensOn: z.iso.date().nullable(),
  windows: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type ChangeWindow = z.infer<typeof ChangeWindowSchema>;

export const PatientGpSchema = z
  .object({
    patientId: z.uuid(),
    /** The GP in charge today: a running temporary choice, else the permanent one (R-GP-05). */
    current: GpRegistrationSchema.nullable(),
    permanent: GpRegistrationSchema.nullable(),
    temporary: GpRegistrationSchema.nullable(),
    /** Every registration, newest first; nothing is ever overwritten. */
    history: z.array(GpRegistrationSchema),
    changeWindow: ChangeWindowSchema,
  })
  .meta({ id: 'PatientGp' });
export type PatientGp = z.infer<typeof PatientGpSchema>;

export const PatientListQuerySchema = z.object({
  /** The date the list is read for; today by default. */
  on: z.iso.date().optional(),
  status: z.enum(['listed', 'left']).default('listed'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export type PatientListQuery = z.infer<typeof PatientListQuerySchema>;

export const PatientListItemSchema = z.object({
  registrationId: z.uuid(),
  patientId: z.uuid(),
  givenName: z.string(),
  familyName: z.string(),
  identifierKind: IdentifierKindSchema,
  identifier: z.string(),
  birthDate: z.iso.date(),
  /** Capitation age band on the list date. */
  ageGroup: z.string(),
  kind: GpRegistrationKindSchema,
  startsOn: z.iso.date(),
  endsOn: z.iso.date().nullable(),
  endedOn: z.iso.date().nullable(),
  endReason: GpEndReasonSchema.nullable(),
});
export type PatientListItem = z.infer<typeof PatientListItemSchema>;

export const PatientListSchema = z
  .object({
    practitionerId: z.uuid(),
    on: z.iso.date(),
    status: z.enum(['listed', 'left']),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    items: z.array(PatientListItemSchema),
  })
  .meta({ id: 'PatientList' });
export type PatientList = z.infer<typeof PatientListSchema>;

export const PatientListSummaryQuerySchema = z.object({ on: z.iso.date().optional() });

export const PatientListSummarySchema = z
  .object({
    practitionerId: z.uuid(),
    on: z.iso.date(),
    /** Listed on the date, temporary choices included. */
    total: z.number().int(),
    /** Of them, here on a temporary choice (W4). */
    temporary: z.number().int(),
    ageGroups: z.array(z.object({ code: z.string(), count: z.number().int(), capitationEur: z.string(), capitationBgn: z.string() })),
    /** Monthly capitation of the list, EUR at the fixed rate. */
    capitationEur: z.string(),
    /** From the GP's contract (R-11: null means no limit). */
    capacity: z.object({ maxListSize: z.number().int().nullable(), remaining: z.number().int().nullable() }),
    /** Staff the list size requires. */
    staffing: z.object({ medicalSpecialists: z.number().int(), doctors: z.number().int() }),
    /** Patients who left, by reason. */
    left: z.array(z.object({ reason: GpEndReasonSchema, count: z.number().int() })),
  })
  .meta({ id: 'PatientListSummary' });
export type PatientListSummary = z.infer<typeof PatientListSummarySchema>;

export const ListReportQuerySchema = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) });

/**
 * The front desk looks a patient up from the documents presented (W8-W10): the form's identity data.
 * Security: in a body, never the URL (an EGN must not reach access logs); names and birth date must
 * match the record, so an identifier alone tells nothing.
 */
export const GpDeskLookupBodySchema = GpFormPatientSchema;
export type GpDeskLookupBody = z.infer<typeof GpDeskLookupBodySchema>;

/** A GP of the practice with the room left on their list (R-11: `maxListSize` null means no limit). */
export const PracticeGpSchema = z.object({
  practitionerId: z.uuid(),
  name: z.string(),
  listed: z.number().int(),
  maxListSize: z.number().int().nullable(),
  remaining: z.number().int().nullable(),
});
export type PracticeGp = z.infer<typeof PracticeGpSchema>;

export const GpDeskLookupSchema = z
  .object({
    patientId: z.uuid(),
    /** Today at the practice (Europe/Sofia), the date the choice would take effect. */
    today: z.iso.date(),
    /** Full years today: the form asks for a representative or consent accordingly (R-GP-08). */
    age: z.number().int(),
    representation: z.enum(['representative', 'consent', 'none']),
    /** The GP in charge today and whether it is a permanent or temporary choice; null: none yet. */
    currentGp: z
      .object({
        practitionerId: z.uuid(),
        practitionerName: z.string(),
        facilityName: z.string(),
        kind: GpRegistrationKindSchema,
        startsOn: z.iso.date(),
        endsOn: z.iso.date().nullable(),
      })
      .nullable(),
    /** `initial` without a permanent choice (R-GP-01), else `permanent` (R-GP-02). */
    suggestedKind: GpRegistrationKindSchema,
    changeWindow: ChangeWindowSchema,
    /** Today's NRA answer (R-NHIF-01); null when the registry did not answer or cannot (passport). */
    insurance: z.object({ status: z.enum(['insured', 'interrupted', 'not_found']), missingMonths: z.array(z.string()), nhifPays: z.boolean() }).nullable(),
    /** The practice's GPs to choose from. */
    gps: z.array(PracticeGpSchema),
  })
  .meta({ id: 'GpDeskLookup' });
export type GpDeskLookup = z.infer<typeof GpDeskLookupSchema>;
