import { toDate } from '../../platform/clock.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { Consent, CreateConsentTemplateBody } from '../../contracts/consent.js';
import * as repo from './consent.repo.js';
import { consentContentSha256, templateTextSha256, type ConsentContent } from './consent-hash.js';
import { type RecordingConsentWithdrawnListener, iso, consentFromRow, textOf, type ConsentDeps } from './consent-common.js';

/**
 * What the consent use cases share: decryption of a consent's free texts, its view, recomputing its
 * content hash, read checks, the template writes, and the withdrawal listeners.
 * @param deps - the consent dependencies
 */
export function createConsentCore(deps: ConsentDeps) {
  const { clock, ids, audit, keyring, policy } = deps;
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

  return { listeners, ctxKey, decryptText, recordingOf, consentView, recompute, assertCanRead, assertFacilityAdmin, createTemplateIn, publishIn };
}

export type ConsentCore = ReturnType<typeof createConsentCore>;
