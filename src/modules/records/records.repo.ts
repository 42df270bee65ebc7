import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { Icd10Row } from './icd10.js';
import { one, rows } from './records-rows.js';

// SQL only (STYLE C7). Reads of practitioner, facility and specialty are plain, read-only SQL against
// the registry tables: a record snapshots them at signing, in the signing transaction. The service
// request itself is read through the requests module's port (service-facts.ts).

// ---------------------------------------------------------------------------------------------------
// The service a record belongs to
// ---------------------------------------------------------------------------------------------------

export interface ServiceRow {
  id: string;
  status: string;
  urgency: 'planned' | 'emergency';
  mode: 'synchronous' | 'asynchronous';
  requester_kind: 'patient' | 'representative' | 'specialist';
  requester_practitioner_id: string | null;
  requester_facility_id: string | null;
  patient_id: string | null;
  provider_facility_id: string;
  practitioner_id: string | null;
  specialty_code: string;
  specialty_name_bg: string;
  specialty_nhif_code: string | null;
  facility_number: string;
  facility_name: string;
  time_zone: string;
  practitioner_uin: string | null;
  practitioner_given_name: string | null;
  practitioner_family_name: string | null;
}

/** What a record snapshots of the service's facility, specialty and practitioner (registry tables, read-only). */
export async function serviceContext(q: Queryable, facilityId: string, specialtyCode: string, practitionerId: string | null) {
  return one<Pick<ServiceRow, 'specialty_name_bg' | 'specialty_nhif_code' | 'facility_number' | 'facility_name' | 'time_zone' | 'practitioner_uin' | 'practitioner_given_name' | 'practitioner_family_name'>>(
    q,
    sql`SELECT s.name_bg AS specialty_name_bg, s.nhif_code AS specialty_nhif_code, f.number AS facility_number, f.name AS facility_name, f.time_zone,
          p.uin AS practitioner_uin, p.given_name AS practitioner_given_name, p.family_name AS practitioner_family_name
        FROM facility f
        JOIN specialty s ON s.code = ${specialtyCode}
        LEFT JOIN practitioner p ON p.id = ${practitionerId}
        WHERE f.id = ${facilityId}`,
  );
}

export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | undefined> {
  const r = await one<{ practitioner_id: string | null }>(q, sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`);
  return r?.practitioner_id ?? undefined;
}

export async function practitionerInfo(q: Queryable, practitionerId: string): Promise<{ uin: string; given_name: string; family_name: string } | undefined> {
  return one(q, sql`SELECT uin, given_name, family_name FROM practitioner WHERE id = ${practitionerId}`);
}

export async function facilityInfo(q: Queryable, facilityId: string): Promise<{ id: string; name: string; number: string; time_zone: string } | undefined> {
  return one(q, sql`SELECT id, name, number, time_zone FROM facility WHERE id = ${facilityId}`);
}

/** Active administrator and coordinator accounts of a facility (who is told about deadlines at risk). */
export async function facilityStaffAccounts(q: Queryable, facilityId: string): Promise<string[]> {
  const r = await rows<{ id: string }>(
    q,
    sql`SELECT u.id FROM user_account u JOIN account_facility af ON af.account_id = u.id
        WHERE af.facility_id = ${facilityId} AND u.role IN ('facility_admin', 'coordinator') AND u.status = 'active' ORDER BY u.id`,
  );
  return r.map((x) => x.id);
}

// ---------------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------------

export interface DocumentRow {
  id: string;
  kind: 'ambulatory_sheet' | 'consultation_report' | 'patient_information';
  request_id: string;
  patient_id: string | null;
  facility_id: string;
  author_practitioner_id: string;
  author_account_id: string;
  status: 'draft' | 'signed';
  revision: number;
  replaces_id: string | null;
  replaced_by_id: string | null;
  content_enc: Buffer;
  content_sha256: string | null;
  signature: string | null;
  signature_format: 'jws' | null;
  signing_key_id: string | null;
  signed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const DOC_COLS = sql`d.id, d.kind, d.request_id, d.patient_id, d.facility_id, d.author_practitioner_id, d.author_account_id, d.status, d.revision,
  d.replaces_id, (SELECT n.id FROM clinical_document n WHERE n.replaces_id = d.id) AS replaced_by_id, d.content_enc, d.content_sha256,
  d.signature, d.signature_format, d.signing_key_id, d.signed_at, d.created_at, d.updated_at, d.version`;

export async function insertDocument(
  q: Queryable,
  d: { id: string; kind: DocumentRow['kind']; requestId: string; patientId: string | null; facilityId: string; authorPractitionerId: string; authorAccountId: string; revision: number; replacesId: string | null; contentEnc: Buffer; now: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO clinical_document (id, kind, request_id, patient_id, facility_id, author_practitioner_id, author_account_id, status, revision, replaces_id, content_enc, created_at, updated_at)
    VALUES (${d.id}, ${d.kind}, ${d.requestId}, ${d.patientId}, ${d.facilityId}, ${d.authorPractitionerId}, ${d.authorAccountId}, 'draft', ${d.revision}, ${d.replacesId}, ${d.contentEnc}, ${d.now.toISOString()}, ${d.now.toISOString()})`);
}

