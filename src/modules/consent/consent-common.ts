import type { Temporal } from 'temporal-polyfill';
import { fromDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db, Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import type { AppError } from '../../platform/errors/app-error.js';
import { sniffFileType } from '../../contracts/file-types.js';
import type { Consent, ConsentTemplate } from '../../contracts/consent.js';
import type { AccessPolicy } from '../access/index.js';
import * as repo from './consent.repo.js';

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
export const SIGNABLE = new Set(['requested', 'accepted', 'scheduled', 'in_progress']);
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
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

export function templateView(t: repo.TemplateRow): ConsentTemplate {
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

export function textOf(t: repo.TemplateRow, lang: 'bg' | 'en'): { title: string; body: string } {
  return lang === 'bg' ? { title: t.title_bg, body: t.body_bg } : { title: t.title_en, body: t.body_en };
}

/** Checks the magic bytes of an uploaded consent document against its declared type. */
export function documentMatches(bytes: Buffer, contentType: string): boolean {
  return sniffFileType(bytes) === contentType;
}
