import type { Temporal } from 'temporal-polyfill';
import { fromDate, toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable, type Tx } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import { AppError, ForbiddenError, InvalidTransitionError, NotFoundError, type FieldIssue } from '../../platform/errors/app-error.js';
import { sniffFileType } from '../../contracts/file-types.js';
import type {
  Consent,
  ConsentKind,
  ConsentList,
  ConsentPresentation,
  ConsentTemplate,
  ConsentTemplateList,
  ConsentVerification,
  CreateConsentTemplateBody,
  PresentConsentBody,
  SignConsentBody,
  WithdrawConsentBody,
} from '../../contracts/consent.js';
import type { AccessPolicy } from '../access/index.js';
import * as repo from './consent.repo.js';
import { CONSENT_HASH_VERSION, consentContentSha256, sha256Hex, templateTextSha256, type ConsentContent } from './consent-hash.js';
import { renderConsentPdf } from './consent-pdf.js';
import { resolveSigner } from './parties.js';

/** The identity module's step-up (a fresh second factor for a signature). */
export interface StepUp {
  confirmStepUp(tx: Queryable, ctx: RequestCtx, code: string, purpose: string): Promise<{ stepUpId: string; method: 'totp-step-up'; at: Temporal.Instant }>;
  recordStepUpFailure(ctx: RequestCtx): Promise<AppError>;
}

/** Called after a recording consent was withdrawn and committed (the consultation stops recordings). */
export type RecordingConsentWithdrawnListener = (ctx: RequestCtx, event: { requestId: string; consentId: string }) => Promise<unknown>;

/** The outbox message that carries a withdrawal to the consultation durably (STYLE C20). */
export const RECORDING_CONSENT_WITHDRAWN = 'recording.consent_withdrawn';

export interface ConsentDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  audit: AuditLog;
  keyring: Keyring;
  outbox: Outbox;
  policy: AccessPolicy;
  stepUp: StepUp;
  /** Reports a listener failure (the outbox retries it). */
  onListenerError?: (err: unknown) => void;
}

// Request statuses in which consent can still be given (before or during the service).
const SIGNABLE = new Set(['requested', 'accepted', 'scheduled', 'in_progress']);
const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const iso = (d: Date | string) => fromDate(repo.asDate(d)).toString();

/**
 * The wire form of a stored consent (the recording terms are decrypted by the caller, or left null).
 * @param c - the row
 * @param recording - the decrypted recording terms, or null
 * @returns the consent as the API shows it
 */
export function consentFromRow(c: repo.ConsentRow, recording: Consent['recording']): Consent {
  return {
    id: c.id,
    kind: c.kind,
    requestId: c.request_id,
    facilityId: c.facility_id,
    patientId: c.patient_id,
    templateId: c.template_id,
    templateVersion: c.template_version,
    presentationId: c.presentation_id,
    presentedAt: iso(c.presented_at),
    lang: c.lang,
    signerAccountId: c.signer_account_id,
    signerRole: c.signer_role,
    onBehalfOf: c.on_behalf_of,
    method: c.method,
    stepUpId: c.step_up_id,
    signedAt: iso(c.signed_at),
    contentSha256: c.content_sha256,
    recording,
    hasDocument: c.has_document,
    status: c.status,
    withdrawnAt: c.withdrawn_at ? iso(c.withdrawn_at) : null,
  };
}

function templateView(t: repo.TemplateRow): ConsentTemplate {
  return {
    id: t.id,
    facilityId: t.facility_id,
    kind: t.kind,
    version: t.version,
    status: t.status,
    title: { bg: t.title_bg, en: t.title_en },
    body: { bg: t.body_bg, en: t.body_en },
    textSha256: t.text_sha256,
    createdAt: iso(t.created_at),
    publishedAt: t.published_at ? iso(t.published_at) : null,
  };
}

function textOf(t: repo.TemplateRow, lang: 'bg' | 'en'): { title: string; body: string } {
  return lang === 'bg' ? { title: t.title_bg, body: t.body_bg } : { title: t.title_en, body: t.body_en };
}

