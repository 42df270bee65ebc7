import { z } from 'zod';
import { Instant } from './common.js';
import { Art7ChecklistSchema } from './consent.js';

// Telemedicine requests and booking (Art. 8, 12, 14, 18). Shared by the server routes and the
// web client. Persisted shape of the encrypted form (RequestFormSchema): changes need a compatible
// reader or a migration of the stored envelopes.

const SpecialtyCode = z.string().regex(/^\d{4}$/, 'four-digit specialty code');
const Text = (max: number) => z.string().trim().max(max);

/** Art. 14(1): planned or emergency. */
export const UrgencySchema = z.enum(['planned', 'emergency']);
export type Urgency = z.infer<typeof UrgencySchema>;
/** Art. 14(4): with direct interaction (real time) or without (store and forward). */
export const ModeSchema = z.enum(['synchronous', 'asynchronous']);
export type Mode = z.infer<typeof ModeSchema>;

/** The lifecycle (request-status.ts holds the transition table). */
export const RequestStatusSchema = z.enum([
  'requested', // filed, waiting for the providing specialist
  'accepted', // the specialist accepted (an emergency: acknowledged)
  'declined', // the specialist declined (Art. 9: with reasons)
  'scheduled', // a time is fixed (real time) or the review is queued (store and forward)
  'in_progress', // the service is under way
  'completed', // the service ended (Art. 17 deadlines start)
  'documented', // results recorded (Art. 17, 20)
  'cancelled', // cancelled by either side, with a reason
  'noshow', // the recipient did not come
]);
export type RequestStatus = z.infer<typeof RequestStatusSchema>;

export const RequestActionSchema = z.enum(['accept', 'decline', 'schedule', 'start', 'complete', 'document', 'cancel', 'no_show', 'reschedule']);
export type RequestAction = z.infer<typeof RequestActionSchema>;

/** FHIR Appointment.status. */
export const AppointmentStatusSchema = z.enum(['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist']);
export type AppointmentStatus = z.infer<typeof AppointmentStatusSchema>;

/** Art. 12: the health information the patient or the representative owes. All optional, each ≤ 4000 characters. */
export const IntakeSchema = z.object({
  anamnesis: Text(4000).optional(),
  careSoFar: Text(4000).optional(),
  dispensary: Text(4000).optional(),
  medicines: Text(4000).optional(),
  riskFactors: Text(4000).optional(),
  other: Text(4000).optional(),
});
export type Intake = z.infer<typeof IntakeSchema>;

/** The encrypted part of the Art. 18 form (items 4-5) and the Art. 12 intake. */
export const RequestFormSchema = z.object({
  phone: z.string(),
  circumstances: z.string().nullable(),
  intake: IntakeSchema,
});
export type RequestForm = z.infer<typeof RequestFormSchema>;

const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{5,19}$/, 'a phone number such as +359 88 123 4567');

/**
 * The Art. 18 request form, filled by the recipient (R-TM-31). Facility (item 1), specialty and
 * specialist (item 2), slot (item 3, only with direct interaction, R-TM-30), recipient phone (item 4),
 * other circumstances (item 5), and the Art. 12 intake.
 */
export const CreateRequestBodySchema = z.object({
  urgency: UrgencySchema,
  mode: ModeSchema,
  /** The providing facility (Art. 18 item 1). */
  facilityId: z.uuid(),
  /** The specialist's specialty (Art. 18 item 2). */
  specialtyCode: SpecialtyCode,
  /** The published service (planned requests, R-TM-08). */
  serviceId: z.uuid().optional(),
  /** The specialist (planned; for real time it must be the slot's specialist). */
  practitionerId: z.uuid().optional(),
  /** A free slot of the published schedule (planned, with direct interaction only). */
  slotId: z.uuid().optional(),
  /** Whose care it is: required for representatives, defaults to the patient's own record. */
  patientId: z.uuid().optional(),
  /** The requesting specialist's facility (specialists working for several facilities). */
  requesterFacilityId: z.uuid().optional(),
  phone: Phone,
  circumstances: Text(2000).optional(),
  intake: IntakeSchema.default({}),
  /** R-PC-13: the price the patient was shown and accepts when the NHIF does not pay (see GET /patients/:id/booking-payment). */
  acceptedPriceEurCents: z.number().int().min(0).optional(),
  /**
   * W14: the НРН of the patient's referral (№ 3, 3А or 6) when the NHIF pays for a specialist; the booking
   * uses it once (R-REF-01/04: within its validity). Ignored when the patient pays.
   */
  referralNrn: z.string().trim().regex(/^[0-9A-Za-z]{12}$/).optional(),
});
export type CreateRequestBody = z.input<typeof CreateRequestBodySchema>;

