import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import type { DocumentBody, SignedContent } from '../../contracts/records.js';
import type { AccessPolicy } from '../access/index.js';
import type { PatientsService } from '../patients/index.js';
import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { AppError } from '../../platform/errors/app-error.js';
import type { SigningAlg } from './signing.js';
import type { QualifiedSigningConfig } from './qualified-signing.js';
import type { NhisClient } from '../nhis/index.js';
import type { NationalRecordReader } from './national-record.js';

/** Outbox message type of an NHIS submission (handled by nhis-submission.service.ts). */
export const NHIS_SUBMIT = 'records.nhis_submit';

export const contentContext = (documentId: string) => `clinical_document:${documentId}:content`;
export const keyContext = (keyId: string) => `signing_key:${keyId}:private`;

/** What a draft stores (encrypted) before signing. */
export interface DraftContent {
  body: DocumentBody;
  correctionReason?: string;
}

/** The stored content of a row: a draft's body, or the full signed content. */
export type StoredContent = { state: 'draft'; draft: DraftContent } | { state: 'signed'; signed: SignedContent };

/** The identity module's step-up: a fresh second factor confirms each signature (docs/decisions.md#d5). */
export interface StepUp {
  confirmStepUp(tx: Queryable, ctx: RequestCtx, code: string, purpose: string): Promise<{ stepUpId: string }>;
  recordStepUpFailure(ctx: RequestCtx): Promise<AppError>;
}

export interface RecordsDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  policy: AccessPolicy;
  patients: PatientsService;
  outbox: Outbox;
  stepUp: StepUp;
  /** Algorithm for new specialist keys. */
  signingAlg?: SigningAlg;
  /** Qualified signatures (КЕП): trusted CAs and an optional server-side PKCS#11 token. */
  qualified?: QualifiedSigningConfig;
  /** Base URL printed on PDF copies for verification (PUBLIC_URL). */
  publicUrl?: string;
  /** The NHIS client: its card messages let the doctor's card sign the record's NHIS messages (docs/nhis.md#signer). */
  nhis?: NhisClient;
  /** The NHIS reads behind the consultation's national record panel (X005, R015, P017; Art. 13). */
  nationalRecord: NationalRecordReader;
}

/**
 * How long a record signed with the card waits before the outbox sends it with the server's key: the
 * doctor's screen has it sent, signed by the card, in seconds; a closed browser leaves it to the outbox.
 */
export const CARD_NHIS_WINDOW_SECONDS = 180;