/** Checks the magic bytes of an uploaded consent document against its declared type. */
function documentMatches(bytes: Buffer, contentType: string): boolean {
  return sniffFileType(bytes) === contentType;
}

/**
 * Consent templates, reading and signing, withdrawal, the patient's list, PDFs and verification
 * (Art. 10, 11, 19; docs/decisions.md#d5-d6).
 * @param deps - database, clock, ids, audit, keyring, outbox, access policy and the identity step-up
 * @returns the consent service
 */
export function createConsentService(deps: ConsentDeps) {
  const { db, clock, ids, audit, keyring, outbox, policy, stepUp } = deps;
  const listeners: RecordingConsentWithdrawnListener[] = [];
  const ctxKey = (id: string, what: string) => `consent:${id}:${what}`;

  async function decryptText(ctx: RequestCtx, q: Queryable, facilityId: string, env: Buffer | null, context: string): Promise<string | null> {
    if (!env) return null;
    return (await keyring.decrypt(ctx, q, facilityScope(facilityId), env, context)).toString('utf8');
  }

  async function recordingOf(ctx: RequestCtx, q: Queryable, c: repo.ConsentRow): Promise<{ reason: string; media: ('audio' | 'video' | 'screen')[]; purpose: string } | null> {
    if (c.kind !== 'recording') return null;
    return {
      reason: (await decryptText(ctx, q, c.facility_id, c.recording_reason_enc, ctxKey(c.id, 'reason'))) ?? '',
      media: (c.recording_media ?? []) as ('audio' | 'video' | 'screen')[],
      purpose: (await decryptText(ctx, q, c.facility_id, c.recording_purpose_enc, ctxKey(c.id, 'purpose'))) ?? '',
    };
  }

  async function consentView(ctx: RequestCtx, q: Queryable, c: repo.ConsentRow): Promise<Consent> {
    return consentFromRow(c, await recordingOf(ctx, q, c));
  }

  /** Recomputes the content hash of a stored consent from its parts. */
  async function recompute(ctx: RequestCtx, q: Queryable, c: repo.ConsentRow): Promise<string> {
    const t = await repo.findTemplate(q, c.template_id);
    if (!t?.text_sha256) throw new AppError('internal');
    const content: ConsentContent = {
      kind: c.kind,
      requestId: c.request_id,
      patientId: c.patient_id,
      facilityId: c.facility_id,
      template: { id: t.id, version: t.version, textSha256: t.text_sha256, lang: c.lang, ...textOf(t, c.lang) },
      signer: { accountId: c.signer_account_id, role: c.signer_role },
      onBehalfOf: c.on_behalf_of,
      presentation: { id: c.presentation_id, presentedAt: iso(c.presented_at) },
      signedAt: iso(c.signed_at),
      method: c.method,
      stepUpId: c.step_up_id,
      recording: await recordingOf(ctx, q, c),
      documentSha256: c.document_sha256,
    };
    return consentContentSha256(content);
  }

  /** Patients, representatives and specialists with a care relationship read a patient's consents. */
  async function assertCanRead(ctx: RequestCtx, q: Queryable, c: repo.ConsentRow): Promise<{ reason: string; onBehalfOf?: string }> {
    if (ctx.actor.type === 'user' && ctx.actor.id === c.signer_account_id) return { reason: `consent:${c.id}` };
    // Regulatory: Art. 21 — a supervision case reaches only the consents its facility took.
    const g = await policy.assertCanReadPatient(ctx, q, c.patient_id, 'clinical', c.facility_id);
    return { reason: g.reason, ...(g.onBehalfOf ? { onBehalfOf: g.onBehalfOf } : {}) };
  }

  function assertFacilityAdmin(ctx: RequestCtx, facilityId: string): string {
    const a = ctx.actor;
    if (a.type !== 'user') throw new AppError('auth.unauthenticated');
    if (a.role !== 'facility_admin' || !a.facilityIds.includes(facilityId)) throw new ForbiddenError("Only the facility's administrator manages its consent forms");
    return a.id;
  }

  async function createTemplateIn(tx: Tx, ctx: RequestCtx, facilityId: string, body: CreateConsentTemplateBody, by: string): Promise<repo.TemplateRow> {
    const t = await repo.insertTemplate(tx, { id: ids.uuid(), facilityId, kind: body.kind, title: body.title, body: body.body, createdBy: by, now: toDate(clock.now()) });
    await audit.record(tx, ctx, { action: 'consent_template.created', facilityId, subject: { type: 'consent_template', id: t.id }, data: { kind: t.kind, version: t.version } });
    return t;
  }

  async function publishIn(tx: Tx, ctx: RequestCtx, t: repo.TemplateRow, by: string): Promise<repo.TemplateRow> {
    const sha = templateTextSha256({ kind: t.kind, version: t.version, title: { bg: t.title_bg, en: t.title_en }, body: { bg: t.body_bg, en: t.body_en } });
    const published = await repo.publishTemplate(tx, { id: t.id, facilityId: t.facility_id, kind: t.kind, sha, by, now: toDate(clock.now()) });
    if (!published) throw new AppError('consent.template_published');
    await audit.record(tx, ctx, { action: 'consent_template.published', facilityId: t.facility_id, subject: { type: 'consent_template', id: t.id }, data: { kind: t.kind, version: t.version } });
    return published;
  }

  const service = {
    /**
     * Drafts a new version of a facility's consent form (Art. 19(3), R-TM-27).
     * @throws {ForbiddenError} unless the actor administers the facility
     */
    async createTemplate(ctx: RequestCtx, facilityId: string, body: CreateConsentTemplateBody): Promise<ConsentTemplate> {
      const by = assertFacilityAdmin(ctx, facilityId);
      return withTransaction(db, async (tx) => templateView(await createTemplateIn(tx, ctx, facilityId, body, by)));
    },

    /**
     * Publishes a draft: its texts are fixed (sha256) and the previous version of the kind retires.
     * @throws {AppError} `consent.template_published` when it is not a draft
     */
    async publishTemplate(ctx: RequestCtx, templateId: string): Promise<ConsentTemplate> {
      return withTransaction(db, async (tx) => {
        const t = await repo.findTemplate(tx, templateId);
        if (!t) throw new NotFoundError('consent_template', templateId);
        const by = assertFacilityAdmin(ctx, t.facility_id);
        return templateView(await publishIn(tx, ctx, t, by));
      });
    },

    /** A facility's forms: its administrators see every version, everyone else the published ones. */
    async listTemplates(ctx: RequestCtx, facilityId: string, kind: ConsentKind | undefined): Promise<ConsentTemplateList> {
      const a = ctx.actor;
      if (a.type !== 'user') throw new AppError('auth.unauthenticated');
      const admin = a.role === 'facility_admin' && a.facilityIds.includes(facilityId);
      const list = await repo.listTemplates(db, facilityId, kind, !admin);
      return { items: list.map(templateView) };
    },

    /**
     * Creates and publishes a form version in the caller's transaction (demo seeding, facility set-up).
     * @param tx - the caller's transaction
     * @param ctx - who acts (audited)
     * @param facilityId - whose form
     * @param body - the texts
     * @param createdBy - the account recorded as author and publisher
     * @returns the published version
     */
    async seedPublishedTemplate(tx: Tx, ctx: RequestCtx, facilityId: string, body: CreateConsentTemplateBody, createdBy: string): Promise<ConsentTemplate> {
      const t = await createTemplateIn(tx, ctx, facilityId, body, createdBy);
      return templateView(await publishIn(tx, ctx, t, createdBy));
    },

    /**
     * Shows the providing facility's published form to the person who will sign, and records that it
     * was shown (Art. 11, R-TM-24): a signature must reference this presentation.
     * @throws {AppError} `consent.template_missing`, `consent.no_personal_data`; 403 for non-signers
     */
    async presentConsent(ctx: RequestCtx, requestId: string, body: PresentConsentBody): Promise<ConsentPresentation> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const r = await repo.findRequestFacts(tx, requestId);
          if (!r) throw new NotFoundError('request', requestId);
          if (!r.patient_id) throw new AppError('consent.no_personal_data');
          const signer = await resolveSigner(tx, ctx, policy, { ...r, patient_id: r.patient_id });
          const t = await repo.findPublishedTemplate(tx, r.provider_facility_id, body.kind);
          if (!t?.text_sha256) throw new AppError('consent.template_missing');
          const id = ids.uuid();
          const now = clock.now();
          await repo.insertPresentation(tx, { id, templateId: t.id, requestId, viewer: signer.accountId, lang: body.lang, at: toDate(now) });
          await audit.record(tx, ctx, {
            action: 'consent.presented',
            patientId: r.patient_id,
            facilityId: r.provider_facility_id,
            subject: { type: 'consent_presentation', id },
            reason: `request:${requestId}`,
            ...(signer.onBehalfOf ? { onBehalfOf: signer.onBehalfOf } : {}),
            data: { kind: body.kind, templateVersion: t.version, lang: body.lang },
          });
          return { presentationId: id, presentedAt: now.toString(), requestId, lang: body.lang, template: { id: t.id, kind: t.kind, version: t.version, textSha256: t.text_sha256, ...textOf(t, body.lang) } };
        }),
      );
    },

    /**
     * Signs a consent that was shown first, with a fresh second-factor confirmation (docs/decisions.md#d5-d6).
     * Keeps the exact form version, signer, on whose behalf, time, method and a content hash.
     * @throws {AppError} `consent.not_presented`, `consent.template_invalid`, `consent.document_required`,
     *   `request.invalid` (R-TM-26 recording terms, R-TM-28 acknowledgement), `auth.mfa_invalid`,
     *   `consent.no_personal_data`, `resource.conflict` (an active one exists), `state.bad_transition`
     */
    async signConsent(ctx: RequestCtx, requestId: string, body: SignConsentBody): Promise<Consent> {
      try {
        return await policy.guard(ctx, () =>
          withTransaction(db, async (tx) => {
            const r = await repo.findRequestFacts(tx, requestId);
            if (!r) throw new NotFoundError('request', requestId);
            if (!r.patient_id) throw new AppError('consent.no_personal_data');
            const patientId = r.patient_id;
            const signer = await resolveSigner(tx, ctx, policy, { ...r, patient_id: patientId });
            if (!SIGNABLE.has(r.status)) throw new InvalidTransitionError(r.status, 'consent');
            const p = await repo.findPresentation(tx, body.presentationId);
            // Regulatory: Art. 11 — the text signed is the one shown to this signer for this request.
            if (!p || p.request_id !== requestId || p.viewer_account_id !== signer.accountId) throw new AppError('consent.not_presented');
            const t = await repo.findTemplate(tx, p.template_id);
            if (!t || t.kind !== body.kind) throw new AppError('consent.not_presented');
            if (t.status !== 'published' || !t.text_sha256 || t.facility_id !== r.provider_facility_id) throw new AppError('consent.template_invalid', { detail: 'The form changed since it was shown; read the current version' });

            const issues: FieldIssue[] = [];
            if (body.kind === 'treatment' && body.healthInfoDutyAcknowledged !== true) {
              // Regulatory: R-TM-28 (Art. 12) — the signer confirms the duty to give complete health information.
              issues.push({ in: 'body', pointer: '#/healthInfoDutyAcknowledged', detail: 'Confirm the duty to provide complete health information (Art. 12)' });
            }
            if (body.kind === 'recording') {
              // Regulatory: R-TM-26 (Art. 19(2)) — reason, type and purpose are all required.
              const rec = body.recording;
              if (!rec?.reason.trim()) issues.push({ in: 'body', pointer: '#/recording/reason', detail: 'The reason for the recording is required' });
              if (!rec?.media.length) issues.push({ in: 'body', pointer: '#/recording/media', detail: 'The type of recording is required' });
              if (!rec?.purpose.trim()) issues.push({ in: 'body', pointer: '#/recording/purpose', detail: 'The purpose of the recording is required' });
            } else if (body.recording) {
              issues.push({ in: 'body', pointer: '#/recording', detail: 'Recording terms belong to a recording consent' });
            }
            if (signer.role !== 'specialist' && body.document) issues.push({ in: 'body', pointer: '#/document', detail: 'Only a requesting specialist attaches a document' });
            if (issues.length > 0) throw new AppError('request.invalid', { errors: issues });

            let document: Buffer | null = null;
            if (signer.role === 'specialist') {
              // Regulatory: docs/decisions.md#d5 — the requesting specialist records the consent with its document.
              if (!body.document) throw new AppError('consent.document_required');
              document = Buffer.from(body.document.contentBase64, 'base64');
              if (document.length === 0 || document.length > MAX_DOCUMENT_BYTES) throw new AppError('request.too_large');
              if (!documentMatches(document, body.document.contentType)) throw new AppError('file.type_mismatch');
            }
            if (await repo.findActiveConsent(tx, requestId, body.kind)) throw new AppError('resource.conflict', { detail: 'An active consent of this kind exists; withdraw it first' });

            const up = await stepUp.confirmStepUp(tx, ctx, body.code, `consent.sign:${body.kind}`);
            const signedAt = up.at;
            // Regulatory: R-TM-24 — shown strictly before signed (the database checks this again).
            if (signedAt.epochMilliseconds <= repo.asDate(p.presented_at).getTime()) throw new AppError('consent.not_presented', { detail: 'Signing must follow reading' });

            const id = ids.uuid();
            const scope = facilityScope(r.provider_facility_id);
            const recording = body.kind === 'recording' && body.recording ? { reason: body.recording.reason.trim(), media: [...new Set(body.recording.media)].sort(), purpose: body.recording.purpose.trim() } : null;
            const documentSha256 = document ? sha256Hex(document) : null;
            const content: ConsentContent = {
              kind: body.kind,
              requestId,
              patientId,
              facilityId: r.provider_facility_id,
              template: { id: t.id, version: t.version, textSha256: t.text_sha256, lang: p.lang, ...textOf(t, p.lang) },
              signer: { accountId: signer.accountId, role: signer.role },
              onBehalfOf: signer.onBehalfOf,
              presentation: { id: p.id, presentedAt: iso(p.presented_at) },
              signedAt: signedAt.toString(),
              method: 'totp-step-up',
              stepUpId: up.stepUpId,
              recording,
              documentSha256,
            };
            await repo.insertConsent(tx, {
              id,
              kind: body.kind,
              requestId,
              facilityId: r.provider_facility_id,
              patientId,
              templateId: t.id,
              templateVersion: t.version,
              presentationId: p.id,
              lang: p.lang,
              signerAccountId: signer.accountId,
              signerRole: signer.role,
              onBehalfOf: signer.onBehalfOf,
              representativeLinkId: signer.representativeLinkId,
              stepUpId: up.stepUpId,
              recordingReasonEnc: recording ? await keyring.encrypt(tx, scope, recording.reason, ctxKey(id, 'reason')) : null,
              recordingMedia: recording?.media ?? null,
              recordingPurposeEnc: recording ? await keyring.encrypt(tx, scope, recording.purpose, ctxKey(id, 'purpose')) : null,
              documentEnc: document ? await keyring.encrypt(tx, scope, document, ctxKey(id, 'document')) : null,
              documentContentType: body.document?.contentType ?? null,
              documentSha256,
              signedAt: toDate(signedAt),
              contentSha256: consentContentSha256(content),
              hashVersion: CONSENT_HASH_VERSION,
            });
            await audit.record(tx, ctx, {
              action: 'consent.signed',
              patientId,
              facilityId: r.provider_facility_id,
              subject: { type: 'consent', id },
              reason: `request:${requestId}`,
              ...(signer.onBehalfOf ? { onBehalfOf: signer.onBehalfOf } : {}),
              data: { kind: body.kind, signerRole: signer.role, stepUpId: up.stepUpId, templateVersion: t.version },
            });
            const row = await repo.findConsent(tx, id);
            if (!row) throw new AppError('internal');
            return consentView(ctx, tx, row);
          }),
        );
      } catch (err) {
        // Security: a wrong step-up code counts towards the account lock, recorded after the rollback.
        if (err instanceof AppError && err.code === 'auth.mfa_invalid' && err.meta?.stepUp === true) throw await stepUp.recordStepUpFailure(ctx);
        throw err;
      }
    },

    /**
     * Withdraws a consent (the patient, a linked representative, or whoever signed it). Withdrawing a
     * recording consent stops every recording of the request at once (Art. 19; docs/decisions.md#d6):
     * the listeners run right after commit and an outbox message repeats it until it succeeds.
     * @throws {AppError} `consent.withdrawn` when it already was
     */
    async withdrawConsent(ctx: RequestCtx, consentId: string, body: WithdrawConsentBody): Promise<Consent> {
      const result = await policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const c = await repo.findConsent(tx, consentId);
          if (!c) throw new NotFoundError('consent', consentId);
          const a = ctx.actor;
          if (a.type !== 'user') throw new AppError('auth.unauthenticated');
          let onBehalfOf: string | undefined;
          if (a.id !== c.signer_account_id) {
            const g = await policy.assertCanActForPatient(ctx, tx, c.patient_id, 'consent.withdraw');
            onBehalfOf = g.onBehalfOf;
          }
          const reason = body.reason?.trim();
          const reasonEnc = reason ? await keyring.encrypt(tx, facilityScope(c.facility_id), reason, ctxKey(c.id, 'withdrawal')) : null;
          if (!(await repo.withdrawConsent(tx, c.id, a.id, reasonEnc, toDate(clock.now())))) throw new AppError('consent.withdrawn');
          if (c.kind === 'recording') await outbox.enqueue(tx, RECORDING_CONSENT_WITHDRAWN, { requestId: c.request_id, consentId: c.id });
          await audit.record(tx, ctx, {
            action: 'consent.withdrawn',
            patientId: c.patient_id,
            facilityId: c.facility_id,
            subject: { type: 'consent', id: c.id },
            reason: `request:${c.request_id}`,
            ...(onBehalfOf ? { onBehalfOf } : {}),
            data: { kind: c.kind },
          });
          const row = await repo.findConsent(tx, c.id);
          if (!row) throw new AppError('internal');
          return consentView(ctx, tx, row);
        }),
      );
      if (result.kind === 'recording') {
        for (const l of listeners) {
          try {
            await l(ctx, { requestId: result.requestId, consentId: result.id });
          } catch (err) {
            // The outbox message written with the withdrawal repeats this until it succeeds (STYLE C20).
            deps.onListenerError?.(err);
          }
        }
      }
      return result;
    },

    /**
     * Subscribes to committed withdrawals of recording consents (the consultation stops recordings).
     * @param listener - called after commit with the request and consent ids
     */
    onRecordingConsentWithdrawn(listener: RecordingConsentWithdrawnListener): void {
      listeners.push(listener);
    },

    /** A patient's signed consents (the patient, a representative, a specialist with care); audited. */
    async listPatientConsents(ctx: RequestCtx, patientId: string): Promise<ConsentList> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const g = await policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const list = (await repo.listConsentsOfPatient(tx, patientId)).filter((c) => !g.facilityScope || g.facilityScope.includes(c.facility_id));
          const items: Consent[] = [];
          for (const c of list) items.push(await consentView(ctx, tx, c));
          await audit.record(tx, ctx, { action: 'consent.read', patientId, subject: { type: 'patient', id: patientId }, reason: g.reason, ...(g.onBehalfOf ? { onBehalfOf: g.onBehalfOf } : {}), data: { count: items.length } });
          return { items };
        }),
      );
    },

    /** One consent, for its signer and whoever may read the patient's data; audited. */
    async getConsent(ctx: RequestCtx, consentId: string): Promise<Consent> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const c = await repo.findConsent(tx, consentId);
          if (!c) throw new NotFoundError('consent', consentId);
          const g = await assertCanRead(ctx, tx, c);
          await audit.record(tx, ctx, { action: 'consent.read', patientId: c.patient_id, subject: { type: 'consent', id: c.id }, reason: g.reason, ...(g.onBehalfOf ? { onBehalfOf: g.onBehalfOf } : {}), data: { format: 'json' } });
          return consentView(ctx, tx, c);
        }),
      );
    },

    /** The printable copy of a signed consent (PDF with Cyrillic text); audited. */
    async consentPdf(ctx: RequestCtx, consentId: string): Promise<{ filename: string; bytes: Buffer }> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const c = await repo.findConsent(tx, consentId);
          if (!c) throw new NotFoundError('consent', consentId);
          const g = await assertCanRead(ctx, tx, c);
          const t = await repo.findTemplate(tx, c.template_id);
          if (!t?.text_sha256) throw new AppError('internal');
          const timeZone = await repo.facilityTimeZone(tx, c.facility_id);
          if (!timeZone) throw new AppError('internal');
          const bytes = await renderConsentPdf({
            id: c.id,
            kind: c.kind,
            lang: c.lang,
            ...textOf(t, c.lang),
            templateVersion: t.version,
            templateSha256: t.text_sha256,
            requestId: c.request_id,
            patientId: c.patient_id,
            signerAccountId: c.signer_account_id,
            signerRole: c.signer_role,
            onBehalfOf: c.on_behalf_of,
            presentedAt: repo.asDate(c.presented_at),
            signedAt: repo.asDate(c.signed_at),
            stepUpId: c.step_up_id,
            contentSha256: c.content_sha256,
            recording: await recordingOf(ctx, tx, c),
            documentSha256: c.document_sha256,
            status: c.status,
            withdrawnAt: c.withdrawn_at ? repo.asDate(c.withdrawn_at) : null,
            timeZone,
          });
          await audit.record(tx, ctx, { action: 'consent.read', patientId: c.patient_id, subject: { type: 'consent', id: c.id }, reason: g.reason, ...(g.onBehalfOf ? { onBehalfOf: g.onBehalfOf } : {}), data: { format: 'pdf' } });
          return { filename: `consent-${c.kind}-${c.id}.pdf`, bytes };
        }),
      );
    },

    /**
     * Verifies a signed consent: recomputes the content hash from the stored parts, checks that the
     * step-up is in the audit trail, that reading preceded signing and that the document is intact.
     */
    async verifyConsent(ctx: RequestCtx, consentId: string): Promise<ConsentVerification> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const c = await repo.findConsent(tx, consentId);
          if (!c) throw new NotFoundError('consent', consentId);
          const g = await assertCanRead(ctx, tx, c);
          const recomputed = await recompute(ctx, tx, c);
          const stepUpAudited = await repo.stepUpAudited(tx, c.step_up_id, c.signer_account_id);
          const presentedBeforeSigning = repo.asDate(c.presented_at).getTime() < repo.asDate(c.signed_at).getTime();
          let documentIntact: boolean | null = null;
          if (c.has_document) {
            const env = await repo.findConsentDocument(tx, c.id);
            documentIntact = env ? sha256Hex(await keyring.decrypt(ctx, tx, facilityScope(c.facility_id), env, ctxKey(c.id, 'document'))) === c.document_sha256 : false;
          }
          const valid = recomputed === c.content_sha256 && stepUpAudited && presentedBeforeSigning && documentIntact !== false;
          await audit.record(tx, ctx, { action: 'consent.verified', patientId: c.patient_id, subject: { type: 'consent', id: c.id }, reason: g.reason, data: { valid } });
          return { consentId: c.id, valid, storedSha256: c.content_sha256, recomputedSha256: recomputed, stepUpAudited, presentedBeforeSigning, documentIntact };
        }),
      );
    },
  };
  return service;
}

export type ConsentService = ReturnType<typeof createConsentService>;
