import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { one, rows } from '../../platform/db/rows.js';

// SQL only (STYLE C7). The request, its service and specialty are read from the requests and registry
// tables (migrations/0006, 0007) read-only: the gates must see them in the caller's transaction. This
// module never writes those tables; the status change of a decision goes through the RequestDecisions port.

const asDate = (d: Date | string): Date => (d instanceof Date ? d : new Date(d));

export interface RequestFacts {
  id: string;
  status: string;
  urgency: 'planned' | 'emergency';
  mode: 'synchronous' | 'asynchronous';
  requester_kind: 'patient' | 'representative' | 'specialist';
  requester_account_id: string;
  recipient_kind: 'patient' | 'specialist';
  patient_id: string | null;
  provider_facility_id: string;
  practitioner_id: string | null;
  specialty_code: string;
  specialty_dental: boolean;
  kind_code: string | null;
  prohibited_rule: string | null;
}

/** What Art. 7 needs of the request's specialty and service kind (registry tables, read-only). */
export function findArt7Facts(q: Queryable, specialtyCode: string, serviceId: string | null): Promise<Pick<RequestFacts, 'specialty_dental' | 'kind_code' | 'prohibited_rule'> | undefined> {
  return one(
    q,
    sql`SELECT s.dental AS specialty_dental, k.code AS kind_code, k.prohibited_rule
      FROM specialty s
      LEFT JOIN facility_service fs ON fs.id = ${serviceId}
      LEFT JOIN service_kind k ON k.code = fs.kind_code
      WHERE s.code = ${specialtyCode}`,
  );
}

export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | undefined> {
  const r = await one<{ practitioner_id: string | null }>(q, sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`);
  return r?.practitioner_id ?? undefined;
}

/** Whether the practitioner works (actively) for the facility. */
export async function worksAt(q: Queryable, practitionerId: string, facilityId: string): Promise<boolean> {
  const r = await one(q, sql`SELECT 1 AS ok FROM practitioner_role WHERE practitioner_id = ${practitionerId} AND facility_id = ${facilityId} AND active`);
  return Boolean(r);
}

// ---- templates ----

export interface TemplateRow {
  id: string;
  facility_id: string;
  kind: 'treatment' | 'recording';
  version: number;
  status: 'draft' | 'published' | 'retired';
  title_bg: string;
  title_en: string;
  body_bg: string;
  body_en: string;
  text_sha256: string | null;
  created_at: Date;
  published_at: Date | null;
}

const TEMPLATE_COLS = sql`id, facility_id, kind, version, status, title_bg, title_en, body_bg, body_en, text_sha256, created_at, published_at`;

export async function insertTemplate(
  q: Queryable,
  t: { id: string; facilityId: string; kind: string; title: { bg: string; en: string }; body: { bg: string; en: string }; createdBy: string; now: Date },
): Promise<TemplateRow> {
  // Concurrency: the version is computed in the statement; UNIQUE (facility_id, kind, version) refuses a twin.
  const row = await one<TemplateRow>(
    q,
    sql`INSERT INTO consent_template (id, facility_id, kind, version, title_bg, title_en, body_bg, body_en, created_by, created_at)
      VALUES (${t.id}, ${t.facilityId}, ${t.kind},
        (SELECT COALESCE(MAX(version), 0) + 1 FROM consent_template WHERE facility_id = ${t.facilityId} AND kind = ${t.kind}),
        ${t.title.bg}, ${t.title.en}, ${t.body.bg}, ${t.body.en}, ${t.createdBy}, ${t.now.toISOString()})
      RETURNING ${TEMPLATE_COLS}`,
  );
  if (!row) throw new Error('template insert returned nothing');
  return row;
}

export function findTemplate(q: Queryable, id: string): Promise<TemplateRow | undefined> {
  return one<TemplateRow>(q, sql`SELECT ${TEMPLATE_COLS} FROM consent_template WHERE id = ${id}`);
}

export function findPublishedTemplate(q: Queryable, facilityId: string, kind: string): Promise<TemplateRow | undefined> {
  return one<TemplateRow>(q, sql`SELECT ${TEMPLATE_COLS} FROM consent_template WHERE facility_id = ${facilityId} AND kind = ${kind} AND status = 'published'`);
}

export function listTemplates(q: Queryable, facilityId: string, kind: string | undefined, publishedOnly: boolean): Promise<TemplateRow[]> {
  return rows<TemplateRow>(
    q,
    sql`SELECT ${TEMPLATE_COLS} FROM consent_template WHERE facility_id = ${facilityId}
      ${kind ? sql`AND kind = ${kind}` : sql``} ${publishedOnly ? sql`AND status = 'published'` : sql``}
      ORDER BY kind, version DESC`,
  );
}

/** Retires the published version of the kind and publishes the draft (compare-and-swap on `draft`). */
export async function publishTemplate(q: Queryable, t: { id: string; facilityId: string; kind: string; sha: string; by: string; now: Date }): Promise<TemplateRow | undefined> {
  await q.execute(sql`UPDATE consent_template SET status = 'retired', retired_at = ${t.now.toISOString()}
    WHERE facility_id = ${t.facilityId} AND kind = ${t.kind} AND status = 'published' AND id <> ${t.id}`);
  return one<TemplateRow>(
    q,
    sql`UPDATE consent_template SET status = 'published', text_sha256 = ${t.sha}, published_by = ${t.by}, published_at = ${t.now.toISOString()}
      WHERE id = ${t.id} AND status = 'draft' RETURNING ${TEMPLATE_COLS}`,
  );
}

// ---- presentations ----

export interface PresentationRow {
  id: string;
  template_id: string;
  request_id: string;
  viewer_account_id: string;
  lang: 'bg' | 'en';
  presented_at: Date;
}

export async function insertPresentation(q: Queryable, p: { id: string; templateId: string; requestId: string; viewer: string; lang: string; at: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO consent_presentation (id, template_id, request_id, viewer_account_id, lang, presented_at)
    VALUES (${p.id}, ${p.templateId}, ${p.requestId}, ${p.viewer}, ${p.lang}, ${p.at.toISOString()})`);
}