export const AppointmentSchema = z
  .object({
    id: z.uuid(),
    requestId: z.uuid(),
    practitionerId: z.uuid(),
    facilityId: z.uuid(),
    start: Instant,
    end: Instant,
    status: AppointmentStatusSchema,
    version: z.number().int(),
  })
  .meta({ id: 'Appointment' });
export type Appointment = z.infer<typeof AppointmentSchema>;

export const RequestPartySchema = z.object({
  kind: z.enum(['patient', 'representative', 'specialist']),
  accountId: z.uuid().nullable(),
  practitionerId: z.uuid().nullable(),
  /** A specialist's public name (never a patient's). */
  practitionerName: z.string().nullable(),
  facilityId: z.uuid().nullable(),
  facilityName: z.string().nullable(),
  patientId: z.uuid().nullable(),
});

export const ServiceRequestSchema = z
  .object({
    id: z.uuid(),
    urgency: UrgencySchema,
    mode: ModeSchema,
    status: RequestStatusSchema,
    version: z.number().int(),
    requester: RequestPartySchema,
    recipient: RequestPartySchema,
    patientId: z.uuid().nullable(),
    provider: z.object({
      facilityId: z.uuid(),
      facilityName: z.string(),
      specialtyCode: z.string(),
      specialtyName: z.string(),
      serviceId: z.uuid().nullable(),
      serviceName: z.string().nullable(),
      practitionerId: z.uuid().nullable(),
      practitionerName: z.string().nullable(),
    }),
    slotId: z.uuid().nullable(),
    /** Who acknowledged (emergency) or accepted, and when. */
    acceptedAt: Instant.nullable(),
    acceptedByPractitionerName: z.string().nullable(),
    createdAt: Instant,
    updatedAt: Instant,
    /** Which side the viewer is on, and what the viewer may do now. */
    viewerSide: z.enum(['requester', 'provider']),
    allowedActions: z.array(RequestActionSchema),
    /**
     * The last instant at which the viewer's side may still cancel or reschedule the appointment under
     * the facility's rules (its minimum notice for that side); null when the request has no live
     * appointment or neither change is possible in its status. The server decides again on each change.
     */
    changeableUntil: Instant.nullable(),
  })
  .meta({ id: 'ServiceRequest' });
export type ServiceRequest = z.infer<typeof ServiceRequestSchema>;

export const RequestEventSchema = z.object({
  id: z.uuid(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  side: z.enum(['requester', 'provider', 'system']),
  reason: z.string().nullable(),
  at: Instant,
});
export type RequestEvent = z.infer<typeof RequestEventSchema>;

export const AttachmentMetaSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  createdAt: Instant,
});
export type AttachmentMeta = z.infer<typeof AttachmentMetaSchema>;

/** The answer of POST /requests: the request and its appointment (real time) or null. */
export const RequestWithAppointmentSchema = z.object({
  request: ServiceRequestSchema,
  appointment: AppointmentSchema.nullable(),
});
export type RequestWithAppointment = z.infer<typeof RequestWithAppointmentSchema>;

/** One request with its form (clinical content: an audited read), history and attachments. */
export const RequestDetailSchema = RequestWithAppointmentSchema.extend({
  form: RequestFormSchema,
  events: z.array(RequestEventSchema),
  attachments: z.array(AttachmentMetaSchema),
  /** Emergency routing: who was alerted, in order. */
  alerts: z.array(z.object({ position: z.number().int(), practitionerId: z.uuid(), practitionerName: z.string(), alertedAt: Instant, escalatedAt: Instant.nullable() })),
});
export type RequestDetail = z.infer<typeof RequestDetailSchema>;

export const RequestListSchema = z.object({ items: z.array(RequestWithAppointmentSchema) });
export type RequestList = z.infer<typeof RequestListSchema>;

export const RequestListQuerySchema = z.object({
  /** upcoming: not yet ended; past: ended or closed; all. */
  when: z.enum(['upcoming', 'past', 'all']).default('all'),
});