export async function findDocument(q: Queryable, id: string): Promise<DocumentRow | undefined> {
  return one<DocumentRow>(q, sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.id = ${id}`);
}

export async function findDraft(q: Queryable, requestId: string, kind: DocumentRow['kind']): Promise<DocumentRow | undefined> {
  return one<DocumentRow>(q, sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.request_id = ${requestId} AND d.kind = ${kind} AND d.status = 'draft'`);
}

/** The newest signed revision of a request's document of a kind (the one no other revision replaces). */
export async function findCurrentSigned(q: Queryable, requestId: string, kind: DocumentRow['kind']): Promise<DocumentRow | undefined> {
  return one<DocumentRow>(
    q,
    sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.request_id = ${requestId} AND d.kind = ${kind} AND d.status = 'signed'
        AND NOT EXISTS (SELECT 1 FROM clinical_document n WHERE n.replaces_id = d.id AND n.status = 'signed') ORDER BY d.revision DESC LIMIT 1`,
  );
}

export async function hasAnyDocument(q: Queryable, requestId: string, kind: DocumentRow['kind']): Promise<boolean> {
  return (await one(q, sql`SELECT 1 AS one FROM clinical_document WHERE request_id = ${requestId} AND kind = ${kind} LIMIT 1`)) !== undefined;
}

export async function listRequestDocuments(q: Queryable, requestId: string): Promise<DocumentRow[]> {
  return rows<DocumentRow>(q, sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.request_id = ${requestId} ORDER BY d.kind, d.revision`);
}