export function findPresentation(q: Queryable, id: string): Promise<PresentationRow | undefined> {
  return one<PresentationRow>(q, sql`SELECT id, template_id, request_id, viewer_account_id, lang, presented_at FROM consent_presentation WHERE id = ${id}`);
}

// ---- consents ----

export interface ConsentRow {
  id: string;
  kind: 'treatment' | 'recording';
  request_id: string;
  facility_id: string;
  patient_id: string;
  template_id: string;
  template_version: number;
  presentation_id: string;
  presented_at: Date;
  lang: 'bg' | 'en';
  signer_account_id: string;
  signer_role: 'patient' | 'representative' | 'specialist';
  on_behalf_of: string | null;
  representative_link_id: string | null;
  method: 'totp-step-up';
  step_up_id: string;
  recording_reason_enc: Buffer | null;
  recording_media: string[] | null;
  recording_purpose_enc: Buffer | null;
  document_content_type: string | null;
  document_sha256: string | null;
  has_document: boolean;
  signed_at: Date;
  content_sha256: string;
  hash_version: number;
  status: 'active' | 'withdrawn';
  withdrawn_at: Date | null;
}

const CONSENT_COLS = sql`c.id, c.kind, c.request_id, c.facility_id, c.patient_id, c.template_id, c.template_version, c.presentation_id,
  p.presented_at, c.lang, c.signer_account_id, c.signer_role, c.on_behalf_of, c.representative_link_id, c.method, c.step_up_id,
  c.recording_reason_enc, c.recording_media, c.recording_purpose_enc, c.document_content_type, c.document_sha256,
  (c.document_enc IS NOT NULL) AS has_document, c.signed_at, c.content_sha256, c.hash_version, c.status, c.withdrawn_at`;

export interface NewConsent {
  id: string;
  kind: string;
  requestId: string;
  facilityId: string;
  patientId: string;
  templateId: string;
  templateVersion: number;
  presentationId: string;
  lang: string;
  signerAccountId: string;
  signerRole: string;
  onBehalfOf: string | null;
  representativeLinkId: string | null;
  stepUpId: string;
  recordingReasonEnc: Buffer | null;
  recordingMedia: readonly string[] | null;
  recordingPurposeEnc: Buffer | null;
  documentEnc: Buffer | null;
  documentContentType: string | null;
  documentSha256: string | null;
  signedAt: Date;
  contentSha256: string;
  hashVersion: number;
}