/** The specialist's worklist: emergencies first, then planned by time. */
export const WorklistSchema = z.object({
  emergencies: z.array(RequestWithAppointmentSchema),
  planned: z.array(RequestWithAppointmentSchema),
});
export type Worklist = z.infer<typeof WorklistSchema>;

export const RequestIdParamsSchema = z.object({ id: z.uuid() });

export const TransitionBodySchema = z.object({
  action: RequestActionSchema,
  /** Required for decline, cancel and reschedule. */
  reason: Text(1000).optional(),
  /** The new slot (reschedule). */
  slotId: z.uuid().optional(),
  /** Optimistic check: fail with resource.version_mismatch when the request changed meanwhile. */
  version: z.number().int().min(1).optional(),
  /** Accept and decline: the Art. 7 checklist of the providing specialist's decision (R-TM-10). */
  checklist: Art7ChecklistSchema.optional(),
});
export type TransitionBody = z.infer<typeof TransitionBodySchema>;

export const AttachmentBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  contentType: z.string().regex(/^(application\/pdf|image\/(png|jpeg|webp|gif)|text\/plain|application\/dicom)$/, 'PDF, PNG, JPEG, WebP, GIF, text or DICOM'),
  /** base64, at most 5 MB decoded */
  dataBase64: z.string().min(4).max(7_000_000),
});
export type AttachmentBody = z.infer<typeof AttachmentBodySchema>;

export const AttachmentParamsSchema = z.object({ id: z.uuid(), attachmentId: z.uuid() });

export const EmergencyRotaBodySchema = z.object({ practitionerIds: z.array(z.uuid()).max(50) });
export const EmergencyRotaParamsSchema = z.object({ facilityId: z.uuid(), specialtyCode: SpecialtyCode });
export const EmergencyRotaSchema = z.object({
  facilityId: z.uuid(),
  specialtyCode: z.string(),
  members: z.array(z.object({ position: z.number().int(), practitionerId: z.uuid(), practitionerName: z.string() })),
});
export type EmergencyRota = z.infer<typeof EmergencyRotaSchema>;

/** A facility the signed-in specialist may send emergencies to (active contract, Art. 14(3)). */
export const EmergencyTargetListSchema = z.object({
  items: z.array(
    z.object({
      requesterFacilityId: z.uuid(),
      facilityId: z.uuid(),
      facilityName: z.string(),
      specialties: z.array(z.object({ code: z.string(), name: z.string(), onDuty: z.number().int() })),
    }),
  ),
});
export type EmergencyTargetList = z.infer<typeof EmergencyTargetListSchema>;

/**
 * The patient banner of every clinical screen (docs/design-system.md#patient-banner): who the patient
 * is, the identifier masked (revealed only through an audited call), the representative acting, the
 * reason for the visit and the medicines the intake recorded. An audited read for a participant.
 */
export const PatientBannerSchema = z
  .object({
    requestId: z.uuid(),
    patientId: z.uuid(),
    givenName: z.string(),
    middleName: z.string().nullable(),
    familyName: z.string(),
    sex: z.enum(['male', 'female', 'other', 'unknown']),
    birthDate: z.iso.date(),
    /** Whole years on the request's day in Europe/Sofia. */
    ageYears: z.number().int().min(0),
    identifierKind: z.enum(['egn', 'lnch', 'passport', 'other']),
    /** All but the last two characters hidden, e.g. `••••••••23`. */
    identifierMasked: z.string(),
    /** The representative who filed the request for the patient, by the basis of their link. */
    representative: z.object({ basis: z.enum(['parent', 'guardian', 'curator']).nullable() }).nullable(),
    /** Art. 18 item 5 circumstances, else the start of the Art. 12 anamnesis. */
    reason: z.string().nullable(),
    /** Art. 12 intake: the medicines the patient takes, as written. */
    medicines: z.string().nullable(),
  })
  .meta({ id: 'PatientBanner' });
export type PatientBanner = z.infer<typeof PatientBannerSchema>;

export const PatientIdentifierSchema = z.object({ identifierKind: z.enum(['egn', 'lnch', 'passport', 'other']), identifier: z.string() });
export type PatientIdentifier = z.infer<typeof PatientIdentifierSchema>;
