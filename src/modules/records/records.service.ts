import type { JWK } from 'jose';
import { fromDate, toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import {
  DocumentBodySchema,
  SignedContentSchema,
  type ClinicalDocument,
  type CorrectDocumentBody,
  type CreateDraftBody,
  type DocumentBody,
  type DocumentKind,
  type HealthRecord,
  type Icd10Entry,
  type SignedContent,
  type Verification,
} from '../../contracts/records.js';
import type { AccessPolicy } from '../access/index.js';
import type { PatientsService } from '../patients/index.js';
import * as repo from './records.repo.js';
import { closingKind, signingIssues } from './document-rules.js';
import { contentDigest, generateSigningKey, jwsKeyId, signWithPrivateKey, verifyJws, SIGNATURE_TYPE, type SignaturePayload, type SigningAlg } from './signing.js';
import { createIcd10Index, parseCl011, parseIcd10Query, searchTextOf, type Icd10Row } from './icd10.js';
import { ICD10_DEMO } from './icd10-demo.js';
import { SHEET_TEMPLATES, type SheetTemplate } from './sheet-templates.js';
import { renderDocumentPdf } from './document-pdf.js';
import { toFhirBundle, type ExportedDocument } from './fhir.js';

/** Outbox message type of an NHIS submission (handled by nhis-submission.service.ts). */
export const NHIS_SUBMIT = 'records.nhis_submit';

export const contentContext = (documentId: string) => `clinical_document:${documentId}:content`;
const keyContext = (keyId: string) => `signing_key:${keyId}:private`;

/** What a draft stores (encrypted) before signing. */
interface DraftContent {
  body: DocumentBody;
  correctionReason?: string;
}

/** The stored content of a row: a draft's body, or the full signed content. */
type StoredContent = { state: 'draft'; draft: DraftContent } | { state: 'signed'; signed: SignedContent };

export interface RecordsDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  policy: AccessPolicy;
  patients: PatientsService;
  outbox: Outbox;
  /** Algorithm for new specialist keys. */
  signingAlg?: SigningAlg;
  /** Base URL printed on PDF copies for verification (PUBLIC_URL). */
  publicUrl?: string;
}

/**
 * Clinical records: drafts, signing, corrections, verification, PDF copies, the patient's health
 * record and its FHIR export, ICD-10 search and import. Deny by default: every read is access-checked
 * and audited; only the author writes and signs.
 * @param deps - database, clock, ids, keyring, audit, access policy, patients, outbox
 * @returns the records service
 */