export async function listPatientSigned(q: Queryable, patientId: string): Promise<DocumentRow[]> {
  return rows<DocumentRow>(q, sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.patient_id = ${patientId} AND d.status = 'signed' ORDER BY d.signed_at DESC, d.revision DESC`);
}

/** Compare-and-swap of a draft's content (STYLE C9). */
export async function updateDraft(q: Queryable, id: string, version: number, contentEnc: Buffer, now: Date): Promise<boolean> {
  const r = await q.execute(sql`UPDATE clinical_document SET content_enc = ${contentEnc}, updated_at = ${now.toISOString()}, version = version + 1
    WHERE id = ${id} AND version = ${version} AND status = 'draft' RETURNING id`);
  return r.rows.length === 1;
}

/** Compare-and-swap draft → signed; the trigger keeps it so forever. */
export async function signDraft(q: Queryable, s: { id: string; version: number; contentEnc: Buffer; sha256: string; signature: string; keyId: string; signedAt: Date }): Promise<boolean> {
  const r = await q.execute(sql`UPDATE clinical_document SET status = 'signed', content_enc = ${s.contentEnc}, content_sha256 = ${s.sha256}, signature = ${s.signature},
      signature_format = 'jws', signing_key_id = ${s.keyId}, signed_at = ${s.signedAt.toISOString()}, updated_at = ${s.signedAt.toISOString()}, version = version + 1
    WHERE id = ${s.id} AND version = ${s.version} AND status = 'draft' RETURNING id`);
  return r.rows.length === 1;
}

export async function deleteDraft(q: Queryable, id: string, version: number): Promise<boolean> {
  const r = await q.execute(sql`DELETE FROM clinical_document WHERE id = ${id} AND version = ${version} AND status = 'draft' RETURNING id`);
  return r.rows.length === 1;
}

// ---------------------------------------------------------------------------------------------------
// Signing keys
// ---------------------------------------------------------------------------------------------------

export interface KeyRow {
  id: string;
  practitioner_id: string;
  facility_id: string;
  alg: 'EdDSA' | 'ES256' | 'RS256';
  level: 'advanced' | 'qualified';
  public_jwk: Record<string, unknown>;
  private_key_enc: Buffer | null;
  /** Qualified keys: base64 DER chain, signer first, and the signer certificate's SHA-256 (hex). */
  certificate_chain: string[] | null;
  certificate_sha256: string | null;
  created_at: Date;
  retired_at: Date | null;
}

export async function findActiveKey(q: Queryable, practitionerId: string, facilityId: string): Promise<KeyRow | undefined> {
  return one<KeyRow>(q, sql`SELECT * FROM practitioner_signing_key WHERE practitioner_id = ${practitionerId} AND facility_id = ${facilityId} AND retired_at IS NULL AND level = 'advanced'`);
}

export async function findQualifiedKey(q: Queryable, practitionerId: string, facilityId: string, certificateSha256: string): Promise<KeyRow | undefined> {
  return one<KeyRow>(q, sql`SELECT * FROM practitioner_signing_key WHERE practitioner_id = ${practitionerId} AND facility_id = ${facilityId} AND level = 'qualified' AND certificate_sha256 = ${certificateSha256}`);
}

export async function insertQualifiedKey(q: Queryable, k: { id: string; practitionerId: string; facilityId: string; alg: string; publicJwk: unknown; chain: string[]; sha256: string; now: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO practitioner_signing_key (id, practitioner_id, facility_id, alg, level, public_jwk, certificate_chain, certificate_sha256, created_at)
    VALUES (${k.id}, ${k.practitionerId}, ${k.facilityId}, ${k.alg}, 'qualified', ${JSON.stringify(k.publicJwk)}::jsonb, ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(k.chain)}::jsonb)), ${k.sha256}, ${k.now.toISOString()})`);
}

export async function findKey(q: Queryable, id: string): Promise<KeyRow | undefined> {
  return one<KeyRow>(q, sql`SELECT * FROM practitioner_signing_key WHERE id = ${id}`);
}