export async function insertConsent(q: Queryable, c: NewConsent): Promise<void> {
  const media = c.recordingMedia ? sql`ARRAY[${sql.join(c.recordingMedia.map((m) => sql`${m}`), sql`, `)}]::text[]` : sql`NULL`;
  await q.execute(sql`INSERT INTO consent (id, kind, request_id, facility_id, patient_id, template_id, template_version, presentation_id, lang,
      signer_account_id, signer_role, on_behalf_of, representative_link_id, method, step_up_id, recording_reason_enc, recording_media,
      recording_purpose_enc, document_enc, document_content_type, document_sha256, signed_at, content_sha256, hash_version)
    VALUES (${c.id}, ${c.kind}, ${c.requestId}, ${c.facilityId}, ${c.patientId}, ${c.templateId}, ${c.templateVersion}, ${c.presentationId}, ${c.lang},
      ${c.signerAccountId}, ${c.signerRole}, ${c.onBehalfOf}, ${c.representativeLinkId}, 'totp-step-up', ${c.stepUpId}, ${c.recordingReasonEnc}, ${media},
      ${c.recordingPurposeEnc}, ${c.documentEnc}, ${c.documentContentType}, ${c.documentSha256}, ${c.signedAt.toISOString()}, ${c.contentSha256}, ${c.hashVersion})`);
}

export function findConsent(q: Queryable, id: string): Promise<ConsentRow | undefined> {
  return one<ConsentRow>(q, sql`SELECT ${CONSENT_COLS} FROM consent c JOIN consent_presentation p ON p.id = c.presentation_id WHERE c.id = ${id}`);
}

export async function findConsentDocument(q: Queryable, id: string): Promise<Buffer | undefined> {
  const r = await one<{ document_enc: Buffer | null }>(q, sql`SELECT document_enc FROM consent WHERE id = ${id}`);
  return r?.document_enc ?? undefined;
}

/** The newest active consent of a kind for a request. */
export function findActiveConsent(q: Queryable, requestId: string, kind: string): Promise<ConsentRow | undefined> {
  return one<ConsentRow>(
    q,
    sql`SELECT ${CONSENT_COLS} FROM consent c JOIN consent_presentation p ON p.id = c.presentation_id
      WHERE c.request_id = ${requestId} AND c.kind = ${kind} AND c.status = 'active' ORDER BY c.signed_at DESC LIMIT 1`,
  );
}

export function listConsentsOfPatient(q: Queryable, patientId: string): Promise<ConsentRow[]> {
  return rows<ConsentRow>(q, sql`SELECT ${CONSENT_COLS} FROM consent c JOIN consent_presentation p ON p.id = c.presentation_id WHERE c.patient_id = ${patientId} ORDER BY c.signed_at DESC LIMIT 500`);
}

/** Withdraws an active consent (compare-and-swap on `active`). */
export async function withdrawConsent(q: Queryable, id: string, by: string, reasonEnc: Buffer | null, now: Date): Promise<boolean> {
  const r = await rows(q, sql`UPDATE consent SET status = 'withdrawn', withdrawn_at = ${now.toISOString()}, withdrawn_by = ${by}, withdrawal_reason_enc = ${reasonEnc}
    WHERE id = ${id} AND status = 'active' RETURNING id`);
  return r.length === 1;
}

/** Whether the audit trail holds the step-up confirmation a consent refers to. */
export async function stepUpAudited(q: Queryable, stepUpId: string, accountId: string): Promise<boolean> {
  const r = await one(q, sql`SELECT 1 AS ok FROM audit_event WHERE action = 'auth.step_up_confirmed' AND subject_type = 'step_up' AND subject_id = ${stepUpId} AND actor_id = ${accountId}`);
  return Boolean(r);
}

// ---- identity verification ----

export interface VerificationRow {
  id: string;
  request_id: string;
  facility_id: string;
  method: 'qualified_esignature' | 'nhis_login' | 'video_document_check' | 'in_person_earlier';
  outcome: 'verified' | 'failed';
  note_enc: Buffer | null;
  verified_by_account_id: string;
  verified_by_practitioner_id: string;
  verified_at: Date;
}

