import { z } from 'zod';
import { Instant } from './common.js';
import { RoleSchema } from './identity.js';

// Audit trail views (docs/decisions.md#d12): a patient's "who accessed my data" and the
// supervisor's export. Ids, roles, public practitioner names and facility names only: never clinical
// content, never another patient's data.


export const AccessLogQuerySchema = z.object({
  /** A representative names the linked patient; a patient may omit it (their own record). */
  patientId: z.uuid().optional(),
  /** Keyset cursor: the previous page's `nextBefore` (opaque). */
  before: z.string().regex(/^[0-9T:.-]+Z_[0-9a-f-]{36}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AccessLogQuery = z.infer<typeof AccessLogQuerySchema>;

export const AccessLogEntrySchema = z.object({
  id: z.uuid(),
  at: Instant,
  /** An audit action code, e.g. `patient.read` (src/contracts/audit-events.ts). */
  action: z.string(),
  outcome: z.enum(['success', 'denied', 'failure']),
  actor: z.object({
    type: z.enum(['user', 'system', 'anonymous', 'client']),
    role: RoleSchema.nullable(),
    /** Practitioners are public persons (Art. 15): their name is shown; other people are shown by role. */
    displayName: z.string().nullable(),
    /** True when the actor is the caller (the patient or the representative). */
    isYou: z.boolean(),
  }),
  facility: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  /** Why the access happened, e.g. `self`, `request:<id>`, `access_grant:<id>`. */
  reason: z.string().nullable(),
  /** Set when the event was done under a supervision case: its legal basis (Art. 21). */
  supervision: z.object({ legalBasis: z.string() }).nullable(),
});
export type AccessLogEntry = z.infer<typeof AccessLogEntrySchema>;

export const AccessLogSchema = z.object({
  patientId: z.uuid(),
  items: z.array(AccessLogEntrySchema),
  /** Pass as `before` to read the next (older) page; null on the last page. */
  nextBefore: z.string().nullable(),
});
export type AccessLog = z.infer<typeof AccessLogSchema>;

export const AuditExportQuerySchema = z
  .object({
    facilityId: z.uuid(),
    from: Instant,
    to: Instant,
    format: z.enum(['csv', 'fhir']).default('csv'),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: '`from` must be before `to`', path: ['to'] });
export type AuditExportQuery = z.infer<typeof AuditExportQuerySchema>;

/** A FHIR R4 Bundle (type collection, so no `total`: bdl-1) of AuditEvent resources; the resources are open-ended JSON. */
export const AuditEventBundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('collection'),
  timestamp: Instant,
  entry: z.array(z.object({ fullUrl: z.string(), resource: z.record(z.string(), z.unknown()) })).optional(),
});
export type AuditEventBundle = z.infer<typeof AuditEventBundleSchema>;