export function createRecordsService(deps: RecordsDeps) {
  const { db, clock, ids, keyring, audit, policy } = deps;
  const alg: SigningAlg = deps.signingAlg ?? 'EdDSA';
  // ICD-10 search index in memory, rebuilt after an import here and at most every 5 minutes otherwise
  // (another server process may have imported).
  let icdIndex: { index: ReturnType<typeof createIcd10Index>; loadedAt: number } | undefined;
  async function icd10Index() {
    const now = clock.now().epochMilliseconds;
    if (!icdIndex || now - icdIndex.loadedAt > 5 * 60_000) {
      const rows = await repo.listIcd10(db);
      icdIndex = { index: createIcd10Index(rows.map((r) => ({ code: r.code, titleBg: r.title_bg, titleEn: r.title_en, isChronic: r.is_chronic, source: r.source, searchText: r.search_text }))), loadedAt: now };
    }
    return icdIndex.index;
  }

  async function specialistPractitioner(ctx: RequestCtx, q: Queryable): Promise<string> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    if (actor.type !== 'user' || actor.role !== 'specialist') throw new ForbiddenError('Only the specialist can write clinical records');
    const practitionerId = await repo.practitionerOfAccount(q, actor.id);
    if (!practitionerId) throw new ForbiddenError('The account is not linked to a specialist');
    return practitionerId;
  }

  /**
   * Who writes which document for a service, and in which facility's key.
   * Regulatory: Art. 20(1) — the providing specialist writes the sheet or the written consultation;
   * Art. 20(2), R-TM-42 — the requesting specialist writes the information for the patient.
   */
  function authorFacility(ctx: RequestCtx, svc: repo.ServiceRow, kind: DocumentKind, practitionerId: string): string {
    const facilityIds = ctx.actor.type === 'user' ? ctx.actor.facilityIds : [];
    if (kind === 'patient_information') {
      if (svc.requester_kind !== 'specialist') throw new AppError('rule.violated', { detail: 'Written information for the patient belongs to a specialist’s request (Art. 20(2))', meta: { rule: 'R-TM-42' } });
      if (svc.requester_practitioner_id !== practitionerId || !svc.requester_facility_id || !facilityIds.includes(svc.requester_facility_id)) {
        throw new ForbiddenError('Only the requesting specialist writes the information for the patient');
      }
      return svc.requester_facility_id;
    }
    if (kind !== closingKind(svc.requester_kind)) {
      throw new AppError('rule.violated', { detail: `This service closes with a ${closingKind(svc.requester_kind)} (R-TM-40)`, meta: { rule: 'R-TM-40', expected: closingKind(svc.requester_kind) } });
    }
    if (svc.practitioner_id !== practitionerId || !facilityIds.includes(svc.provider_facility_id)) throw new ForbiddenError('Only the providing specialist writes this document');
    return svc.provider_facility_id;
  }

  async function loadStored(ctx: RequestCtx, q: Queryable, row: repo.DocumentRow): Promise<StoredContent> {
    const value = await keyring.decryptJson<unknown>(ctx, q, facilityScope(row.facility_id), row.content_enc, contentContext(row.id));
    if (row.status === 'signed') return { state: 'signed', signed: SignedContentSchema.parse(value) };
    const draft = value as DraftContent;
    return { state: 'draft', draft: { ...draft, body: DocumentBodySchema.parse(draft.body) } };
  }

  async function toView(ctx: RequestCtx, q: Queryable, row: repo.DocumentRow): Promise<ClinicalDocument> {
    const stored = await loadStored(ctx, q, row);
    let signature: ClinicalDocument['signature'] = null;
    if (row.status === 'signed' && row.signature && row.signing_key_id && row.signed_at && row.content_sha256) {
      const key = await repo.findKey(q, row.signing_key_id);
      signature = { format: 'jws', level: key?.level ?? 'advanced', keyId: row.signing_key_id, alg: key?.alg ?? alg, signedAt: fromDate(row.signed_at).toString(), contentSha256: row.content_sha256, jws: row.signature };
    }
    const sub = row.status === 'signed' && row.kind !== 'patient_information' ? await repo.findSubmissionByDocument(q, row.id) : undefined;
    return {
      id: row.id,
      kind: row.kind,
      requestId: row.request_id,
      patientId: row.patient_id,
      facilityId: row.facility_id,
      authorPractitionerId: row.author_practitioner_id,
      status: row.status,
      revision: row.revision,
      replacesId: row.replaces_id,
      replacedById: row.replaced_by_id,
      body: stored.state === 'signed' ? stored.signed.body : stored.draft.body,
      content: stored.state === 'signed' ? stored.signed : null,
      signature,
      nhis: sub ? { status: sub.status, nrn: sub.nrn, attempts: sub.attempts, acknowledgedAt: sub.acknowledged_at ? fromDate(sub.acknowledged_at).toString() : null, lastError: sub.last_error } : null,
      createdAt: fromDate(row.created_at).toString(),
      updatedAt: fromDate(row.updated_at).toString(),
      version: row.version,
    };
  }

  /**
   * Read access to one document: its author always; a draft nobody else; a signed document whoever may
   * read the patient's clinical data (Art. 13), or for a consultation without personal data
   * (R-TM-18) the two specialists of the request.
   */
  async function assertCanRead(ctx: RequestCtx, q: Queryable, row: repo.DocumentRow): Promise<{ reason: string; facilityId?: string; onBehalfOf?: string }> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    if (actor.type === 'user' && actor.id === row.author_account_id) return { reason: `author:${row.id}`, facilityId: row.facility_id };
    // Security: another author's draft answers as a document the caller may not read (no existence oracle).
    if (row.status === 'draft') throw new ForbiddenError('You have no access to this document');
    if (row.patient_id) {
      // Regulatory: Art. 21 — a supervision case reaches only the documents its facility recorded.
      const granted = await policy.assertCanReadPatient(ctx, q, row.patient_id, 'clinical', row.facility_id);
      return { reason: granted.reason, ...(granted.facilityId ? { facilityId: granted.facilityId } : {}), ...(granted.onBehalfOf ? { onBehalfOf: granted.onBehalfOf } : {}) };
    }
    const svc = await repo.findService(q, row.request_id);
    const practitionerId = actor.type === 'user' && actor.role === 'specialist' ? await repo.practitionerOfAccount(q, actor.id) : undefined;
    if (svc && practitionerId && (practitionerId === svc.practitioner_id || practitionerId === svc.requester_practitioner_id)) return { reason: `request:${svc.id}` };
    throw new ForbiddenError('You have no access to this document');
  }

  /** Whoever may read the documents of a service: the patient's side and care (policy), or its two specialists. */
  async function assertCanSeeService(ctx: RequestCtx, q: Queryable, requestId: string): Promise<void> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    const svc = await repo.findService(q, requestId);
    // The service's own specialists write its documents, also after their care relationship closed.
    const practitionerId = svc && actor.type === 'user' && actor.role === 'specialist' ? await repo.practitionerOfAccount(q, actor.id) : undefined;
    if (svc && practitionerId && (practitionerId === svc.practitioner_id || practitionerId === svc.requester_practitioner_id)) return;
    if (svc?.patient_id) {
      await policy.assertCanReadPatient(ctx, q, svc.patient_id, 'clinical', svc.provider_facility_id);
      return;
    }
    throw new ForbiddenError('You have no access to this service');
  }

  async function readRow(ctx: RequestCtx, q: Queryable, id: string): Promise<repo.DocumentRow> {
    if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    const row = await repo.findDocument(q, id);
    // Security: authorisation before existence: an unknown id answers as a document the caller may not
    // read, so a 404 never tells a stranger which ids exist (docs/access.md).
    if (!row) throw new ForbiddenError('You have no access to this document');
    return row;
  }

  async function activeKey(ctx: RequestCtx, q: Queryable, practitionerId: string, facilityId: string): Promise<{ id: string; alg: SigningAlg; privatePkcs8: string }> {
    const existing = await repo.findActiveKey(q, practitionerId, facilityId);
    if (existing) {
      if (!existing.private_key_enc) throw new AppError('rule.violated', { detail: 'This specialist signs with a qualified signature device; use the external signer' });
      const pem = (await keyring.decrypt(ctx, q, facilityScope(facilityId), existing.private_key_enc, keyContext(existing.id))).toString('utf8');
      return { id: existing.id, alg: existing.alg, privatePkcs8: pem };
    }
    // Security: the private key never leaves the process in clear; it is encrypted with the facility's key.
    const id = ids.uuid();
    const generated = await generateSigningKey(alg);
    const enc = await keyring.encrypt(q, facilityScope(facilityId), generated.privatePkcs8, keyContext(id));
    await repo.insertKey(q, { id, practitionerId, facilityId, alg, publicJwk: { ...generated.publicJwk, kid: id }, privateKeyEnc: enc, now: toDate(clock.now()) });
    await audit.record(q, ctx, { action: 'signing_key.created', facilityId, subject: { type: 'signing_key', id }, data: { alg, practitionerId } });
    return { id, alg, privatePkcs8: generated.privatePkcs8 };
  }

  /** Checks a stored, signed row: signature, digest of the stored content, header, and the chain link. */
  async function verifyRow(ctx: RequestCtx, q: Queryable, row: repo.DocumentRow): Promise<Verification> {
    if (row.status !== 'signed' || !row.signature || !row.signing_key_id || !row.signed_at || !row.content_sha256) throw new AppError('state.bad_transition', { detail: 'Only signed documents can be verified' });
    const key = await repo.findKey(q, row.signing_key_id);
    if (!key) throw new NotFoundError('signing_key', row.signing_key_id);
    const stored = await loadStored(ctx, q, row);
    const content = stored.state === 'signed' ? stored.signed : null;
    const digest = content ? contentDigest(content).sha256 : '';
    const check = await verifyJws(row.signature, { keyId: key.id, alg: key.alg, publicJwk: key.public_jwk as JWK });
    const payload = check.valid ? check.payload : null;
    const headerOk =
      payload !== null &&
      payload.documentId === row.id &&
      payload.revision === row.revision &&
      payload.requestId === row.request_id &&
      payload.kind === row.kind &&
      payload.replaces === row.replaces_id &&
      payload.signer.practitionerId === key.practitioner_id;
    let chain = true;
    if (row.replaces_id) {
      const prev = await repo.findDocument(q, row.replaces_id);
      chain = Boolean(prev && prev.status === 'signed' && content?.replaces?.documentId === prev.id && content.replaces.sha256 === prev.content_sha256);
    }
    const contentOk = payload !== null && payload.sha256 === digest && digest === row.content_sha256;
    return {
      documentId: row.id,
      revision: row.revision,
      valid: check.valid && contentOk && headerOk && chain,
      checks: { signature: check.valid, contentDigest: contentOk, header: headerOk, chain },
      level: key.level,
      keyId: key.id,
      signer: { practitionerId: key.practitioner_id, uin: payload?.signer.uin ?? content?.performer.uin ?? '' },
      signedAt: fromDate(row.signed_at).toString(),
      contentSha256: row.content_sha256,
      replacedById: row.replaced_by_id,
    };
  }

  const service = {
    /**
     * Starts (or returns) the draft of a service's document.
     * @param ctx - the providing specialist (or, for patient information, the requesting one)
     * @param requestId - the service
     * @param input - kind and optional first content
     * @returns the draft
     * @throws {ForbiddenError} for anyone but the author the rules name
     * @throws {AppError} `rule.violated` for the wrong kind (R-TM-40, R-TM-42); `state.bad_transition` before the service started
     */
    async createDraft(ctx: RequestCtx, requestId: string, input: CreateDraftBody): Promise<ClinicalDocument> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const practitionerId = await specialistPractitioner(ctx, tx);
          const svc = await repo.findService(tx, requestId);
          if (!svc) throw new NotFoundError('service_request', requestId);
          const facilityId = authorFacility(ctx, svc, input.kind, practitionerId);
          const allowed = input.kind === 'patient_information' ? ['completed', 'documented'] : ['in_progress', 'completed'];
          if (!allowed.includes(svc.status)) throw new AppError('state.bad_transition', { detail: `A ${input.kind} can be started when the service is ${allowed.join(' or ')}`, meta: { from: svc.status } });
          const existing = await repo.findDraft(tx, requestId, input.kind);
          if (existing) return toView(ctx, tx, existing);
          if (await repo.hasAnyDocument(tx, requestId, input.kind)) {
            throw new AppError('records.document_signed', { detail: 'This document is already signed; correct it instead' });
          }
          const id = ids.uuid();
          const now = toDate(clock.now());
          const draft: DraftContent = { body: DocumentBodySchema.parse(input.body ?? {}) };
          const enc = await keyring.encryptJson(tx, facilityScope(facilityId), draft, contentContext(id));
          await repo.insertDocument(tx, { id, kind: input.kind, requestId, patientId: svc.patient_id, facilityId, authorPractitionerId: practitionerId, authorAccountId: ctx.actor.type === 'user' ? ctx.actor.id : '', revision: 1, replacesId: null, contentEnc: enc, now });
          await audit.record(tx, ctx, { action: 'record.draft_saved', patientId: svc.patient_id ?? undefined, facilityId, subject: { type: 'clinical_document', id }, reason: `request:${requestId}`, data: { kind: input.kind, revision: 1, created: true } });
          return toView(ctx, tx, (await repo.findDocument(tx, id)) as repo.DocumentRow);
        }),
      );
    },

    /**
     * Saves a draft's content (optimistic lock: `version` from the ETag).
     * @throws {AppError} `resource.version_mismatch` when someone saved first; `records.document_signed` once signed
     */
    async updateDraft(ctx: RequestCtx, documentId: string, version: number, body: DocumentBody): Promise<ClinicalDocument> {
      return withTransaction(db, async (tx) => {
        const row = await readRow(ctx, tx, documentId);
        if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author edits a draft');
        if (row.status === 'signed') throw new AppError('records.document_signed');
        const stored = await loadStored(ctx, tx, row);
        const draft: DraftContent = { ...(stored.state === 'draft' ? stored.draft : {}), body };
        const enc = await keyring.encryptJson(tx, facilityScope(row.facility_id), draft, contentContext(row.id));
        if (!(await repo.updateDraft(tx, row.id, version, enc, toDate(clock.now())))) throw new AppError('resource.version_mismatch', { meta: { current: row.version } });
        await audit.record(tx, ctx, { action: 'record.draft_saved', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id: row.id }, data: { kind: row.kind, revision: row.revision } });
        return toView(ctx, tx, (await repo.findDocument(tx, row.id)) as repo.DocumentRow);
      });
    },

    /** Discards an unsigned draft (its author only). */
    async discardDraft(ctx: RequestCtx, documentId: string, version: number): Promise<void> {
      await withTransaction(db, async (tx) => {
        const row = await readRow(ctx, tx, documentId);
        if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author discards a draft');
        if (row.status === 'signed') throw new AppError('records.document_signed');
        if (!(await repo.deleteDraft(tx, row.id, version))) throw new AppError('resource.version_mismatch', { meta: { current: row.version } });
        await audit.record(tx, ctx, { action: 'record.draft_discarded', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id: row.id }, data: { kind: row.kind } });
      });
    },

    /**
     * Signs a draft: snapshots patient, performer and times, canonicalises (RFC 8785), signs the digest with
     * the author's key, freezes the row, and queues the NHIS submission (closing documents only).
     * @param ctx - the author
     * @param documentId - the draft
     * @param version - the draft version the author saw (If-Match)
     * @returns the signed document
     * @throws {AppError} `records.incomplete` with field pointers; `state.bad_transition` before completion;
     *   `resource.version_mismatch`; `records.document_signed`
     */
    async signDocument(ctx: RequestCtx, documentId: string, version: number): Promise<ClinicalDocument> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const row = await readRow(ctx, tx, documentId);
          if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author signs the document');
          if (row.status === 'signed') throw new AppError('records.document_signed');
          if (row.version !== version) throw new AppError('resource.version_mismatch', { meta: { current: row.version } });
          const svc = await repo.findService(tx, row.request_id, true);
          if (!svc) throw new NotFoundError('service_request', row.request_id);
          // Regulatory: Art. 17(2), 20(1) — the record is of a completed service.
          if (!['completed', 'documented'].includes(svc.status)) throw new AppError('state.bad_transition', { detail: 'Complete the service before signing', meta: { from: svc.status } });
          const stored = await loadStored(ctx, tx, row);
          if (stored.state !== 'draft') throw new AppError('records.document_signed');
          const body = stored.draft.body;
          const issues = signingIssues(row.kind, body);
          if (issues.length) throw new AppError('records.incomplete', { errors: issues });

          const now = clock.now();
          const patient = row.patient_id ? await deps.patients.readPatientIn(tx, ctx, row.patient_id) : null;
          const performerId = row.author_practitioner_id;
          const performer = await repo.practitionerInfo(tx, performerId);
          const facility = await repo.facilityInfo(tx, row.facility_id);
          if (!performer || !facility) throw new NotFoundError('practitioner', performerId);
          const completedAt = await repo.completionOf(tx, row.request_id);
          let replaces: SignedContent['replaces'] = null;
          if (row.replaces_id) {
            const prev = await repo.findDocument(tx, row.replaces_id);
            if (!prev?.content_sha256) throw new NotFoundError('clinical_document', row.replaces_id);
            replaces = { documentId: prev.id, sha256: prev.content_sha256, reason: stored.draft.correctionReason ?? '' };
          }
          const content: SignedContent = SignedContentSchema.parse({
            schema: 'distansia.clinical-document/1',
            documentId: row.id,
            kind: row.kind,
            revision: row.revision,
            replaces,
            requestId: row.request_id,
            examination: { class: 'VR', urgency: svc.urgency, mode: svc.mode, completedAt: completedAt ? fromDate(completedAt).toString() : null },
            subject: patient
              ? { patientId: patient.id, identifierType: patient.identifierKind, identifier: patient.identifier, givenName: patient.givenName, ...(patient.middleName ? { middleName: patient.middleName } : {}), familyName: patient.familyName, birthDate: patient.birthDate, sex: patient.sex }
              : null,
            performer: {
              practitionerId: performerId,
              uin: performer.uin.trim(),
              givenName: performer.given_name,
              familyName: performer.family_name,
              qualification: svc.specialty_code,
              qualificationName: svc.specialty_name_bg,
              facilityId: facility.id,
              practiceNumber: facility.number.trim(),
              facilityName: facility.name,
            },
            body,
            signedAt: now.toString(),
          });
          const { sha256 } = contentDigest(content);
          const key = await activeKey(ctx, tx, performerId, row.facility_id);
          const payload: SignaturePayload = { typ: SIGNATURE_TYPE, documentId: row.id, revision: row.revision, kind: row.kind, requestId: row.request_id, sha256, replaces: row.replaces_id, signedAt: content.signedAt, signer: { practitionerId: performerId, uin: content.performer.uin } };
          const sig = await signWithPrivateKey(payload, { keyId: key.id, alg: key.alg, privatePkcs8: key.privatePkcs8 });
          const enc = await keyring.encryptJson(tx, facilityScope(row.facility_id), content, contentContext(row.id));
          if (!(await repo.signDraft(tx, { id: row.id, version, contentEnc: enc, sha256, signature: sig.jws, keyId: key.id, signedAt: toDate(now) }))) {
            throw new AppError('resource.version_mismatch');
          }
          if (row.kind !== 'patient_information') {
            // Regulatory: Art. 17(1) — results go to the national record; the outbox retries until the NHIS acknowledges.
            const submissionId = ids.uuid();
            const operation = row.revision === 1 ? 'open_close' : 'correct';
            await repo.insertSubmission(tx, { id: submissionId, documentId: row.id, requestId: row.request_id, facilityId: row.facility_id, operation, nrn: null, now: toDate(now) });
            await deps.outbox.enqueue(tx, NHIS_SUBMIT, { submissionId });
          }
          await audit.record(tx, ctx, {
            action: 'record.signed',
            patientId: row.patient_id ?? undefined,
            facilityId: row.facility_id,
            subject: { type: 'clinical_document', id: row.id },
            reason: `request:${row.request_id}`,
            data: { kind: row.kind, revision: row.revision, keyId: key.id, level: sig.level },
          });
          return toView(ctx, tx, (await repo.findDocument(tx, row.id)) as repo.DocumentRow);
        }),
      );
    },

    /**
     * Starts a correction: a new draft revision that references the signed one (which never changes).
     * @throws {AppError} `state.bad_transition` when the revision is not the current signed one
     */
    async correctDocument(ctx: RequestCtx, documentId: string, input: CorrectDocumentBody): Promise<ClinicalDocument> {
      return withTransaction(db, async (tx) => {
        const row = await readRow(ctx, tx, documentId);
        if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author corrects the document');
        if (row.status !== 'signed') throw new AppError('state.bad_transition', { detail: 'Only a signed document is corrected; edit the draft instead' });
        if (row.replaced_by_id) throw new AppError('state.bad_transition', { detail: 'A newer revision exists; correct that one', meta: { replacedById: row.replaced_by_id } });
        const id = ids.uuid();
        const draft: DraftContent = { body: input.body, correctionReason: input.reason };
        const enc = await keyring.encryptJson(tx, facilityScope(row.facility_id), draft, contentContext(id));
        await repo.insertDocument(tx, { id, kind: row.kind, requestId: row.request_id, patientId: row.patient_id, facilityId: row.facility_id, authorPractitionerId: row.author_practitioner_id, authorAccountId: row.author_account_id, revision: row.revision + 1, replacesId: row.id, contentEnc: enc, now: toDate(clock.now()) });
        await audit.record(tx, ctx, { action: 'record.draft_saved', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id }, data: { kind: row.kind, revision: row.revision + 1, replaces: row.id } });
        return toView(ctx, tx, (await repo.findDocument(tx, id)) as repo.DocumentRow);
      });
    },

    /** One document, access-checked and audited. */
    async getDocument(ctx: RequestCtx, documentId: string): Promise<ClinicalDocument> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const row = await readRow(ctx, tx, documentId);
          const access = await assertCanRead(ctx, tx, row);
          await audit.record(tx, ctx, { action: 'record.read', patientId: row.patient_id ?? undefined, facilityId: access.facilityId, onBehalfOf: access.onBehalfOf, subject: { type: 'clinical_document', id: row.id }, reason: access.reason, data: { kind: row.kind, revision: row.revision, format: 'json' } });
          return toView(ctx, tx, row);
        }),
      );
    },

    /** The documents of one service that the actor may see (drafts only to their author). */
    async listRequestDocuments(ctx: RequestCtx, requestId: string): Promise<ClinicalDocument[]> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const out: ClinicalDocument[] = [];
          const rows = (await repo.listRequestDocuments(tx, requestId)).filter((row) => row.status !== 'draft' || (ctx.actor.type === 'user' && ctx.actor.id === row.author_account_id));
          // Security: authorisation before existence — with nothing to check row by row, the caller must
          // still be someone who may see this service (unknown ids answer the same as other people's).
          if (rows.length === 0) await assertCanSeeService(ctx, tx, requestId);
          for (const row of rows) {
            const access = await assertCanRead(ctx, tx, row);
            await audit.record(tx, ctx, { action: 'record.read', patientId: row.patient_id ?? undefined, facilityId: access.facilityId, onBehalfOf: access.onBehalfOf, subject: { type: 'clinical_document', id: row.id }, reason: access.reason, data: { kind: row.kind, revision: row.revision, format: 'json' } });
            out.push(await toView(ctx, tx, row));
          }
          return out;
        }),
      );
    },

    /**
     * Verifies a signed document's signature and integrity against the stored content.
     * @returns the checks; `valid` is false when anything was changed after signing
     */
    async verifyDocument(ctx: RequestCtx, documentId: string): Promise<Verification> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const row = await readRow(ctx, tx, documentId);
          const access = await assertCanRead(ctx, tx, row);
          const result = await verifyRow(ctx, tx, row);
          await audit.record(tx, ctx, { action: 'record.verified', patientId: row.patient_id ?? undefined, facilityId: access.facilityId, subject: { type: 'clinical_document', id: row.id }, reason: access.reason, data: { valid: result.valid } });
          return result;
        }),
      );
    },

    /**
     * Verifies a JWS (and optionally the canonical content) copied from a PDF, against the published key.
     * Needs no access to the document: it reveals only whether the signature holds.
     */
    async verifyDetached(ctx: RequestCtx, input: { jws: string; canonicalContent?: string }) {
      if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
      const kid = jwsKeyId(input.jws);
      const key = kid && /^[0-9a-f-]{36}$/i.test(kid) ? await repo.findKey(db, kid) : undefined;
      if (!key) return { valid: false, keyId: null, documentId: null, revision: null, contentSha256: null, contentMatches: null };
      const check = await verifyJws(input.jws, { keyId: key.id, alg: key.alg, publicJwk: key.public_jwk as JWK });
      if (!check.valid) return { valid: false, keyId: key.id, documentId: null, revision: null, contentSha256: null, contentMatches: null };
      let contentMatches: boolean | null = null;
      if (input.canonicalContent !== undefined) {
        try {
          contentMatches = contentDigest(JSON.parse(input.canonicalContent)).sha256 === check.payload.sha256;
        } catch {
          contentMatches = false;
        }
      }
      return { valid: contentMatches !== false, keyId: key.id, documentId: check.payload.documentId, revision: check.payload.revision, contentSha256: check.payload.sha256, contentMatches };
    },

    /** The public key of a signing key id (JWK), for verifying copies outside Distansia. */
    async publicKey(keyId: string): Promise<{ keyId: string; level: 'advanced' | 'qualified'; practitionerId: string; jwk: Record<string, unknown>; createdAt: string; retiredAt: string | null }> {
      const key = await repo.findKey(db, keyId);
      if (!key) throw new NotFoundError('signing_key', keyId);
      return { keyId: key.id, level: key.level, practitionerId: key.practitioner_id, jwk: key.public_jwk, createdAt: fromDate(key.created_at).toString(), retiredAt: key.retired_at ? fromDate(key.retired_at).toString() : null };
    },

    /**
     * The PDF copy of a signed document, with the verification data printed and attached.
     * @returns filename and bytes
     */
    async documentPdf(ctx: RequestCtx, documentId: string): Promise<{ filename: string; body: Buffer }> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const row = await readRow(ctx, tx, documentId);
          const access = await assertCanRead(ctx, tx, row);
          if (row.status !== 'signed' || !row.signature || !row.signing_key_id || !row.content_sha256) throw new AppError('state.bad_transition', { detail: 'Only signed documents have a PDF copy' });
          const stored = await loadStored(ctx, tx, row);
          if (stored.state !== 'signed') throw new AppError('state.bad_transition');
          const key = await repo.findKey(tx, row.signing_key_id);
          const facility = await repo.facilityInfo(tx, row.facility_id);
          const sub = await repo.findSubmissionByDocument(tx, row.id);
          const nrn = sub?.nrn ?? (await repo.examinationNrn(tx, row.request_id)) ?? null;
          await audit.record(tx, ctx, { action: 'record.read', patientId: row.patient_id ?? undefined, facilityId: access.facilityId, onBehalfOf: access.onBehalfOf, subject: { type: 'clinical_document', id: row.id }, reason: access.reason, data: { kind: row.kind, revision: row.revision, format: 'pdf' } });
          const body = await renderDocumentPdf({
            content: stored.signed,
            canonical: contentDigest(stored.signed).canonical,
            jws: row.signature,
            keyId: row.signing_key_id,
            level: key?.level ?? 'advanced',
            sha256: row.content_sha256,
            nrn,
            verifyUrl: `${deps.publicUrl ?? ''}/api/v1/records/documents/${row.id}/verification`,
            timeZone: facility?.time_zone ?? 'Europe/Sofia',
          });
          return { filename: `${row.kind}-${row.id}-r${row.revision}.pdf`, body };
        }),
      );
    },

    /**
     * The patient's record of remote services: signed documents (current revisions, with history),
     * diagnoses and medications recorded in them, and the attachments of their requests.
     * @param ctx - the patient, a representative, or a specialist with access (Art. 13)
     * @param patientId - whose record
     * @returns the health record
     */
    async getHealthRecord(ctx: RequestCtx, patientId: string): Promise<HealthRecord> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const granted = await policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const record = await buildHealthRecord(ctx, tx, patientId, granted.facilityScope);
          await audit.record(tx, ctx, { action: 'health_record.read', patientId, facilityId: granted.facilityId, onBehalfOf: granted.onBehalfOf, subject: { type: 'patient', id: patientId }, reason: granted.reason, data: { count: record.documents.length } });
          return record;
        }),
      );
    },

    /**
     * The health record as a FHIR R4 `collection` of `document` Bundles, one per signed document (docs/fhir.md#documents).
     * @param ctx - the patient, a representative, or a specialist with access (Art. 13)
     * @param patientId - whose record
     * @param baseUrl - absolute base of this server, for the PDF links when `PUBLIC_URL` is not set
     * @returns the Bundle
     */
    async exportFhir(ctx: RequestCtx, patientId: string, baseUrl = ''): Promise<Record<string, unknown>> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const granted = await policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const docs: ExportedDocument[] = [];
          for (const row of await repo.listPatientSigned(tx, patientId)) {
            if (granted.facilityScope && !granted.facilityScope.includes(row.facility_id)) continue;
            const stored = await loadStored(ctx, tx, row);
            if (stored.state !== 'signed' || !row.signature || !row.signing_key_id || !row.content_sha256) continue;
            const sub = await repo.findSubmissionByDocument(tx, row.id);
            docs.push({ content: stored.signed, canonical: contentDigest(stored.signed).canonical, jws: row.signature, keyId: row.signing_key_id, sha256: row.content_sha256, nrn: sub?.nrn ?? null, pdfUrl: `${deps.publicUrl ?? baseUrl}/api/v1/records/documents/${row.id}/pdf` });
          }
          await audit.record(tx, ctx, { action: 'health_record.exported', patientId, facilityId: granted.facilityId, onBehalfOf: granted.onBehalfOf, subject: { type: 'patient', id: patientId }, reason: granted.reason, data: { count: docs.length, format: 'fhir' } });
          return toFhirBundle(patientId, docs, clock.now().toString());
        }),
      );
    },

    /**
     * Throws unless the service may be closed: R-TM-41 (a signed ambulatory sheet for a patient's request)
     * and R-TM-40 (a signed written consultation for a specialist's). For the requests module's `document`
     * transition, inside its transaction; the database trigger enforces the same rule.
     * @param q - the caller's transaction
     * @param requestId - the service
     * @throws {AppError} `records.sheet_required`
     */
    async assertCanClose(q: Queryable, requestId: string): Promise<void> {
      const svc = await repo.findService(q, requestId);
      if (!svc) throw new NotFoundError('service_request', requestId);
      const kind = closingKind(svc.requester_kind);
      if (!(await repo.findCurrentSigned(q, requestId, kind))) {
        throw new AppError('records.sheet_required', { detail: `Sign the ${kind} first (${kind === 'ambulatory_sheet' ? 'R-TM-41' : 'R-TM-40'})`, meta: { kind } });
      }
    },

    /** ICD-10 search as you type: by code prefix, or every word in the Bulgarian/English title (or Latin transliteration). */
    async searchIcd10(q: string, limit: number): Promise<Icd10Entry[]> {
      const found = (await icd10Index()).search(parseIcd10Query(q), limit);
      return found.map((r) => ({ code: r.code, titleBg: r.titleBg, titleEn: r.titleEn, isChronic: r.isChronic, source: r.source }));
    },

    /**
     * Imports the NHIS CL011 export (C002 XML or CSV) into the ICD-10 table (CLI `distansia import icd10`).
     * @returns counts
     */
    async importIcd10(ctx: RequestCtx, text: string): Promise<{ imported: number; skipped: number }> {
      const { rows, skipped } = parseCl011(text);
      return withTransaction(db, async (tx) => {
        const imported = await upsert(tx, rows, 'cl011');
        await audit.record(tx, ctx, { action: 'icd10.imported', data: { count: imported, skipped, source: 'cl011' } });
        return { imported, skipped };
      });
    },

    /** Loads the team-written demo subset where the table is empty (demo and tests). */
    async seedIcd10Demo(ctx: RequestCtx): Promise<number> {
      return withTransaction(db, async (tx) => {
        const n = await upsert(tx, ICD10_DEMO, 'demo');
        await audit.record(tx, ctx, { action: 'icd10.imported', data: { count: n, source: 'demo' } });
        return n;
      });
    },

    /** Editor templates for a specialty (and the general ones). */
    listTemplates(specialtyCode?: string): SheetTemplate[] {
      return SHEET_TEMPLATES.filter((t) => t.specialtyCode === '*' || !specialtyCode || t.specialtyCode === specialtyCode);
    },
  };

  async function upsert(tx: Queryable, rows: readonly Icd10Row[], source: 'demo' | 'cl011'): Promise<number> {
    icdIndex = undefined;
    return repo.upsertIcd10(tx, rows.map((r) => ({ ...r, searchText: searchTextOf(r) })), source, toDate(clock.now()));
  }

  /** `facilityScope`: keep only what these facilities recorded (a supervision case, Art. 21). */
  async function buildHealthRecord(ctx: RequestCtx, tx: Queryable, patientId: string, facilityScope?: readonly string[]): Promise<HealthRecord> {
    const inScope = (facilityId: string) => !facilityScope || facilityScope.includes(facilityId);
    const rows = (await repo.listPatientSigned(tx, patientId)).filter((r) => inScope(r.facility_id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const current = rows.filter((r) => !r.replaced_by_id || !byId.has(r.replaced_by_id));
    const documents: HealthRecord['documents'] = [];
    const diagnoses: HealthRecord['diagnoses'] = [];
    const medications: HealthRecord['medications'] = [];
    for (const row of current) {
      const stored = await loadStored(ctx, tx, row);
      if (stored.state !== 'signed') continue;
      const c = stored.signed;
      const history: HealthRecord['documents'][number]['history'] = [];
      for (let prev = row.replaces_id ? byId.get(row.replaces_id) : undefined; prev; prev = prev.replaces_id ? byId.get(prev.replaces_id) : undefined) {
        history.push({ documentId: prev.id, revision: prev.revision, signedAt: fromDate(prev.signed_at as Date).toString() });
      }
      const sub = await repo.findSubmissionByDocument(tx, row.id);
      documents.push({
        documentId: row.id,
        kind: row.kind,
        requestId: row.request_id,
        revision: row.revision,
        signedAt: c.signedAt,
        performer: { name: `${c.performer.givenName} ${c.performer.familyName}`, uin: c.performer.uin, qualificationName: c.performer.qualificationName, facilityName: c.performer.facilityName },
        diagnoses: c.body.diagnoses,
        medications: c.body.medications,
        recommendations: c.body.recommendations ?? null,
        followUp: c.body.followUp ?? null,
        summary: c.body.summary ?? null,
        nrn: sub?.nrn ?? (await repo.examinationNrn(tx, row.request_id)) ?? null,
        history,
      });
      for (const d of c.body.diagnoses) diagnoses.push({ ...d, documentId: row.id, recordedAt: c.signedAt });
      for (const m of c.body.medications) medications.push({ ...m, documentId: row.id, recordedAt: c.signedAt });
    }
    const attachments = (await repo.listPatientAttachments(tx, patientId)).filter((a) => inScope(a.facility_id)).map((a) => ({ id: a.id, requestId: a.request_id, contentType: a.content_type, sizeBytes: a.size_bytes, createdAt: fromDate(a.created_at).toString() }));
    return { patientId, documents, diagnoses, medications, attachments };
  }

  return service;
}

export type RecordsService = ReturnType<typeof createRecordsService>;