export async function insertKey(q: Queryable, k: { id: string; practitionerId: string; facilityId: string; alg: string; publicJwk: unknown; privateKeyEnc: Buffer; now: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO practitioner_signing_key (id, practitioner_id, facility_id, alg, level, public_jwk, private_key_enc, created_at)
    VALUES (${k.id}, ${k.practitionerId}, ${k.facilityId}, ${k.alg}, 'advanced', ${JSON.stringify(k.publicJwk)}::jsonb, ${k.privateKeyEnc}, ${k.now.toISOString()})`);
}

// ---------------------------------------------------------------------------------------------------
// NHIS submissions
// ---------------------------------------------------------------------------------------------------

export interface SubmissionRow {
  id: string;
  document_id: string;
  request_id: string;
  facility_id: string;
  operation: 'open_close' | 'correct';
  lrn: string;
  status: 'pending' | 'opened' | 'acknowledged' | 'rejected';
  nrn: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  acknowledged_at: Date | null;
  claimed_by: 'outbox' | 'card' | null;
  claimed_until: Date | null;
  card_step: CardStep | string | null;
}

/** What the doctor's card was last asked to sign for a submission (no personal data). */
export type CardMessageStep = { kind: 'X001' | 'X003'; messageId: string; createdOn: string };
/** `resume`: the message that waits for the new token, sent again with the same messageId. */
export type CardStep = { kind: 'challenge'; challenge: string; resume?: CardMessageStep } | CardMessageStep;

/**
 * Claims a submission for one sender until `until` (compare-and-swap): free, expired, or already this holder's.
 * Concurrency: the outbox and the doctor's card never send the same record at once.
 * @returns whether the claim is held
 */
export async function claimSubmission(q: Queryable, id: string, holder: 'outbox' | 'card', now: Date, until: Date): Promise<boolean> {
  const r = await one<{ id: string }>(
    q,
    sql`UPDATE nhis_submission SET claimed_by = ${holder}, claimed_until = ${until.toISOString()}
      WHERE id = ${id} AND (claimed_until IS NULL OR claimed_until <= ${now.toISOString()} OR claimed_by = ${holder}) RETURNING id`,
  );
  return r !== undefined;
}

/** Releases this holder's claim (and forgets the card's pending step). */
export async function releaseSubmission(q: Queryable, id: string, holder: 'outbox' | 'card'): Promise<void> {
  await q.execute(sql`UPDATE nhis_submission SET claimed_by = NULL, claimed_until = NULL, card_step = NULL WHERE id = ${id} AND claimed_by = ${holder}`);
}

/** Keeps what the card is asked to sign next. */
export async function setCardStep(q: Queryable, id: string, step: CardStep | null): Promise<void> {
  await q.execute(sql`UPDATE nhis_submission SET card_step = ${step ? JSON.stringify(step) : null}::jsonb WHERE id = ${id}`);
}

export async function insertSubmission(q: Queryable, s: { id: string; documentId: string; requestId: string; facilityId: string; operation: SubmissionRow['operation']; nrn: string | null; now: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO nhis_submission (id, document_id, request_id, facility_id, operation, lrn, status, nrn, created_at)
    VALUES (${s.id}, ${s.documentId}, ${s.requestId}, ${s.facilityId}, ${s.operation}, ${s.id}, ${s.nrn ? 'opened' : 'pending'}, ${s.nrn}, ${s.now.toISOString()})`);
}

export async function findSubmission(q: Queryable, id: string): Promise<SubmissionRow | undefined> {
  return one<SubmissionRow>(q, sql`SELECT * FROM nhis_submission WHERE id = ${id}`);
}

export async function findSubmissionByDocument(q: Queryable, documentId: string): Promise<SubmissionRow | undefined> {
  return one<SubmissionRow>(q, sql`SELECT * FROM nhis_submission WHERE document_id = ${documentId}`);
}

/** The NRN of the request's examination, from its first acknowledged or opened submission. */
export async function examinationNrn(q: Queryable, requestId: string, acknowledgedOnly = false): Promise<string | undefined> {
  const r = await one<{ nrn: string }>(
    q,
    sql`SELECT nrn FROM nhis_submission WHERE request_id = ${requestId} AND operation = 'open_close' AND nrn IS NOT NULL ${acknowledgedOnly ? sql`AND status = 'acknowledged'` : sql``} ORDER BY created_at LIMIT 1`,
  );
  return r?.nrn;
}

export async function updateSubmission(q: Queryable, id: string, s: { status: SubmissionRow['status']; nrn?: string | null; lastError?: string | null; acknowledgedAt?: Date | null; addAttempts: number }): Promise<void> {
  await q.execute(sql`UPDATE nhis_submission SET status = ${s.status}, nrn = COALESCE(${s.nrn ?? null}, nrn), last_error = ${s.lastError ?? null},
      acknowledged_at = ${s.acknowledgedAt ? s.acknowledgedAt.toISOString() : null}, attempts = attempts + ${s.addAttempts}
    WHERE id = ${id}`);
}

