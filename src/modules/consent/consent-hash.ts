import { createHash } from 'node:crypto';

/**
 * The canonical content of a consent and its sha256 (docs/decisions.md#d5). Persisted shape:
 * `consent.hash_version` names the encoding; any change here needs a new version and a migration, or
 * stored records stop verifying.
 */

export const CONSENT_HASH_VERSION = 1;

/**
 * JSON with object keys sorted at every level and no whitespace, so the same content always gives the
 * same bytes (arrays keep their order; `undefined` members are dropped as JSON.stringify does).
 * @param value - plain data (strings, numbers, booleans, null, arrays, objects)
 * @returns the canonical JSON text
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * @param text - UTF-8 text or bytes
 * @returns lower-case hex sha256
 */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface TemplateText {
  kind: 'treatment' | 'recording';
  version: number;
  title: { bg: string; en: string };
  body: { bg: string; en: string };
}

/**
 * The fingerprint of a form version's texts in both languages, fixed at publication.
 * @param t - the texts
 * @returns hex sha256
 */
export function templateTextSha256(t: TemplateText): string {
  return sha256Hex(canonicalJson({ kind: t.kind, version: t.version, title: t.title, body: t.body }));
}

/** Everything a consent signature covers. Instants are ISO strings in UTC (`Temporal.Instant#toString`). */
export interface ConsentContent {
  kind: 'treatment' | 'recording';
  requestId: string;
  patientId: string;
  facilityId: string;
  template: { id: string; version: number; textSha256: string; lang: 'bg' | 'en'; title: string; body: string };
  signer: { accountId: string; role: 'patient' | 'representative' | 'specialist' };
  onBehalfOf: string | null;
  presentation: { id: string; presentedAt: string };
  signedAt: string;
  method: 'totp-step-up';
  stepUpId: string;
  recording: { reason: string; media: readonly string[]; purpose: string } | null;
  documentSha256: string | null;
}

/**
 * The content hash stored with a signed consent and recomputed by verification.
 * @param c - the signed content
 * @returns hex sha256 of the canonical JSON (media sorted, so their order does not matter)
 */
export function consentContentSha256(c: ConsentContent): string {
  const recording = c.recording ? { ...c.recording, media: [...c.recording.media].sort() } : null;
  return sha256Hex(canonicalJson({ v: CONSENT_HASH_VERSION, ...c, recording }));
}
