/**
 * Clinical records: ambulatory sheets, written consultations and information for the patient,
 * their signatures and corrections, the patient's health record and FHIR export, NHIS recording through
 * the outbox, and the Art. 17 documentation deadlines with the compliance report.
 *
 * For the requests module: call `deadlines.startDeadline(tx, ctx, requestId, completedAt)` in the
 * transaction of the `complete` transition, and `records.assertCanClose(tx, requestId)` before
 * `document` (a database trigger enforces R-TM-40/41 as well).
 */
export { createRecordsService, NHIS_SUBMIT, type RecordsService, type RecordsDeps } from './records.service.js';
export { createDeadlinesService, DEADLINE_CHECK, DEADLINE_NOTIFY, type DeadlinesService } from './deadlines.service.js';
export { createNhisSubmissionHandler } from './nhis-submission.service.js';
export { recordsRoutes } from './records.routes.js';
export { computeDeadline, DEADLINE_RULES } from './deadline-rules.js';
export { closingKind } from './document-rules.js';
export { searchTextOf, type Icd10Row } from './icd10.js';
// Signatures for other modules' documents (referrals, prescriptions): the same keys as the sheet.
export { createPractitionerSigner, type PractitionerSigner } from './practitioner-signer.js';
export { contentDigest, verifyJws, SIGNATURE_TYPE, type SignaturePayload } from './signing.js';