export async function insertVerification(
  q: Queryable,
  v: { id: string; requestId: string; facilityId: string; method: string; outcome: string; noteEnc: Buffer | null; by: string; practitionerId: string; at: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO identity_verification (id, request_id, facility_id, method, outcome, note_enc, verified_by_account_id, verified_by_practitioner_id, verified_at)
    VALUES (${v.id}, ${v.requestId}, ${v.facilityId}, ${v.method}, ${v.outcome}, ${v.noteEnc}, ${v.by}, ${v.practitionerId}, ${v.at.toISOString()})`);
}

export function latestVerification(q: Queryable, requestId: string): Promise<VerificationRow | undefined> {
  return one<VerificationRow>(q, sql`SELECT * FROM identity_verification WHERE request_id = ${requestId} ORDER BY verified_at DESC, id DESC LIMIT 1`);
}

/** Whether any of the requests has a `verified` identity check (append-only rows: nothing is copied). */
export async function anyVerifiedIdentity(q: Queryable, requestIds: readonly string[]): Promise<boolean> {
  const r = await one<{ ok: boolean }>(q, sql`SELECT EXISTS (SELECT 1 FROM identity_verification WHERE request_id = ANY(${sql.param([...requestIds])}::uuid[]) AND outcome = 'verified') AS ok`);
  return Boolean(r?.ok);
}

// ---- admissibility ----

export interface DecisionRow {
  id: string;
  request_id: string;
  facility_id: string;
  outcome: 'accept' | 'decline';
  no_risk_to_life_or_health: boolean;
  quality_and_safety_assured: boolean;
  not_dental_except_imaging: boolean;
  no_direct_contact_needed: boolean;
  requester_identity_verifiable: boolean;
  not_conducting_birth: boolean;
  not_establishing_death: boolean;
  blocked_rule: string | null;
  reasons_enc: Buffer | null;
  decided_by_account_id: string;
  decided_by_practitioner_id: string;
  decided_at: Date;
}

export interface NewDecision {
  id: string;
  requestId: string;
  facilityId: string;
  outcome: 'accept' | 'decline';
  checklist: {
    noRiskToLifeOrHealth: boolean;
    qualityAndSafetyAssured: boolean;
    notDentalExceptImaging: boolean;
    noDirectContactNeeded: boolean;
    requesterIdentityVerifiable: boolean;
    notConductingBirth: boolean;
    notEstablishingDeath: boolean;
  };
  blockedRule: string | null;
  reasonsEnc: Buffer | null;
  by: string;
  practitionerId: string;
  at: Date;
}

/** Inserts the one decision of a request; false when it was decided already (UNIQUE request_id). */
export async function insertDecision(q: Queryable, d: NewDecision): Promise<boolean> {
  const c = d.checklist;
  const r = await rows(
    q,
    sql`INSERT INTO admissibility_decision (id, request_id, facility_id, outcome, no_risk_to_life_or_health, quality_and_safety_assured,
      not_dental_except_imaging, no_direct_contact_needed, requester_identity_verifiable, not_conducting_birth, not_establishing_death,
      blocked_rule, reasons_enc, decided_by_account_id, decided_by_practitioner_id, decided_at)
    VALUES (${d.id}, ${d.requestId}, ${d.facilityId}, ${d.outcome}, ${c.noRiskToLifeOrHealth}, ${c.qualityAndSafetyAssured},
      ${c.notDentalExceptImaging}, ${c.noDirectContactNeeded}, ${c.requesterIdentityVerifiable}, ${c.notConductingBirth}, ${c.notEstablishingDeath},
      ${d.blockedRule}, ${d.reasonsEnc}, ${d.by}, ${d.practitionerId}, ${d.at.toISOString()})
    ON CONFLICT (request_id) DO NOTHING RETURNING id`,
  );
  return r.length === 1;
}

export function findDecision(q: Queryable, requestId: string): Promise<DecisionRow | undefined> {
  return one<DecisionRow>(q, sql`SELECT * FROM admissibility_decision WHERE request_id = ${requestId}`);
}

export { asDate };

export async function facilityTimeZone(q: Queryable, facilityId: string): Promise<string | undefined> {
  const r = await one<{ time_zone: string }>(q, sql`SELECT time_zone FROM facility WHERE id = ${facilityId}`);
  return r?.time_zone;
}
