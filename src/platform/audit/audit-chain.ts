import { createHash, createHmac } from 'node:crypto';

/**
 * The canonical encoding and seal of one audit event (docs/audit.md). Schema 2 (migrations/0018_audit_mac.sql):
 * the application seals each event with HMAC-SHA-256 under the audit key, over the predecessor's seal and
 * the encoding of the event's fields, its chain position and the key version. Schema 1 (rows written
 * before, migrations/0004_audit.sql): an unkeyed SHA-256 chain the database computed; verified here for
 * the rows that remain. The database holds neither the key nor the encoding, so nothing it computes or
 * replaces can vouch for an event.
 * Persisted shape: changes need a `schema_version` bump and a migration.
 */

/** Schema version of the rows the application writes now. */
export const AUDIT_SEALED_SCHEMA_VERSION = 2;

/** The predecessor of the first event of every chain. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/**
 * One event as text, exactly as the database renders each field for hashing (see `AUDIT_TEXT_COLUMNS`).
 * `null` is SQL NULL.
 */
export interface AuditEventText {
  chain: string;
  seq: string;
  id: string;
  /** microseconds since the Unix epoch, as an integer string */
  recordedAtMicros: string;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  onBehalfOf: string | null;
  patientId: string | null;
  facilityId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  reason: string | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** `data::text` (PostgreSQL's jsonb rendering) */
  data: string | null;
  schemaVersion: string;
}

/** The SELECT list that yields an `AuditEventText` in field order (all text), plus prev_hash and hash in hex. */
export const AUDIT_TEXT_COLUMNS = `chain::text, seq::text, id::text, ((extract(epoch FROM recorded_at) * 1000000)::bigint)::text,
  action, outcome, actor_type, actor_id, actor_role, on_behalf_of::text, patient_id::text, facility_id::text,
  subject_type, subject_id, reason, request_id, ip, user_agent, data::text, schema_version::text,
  encode(prev_hash, 'hex'), encode(hash, 'hex')`;

const SQL_FIELDS = [
  'chain::text', 'seq::text', 'id::text', '((extract(epoch FROM recorded_at) * 1000000)::bigint)::text', 'action', 'outcome', 'actor_type',
  'actor_id', 'actor_role', 'on_behalf_of::text', 'patient_id::text', 'facility_id::text', 'subject_type', 'subject_id', 'reason',
  'request_id', 'ip', 'user_agent', 'data::text', 'schema_version::text',
];

/**
 * The canonical encoding as a SQL expression over built-in functions only (the verifier's fast path:
 * the server builds the string, Node hashes it). It is part of the verifier, not a database function,
 * so a superuser who replaces `audit_event_canonical()` does not change what verification computes.
 * `audit.int.test.ts` checks it against `canonicalEncoding`.
 */
export const AUDIT_CANONICAL_SQL = SQL_FIELDS.map((f) => `(CASE WHEN ${f} IS NULL THEN '-' ELSE octet_length(${f})::text || ':' || ${f} END)`).join(' || ');

/** Field order of the encoding; also the column order of `AUDIT_TEXT_COLUMNS`. */
export const AUDIT_FIELD_ORDER = [
  'chain', 'seq', 'id', 'recordedAtMicros', 'action', 'outcome', 'actorType', 'actorId', 'actorRole', 'onBehalfOf',
  'patientId', 'facilityId', 'subjectType', 'subjectId', 'reason', 'requestId', 'ip', 'userAgent', 'data', 'schemaVersion',
] as const satisfies readonly (keyof AuditEventText)[];

/**
 * Encodes one field: NULL as `-`, a value as `<UTF-8 byte length>:<value>`, so no choice of values
 * can make two different events encode the same.
 * @param v - the field's text, or null
 * @returns the encoded field
 */
export function encodeField(v: string | null): string {
  return v === null ? '-' : `${Buffer.byteLength(v, 'utf8')}:${v}`;
}

/**
 * The canonical encoding of an event (without the predecessor's hash).
 * @param e - the event's fields as text
 * @returns the string whose UTF-8 bytes are hashed
 */
export function canonicalEncoding(e: AuditEventText): string {
  let s = '';
  for (const k of AUDIT_FIELD_ORDER) s += encodeField(e[k]);
  return s;
}

/**
 * The hash of an event: sha256(prev_hash || utf8(canonical encoding)).
 * @param prevHash - the predecessor's hash (GENESIS_HASH for seq 1)
 * @param e - the event
 * @returns 32 bytes
 */
export function eventHash(prevHash: Buffer, e: AuditEventText): Buffer {
  return createHash('sha256').update(prevHash).update(canonicalEncoding(e), 'utf8').digest();
}

/**
 * Same as `eventHash` over an already-encoded field array in `AUDIT_FIELD_ORDER` (the verifier's fast path).
 * @param prevHash - the predecessor's hash
 * @param fields - the fields' text in encoding order
 * @returns 32 bytes
 */
export function eventHashOfFields(prevHash: Buffer, fields: readonly (string | null)[]): Buffer {
  let s = '';
  for (const f of fields) s += encodeField(f);
  return createHash('sha256').update(prevHash).update(s, 'utf8').digest();
}

/**
 * The hash of an event from its canonical encoding.
 * @param prevHash - the predecessor's hash
 * @param encoding - the canonical encoding (e.g. from `AUDIT_CANONICAL_SQL`)
 * @returns 32 bytes
 */
export function eventHashOfEncoding(prevHash: Buffer, encoding: string): Buffer {
  return createHash('sha256').update(prevHash).update(encoding, 'utf8').digest();
}

/**
 * The seal of a schema 2 event: HMAC-SHA-256(key, prev || utf8(encoding of the fields)), where the
 * fields are `AUDIT_FIELD_ORDER` followed by the key version. The fields include chain and seq and the
 * predecessor's seal is hashed in, so a forged, rewritten, moved or re-linked event does not verify.
 * @param key - the audit key of `keyVersion` (never in the database)
 * @param prev - the predecessor's seal (GENESIS_HASH for seq 1)
 * @param fields - the fields' text in `AUDIT_FIELD_ORDER`, then the key version
 * @returns 32 bytes
 */
export function sealOfFields(key: Buffer, prev: Buffer, fields: readonly (string | null)[]): Buffer {
  let s = '';
  for (const f of fields) s += encodeField(f);
  return sealOfEncoding(key, prev, s);
}

/**
 * Same as `sealOfFields` over an already-encoded field string (the verifier's loop).
 * @param key - the audit key
 * @param prev - the predecessor's seal
 * @param encoding - the encoded fields
 * @returns 32 bytes
 */
export function sealOfEncoding(key: Buffer, prev: Buffer, encoding: string): Buffer {
  return createHmac('sha256', key).update(prev).update(encoding, 'utf8').digest();
}