export async function insertAttempt(q: Queryable, a: { id: string; submissionId: string; messageType: string; messageId: string; at: string; outcome: string; error: string | null; durationMs: number }): Promise<void> {
  await q.execute(sql`INSERT INTO nhis_attempt (id, submission_id, message_type, message_id, at, outcome, error, duration_ms)
    VALUES (${a.id}, ${a.submissionId}, ${a.messageType}, ${a.messageId}, ${a.at}, ${a.outcome}, ${a.error}, ${a.durationMs})`);
}

export async function listAttempts(q: Queryable, submissionId: string): Promise<{ message_type: string; outcome: string; error: string | null; at: Date }[]> {
  return rows(q, sql`SELECT message_type, outcome, error, at FROM nhis_attempt WHERE submission_id = ${submissionId} ORDER BY at, id`);
}

export async function failedAttempts(q: Queryable, requestId: string): Promise<number> {
  const r = await one<{ n: string }>(q, sql`SELECT count(*) AS n FROM nhis_attempt a JOIN nhis_submission s ON s.id = a.submission_id WHERE s.request_id = ${requestId} AND a.outcome <> 'ok'`);
  return Number(r?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------------
// ICD-10
// ---------------------------------------------------------------------------------------------------

export async function upsertIcd10(q: Queryable, rowsIn: readonly (Icd10Row & { searchText: string })[], source: 'demo' | 'cl011', now: Date): Promise<number> {
  let n = 0;
  for (let i = 0; i < rowsIn.length; i += 500) {
    const chunk = rowsIn.slice(i, i + 500);
    await q.execute(sql`INSERT INTO icd10_code (code, title_bg, title_en, is_chronic, source, search_text, updated_at) VALUES
      ${sql.join(chunk.map((r) => sql`(${r.code}, ${r.titleBg}, ${r.titleEn}, ${r.isChronic}, ${source}, ${r.searchText}, ${now.toISOString()})`), sql`, `)}
      ON CONFLICT (code) DO UPDATE SET title_bg = EXCLUDED.title_bg, title_en = EXCLUDED.title_en, is_chronic = EXCLUDED.is_chronic,
        source = EXCLUDED.source, search_text = EXCLUDED.search_text, updated_at = EXCLUDED.updated_at`);
    n += chunk.length;
  }
  return n;
}

export interface Icd10DbRow {
  code: string;
  title_bg: string;
  title_en: string | null;
  is_chronic: boolean | null;
  source: 'demo' | 'cl011';
}

/** One more use of each code by the signing doctor (codes not in the table are left out). */
export async function countIcd10Uses(q: Queryable, accountId: string, codes: readonly string[]): Promise<void> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return;
  await q.execute(sql`INSERT INTO icd10_usage (account_id, code, uses)
    SELECT ${accountId}::uuid, c.code, 1 FROM icd10_code c WHERE c.code IN (${sql.join(unique.map((c) => sql`${c}`), sql`, `)})
    ON CONFLICT (account_id, code) DO UPDATE SET uses = icd10_usage.uses + 1`);
}

/** The doctor's signed uses per code. */
export async function icd10UsesOf(q: Queryable, accountId: string): Promise<Map<string, number>> {
  const found = await rows<{ code: string; uses: number }>(q, sql`SELECT code, uses FROM icd10_usage WHERE account_id = ${accountId}`);
  return new Map(found.map((r) => [r.code, Number(r.uses)]));
}

export async function listIcd10(q: Queryable): Promise<(Icd10DbRow & { search_text: string })[]> {
  return rows(q, sql`SELECT code, title_bg, title_en, is_chronic, source, search_text FROM icd10_code`);
}

/** Whether a table has a column (for reports that read other modules' tables when installed). */
export async function columnExists(q: Queryable, table: string, column: string): Promise<boolean> {
  return (await one(q, sql`SELECT 1 AS one FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table} AND column_name = ${column}`)) !== undefined;
}

/** Completed services of the period with an informed consent on file (the consent module's table, keyed by request). */
export async function consentsOnFile(q: Queryable, facilityId: string, from: Date, to: Date): Promise<number> {
  const r = await one<{ n: string }>(
    q,
    sql`SELECT count(*) AS n FROM documentation_deadline d WHERE d.facility_id = ${facilityId} AND d.completed_at >= ${from.toISOString()} AND d.completed_at < ${to.toISOString()}
        AND EXISTS (SELECT 1 FROM consent c WHERE c.request_id = d.request_id AND c.kind = 'treatment')`,
  );
  return Number(r?.n ?? 0);
}

// Documentation deadlines (Art. 17) and the facility's compliance report.
export * from './deadlines.repo.js';

// ---------------------------------------------------------------------------------------------------
// The national record kept for a consultation (national-record.ts; Art. 13, R-TM-29)
// ---------------------------------------------------------------------------------------------------

export interface NationalRecordRow {
  consultation_id: string;
  facility_id: string;
  consent_id: string;
  from_date: string;
  to_date: string;
  fetched_at: Date;
  content_enc: Uint8Array;
}

export function findNationalRecord(q: Queryable, consultationId: string): Promise<NationalRecordRow | undefined> {
  // Dates as text: node-postgres would turn a `date` into a local-midnight Date.
  return one<NationalRecordRow>(q, sql`SELECT consultation_id, facility_id, consent_id, from_date::text AS from_date, to_date::text AS to_date, fetched_at, content_enc
    FROM national_record_fetch WHERE consultation_id = ${consultationId}`);
}

/**
 * Keeps the first copy for the consultation. Concurrency: two first opens at once both ask the NHIS;
 * the first to commit wins and the other reads that copy back (ON CONFLICT DO NOTHING, then select).
 */
export async function insertNationalRecord(q: Queryable, r: { consultationId: string; requestId: string; patientId: string; facilityId: string; fetchedBy: string; consentId: string; fromDate: string; toDate: string; fetchedAt: Date; contentEnc: Buffer }): Promise<void> {
  await q.execute(sql`INSERT INTO national_record_fetch (consultation_id, request_id, patient_id, facility_id, fetched_by, consent_id, from_date, to_date, fetched_at, content_enc)
    VALUES (${r.consultationId}, ${r.requestId}, ${r.patientId}, ${r.facilityId}, ${r.fetchedBy}, ${r.consentId}, ${r.fromDate}, ${r.toDate}, ${r.fetchedAt.toISOString()}, ${r.contentEnc})
    ON CONFLICT (consultation_id) DO NOTHING`);
}

/** Names for the codes a national record carries: specialties (CL006), ICD-10 (CL011), doctors in the registry by UIN. */
export async function namesForNationalRecord(q: Queryable, codes: { specialties: string[]; icd10: string[]; uins: string[] }) {
  const list = (xs: string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);
  const specialties = codes.specialties.length ? await rows<{ code: string; name_bg: string; name_en: string }>(q, sql`SELECT code, name_bg, name_en FROM specialty WHERE code IN (${list(codes.specialties)})`) : [];
  const icd10 = codes.icd10.length ? await rows<{ code: string; title_bg: string; title_en: string }>(q, sql`SELECT code, title_bg, title_en FROM icd10_code WHERE code IN (${list(codes.icd10)})`) : [];
  const doctors = codes.uins.length ? await rows<{ uin: string; given_name: string; family_name: string }>(q, sql`SELECT uin, given_name, family_name FROM practitioner WHERE uin IN (${list(codes.uins)})`) : [];
  return { specialties, icd10, doctors };
}

export async function facilityTimeZoneOf(q: Queryable, facilityId: string): Promise<string | undefined> {
  return (await one<{ time_zone: string }>(q, sql`SELECT time_zone FROM facility WHERE id = ${facilityId}`))?.time_zone;
}
