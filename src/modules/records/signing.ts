import { createHash } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type JWK } from 'jose';
import { canonicalize } from './canonical-json.js';

/**
 * Document signatures. What is signed is a small JSON payload naming the document, its revision and the
 * SHA-256 of the RFC 8785 canonical form of its content; the content itself is never in the JWS, so a
 * signature can be shown and checked without exposing clinical text.
 *
 * Regulatory: a key Distansia holds for the specialist gives an ADVANCED electronic signature (eIDAS
 * Art. 26), not a qualified one (КЕП). Qualified signatures (JAdES-B-B through a PKCS#11 token) are made
 * in qualified-signing.ts (docs/records.md#signatures).
 */

export const SIGNATURE_TYPE = 'distansia.document-signature/1';
export const SIGNATURE_CTY = 'application/vnd.distansia.document-signature+json';
export type SigningAlg = 'EdDSA' | 'ES256';
/** Algorithms of stored keys: qualified certificates add RS256 (КЕП cards hold RSA keys). */
export type KeyAlg = SigningAlg | 'RS256';

/** The signed payload. Persisted and signed: changes need a new `typ`. */
export interface SignaturePayload {
  typ: typeof SIGNATURE_TYPE;
  documentId: string;
  revision: number;
  kind: string;
  requestId: string;
  /** SHA-256 (hex) of the canonical content. */
  sha256: string;
  replaces: string | null;
  signedAt: string;
  signer: { practitionerId: string; uin: string };
}

/**
 * Hex SHA-256 of the canonical form of a JSON value.
 * @param content - the content
 * @returns digest and the canonical text
 */
export function contentDigest(content: unknown): { sha256: string; canonical: string } {
  const canonical = canonicalize(content);
  return { sha256: createHash('sha256').update(canonical, 'utf8').digest('hex'), canonical };
}

/** A signature made by a signer. */
export interface SignatureResult {
  jws: string;
  keyId: string;
  alg: KeyAlg;
  level: 'advanced' | 'qualified';
}

/**
 * The seam for signing a document's payload. Implementations: `signWithPrivateKey` (advanced, keys
 * encrypted in Distansia); a qualified implementation forwards the JWS signing input to a PKCS#11 bridge
 * or a cloud QES and gets the raw signature back (`ExternalSignatureProvider`).
 */
export interface DocumentSigner {
  readonly level: 'advanced' | 'qualified';
  sign(payload: SignaturePayload, key: { keyId: string; alg: SigningAlg }): Promise<SignatureResult>;
}

/**
 * What a qualified signing service must offer: sign these bytes (the JWS signing input) with the
 * specialist's qualified key and return the raw signature (r||s for ES256). The PKCS#11 path signs
 * JAdES-B-B through `signing`'s RawSigner instead (qualified-signing.ts); docs/records.md#signatures.
 */
export interface ExternalSignatureProvider {
  signBytes(keyRef: string, alg: SigningAlg, signingInput: Uint8Array): Promise<Uint8Array>;
}

/**
 * A qualified signer over an external provider: builds the JWS around the provider's raw signature.
 * @param provider - the PKCS#11 bridge or cloud QES client
 * @returns a DocumentSigner of level `qualified`
 */
export function externalSigner(provider: ExternalSignatureProvider): DocumentSigner {
  return {
    level: 'qualified',
    async sign(payload, key) {
      const header = { alg: key.alg, kid: key.keyId, typ: 'JOSE', cty: SIGNATURE_CTY };
      const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
      const signingInput = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
      const sig = await provider.signBytes(key.keyId, key.alg, Buffer.from(signingInput, 'ascii'));
      return { jws: `${signingInput}.${b64(sig)}`, keyId: key.keyId, alg: key.alg, level: 'qualified' };
    },
  };
}

/**
 * Generates a key pair for a specialist.
 * @param alg - EdDSA (Ed25519) or ES256 (P-256)
 * @returns the public JWK and the PKCS#8 PEM of the private key
 */
export async function generateSigningKey(alg: SigningAlg): Promise<{ publicJwk: JWK; privatePkcs8: string }> {
  const { publicKey, privateKey } = alg === 'EdDSA' ? await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true }) : await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { publicJwk: { ...publicJwk, alg }, privatePkcs8: await exportPKCS8(privateKey) };
}

/**
 * Signs with a private key held (encrypted) by Distansia: an advanced electronic signature.
 * @param payload - what to sign
 * @param key - key id, algorithm and the decrypted PKCS#8 PEM
 * @returns the compact JWS
 */
export async function signWithPrivateKey(payload: SignaturePayload, key: { keyId: string; alg: SigningAlg; privatePkcs8: string }): Promise<SignatureResult> {
  const privateKey = await importPKCS8(key.privatePkcs8, key.alg);
  const jws = await new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8'))
    .setProtectedHeader({ alg: key.alg, kid: key.keyId, typ: 'JOSE', cty: SIGNATURE_CTY })
    .sign(privateKey);
  return { jws, keyId: key.keyId, alg: key.alg, level: 'advanced' };
}

/** The result of checking a JWS against a public key. */
export type JwsCheck = { valid: true; payload: SignaturePayload; keyId: string; alg: string } | { valid: false; reason: 'malformed' | 'bad_signature' | 'wrong_key' | 'bad_payload' };

/**
 * Reads the key id of a compact JWS without verifying it.
 * @param jws - the compact JWS
 * @returns kid, or null when unreadable
 */
export function jwsKeyId(jws: string): string | null {
  try {
    const h = decodeProtectedHeader(jws);
    return typeof h.kid === 'string' ? h.kid : null;
  } catch {
    return null;
  }
}

/**
 * Verifies a compact JWS with a public JWK and parses its payload.
 * @param jws - the compact JWS
 * @param key - the key id expected and the public JWK
 * @returns valid with the payload, or why not
 */
export async function verifyJws(jws: string, key: { keyId: string; alg: KeyAlg; publicJwk: JWK }): Promise<JwsCheck> {
  let header;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  // Security: the algorithm comes from our key record, never from the token (no alg confusion).
  if (header.kid !== key.keyId || header.alg !== key.alg) return { valid: false, reason: 'wrong_key' };
  let payloadBytes: Uint8Array;
  try {
    const publicKey = await importJWK(key.publicJwk, key.alg);
    // JAdES (qualified) signatures carry the claimed signing time as a critical header (sigT).
    ({ payload: payloadBytes } = await compactVerify(jws, publicKey, { algorithms: [key.alg], crit: { sigT: true } }));
  } catch {
    return { valid: false, reason: 'bad_signature' };
  }
  try {
    const payload = JSON.parse(Buffer.from(payloadBytes).toString('utf8')) as SignaturePayload;
    if (payload.typ !== SIGNATURE_TYPE || typeof payload.sha256 !== 'string') return { valid: false, reason: 'bad_payload' };
    return { valid: true, payload, keyId: key.keyId, alg: key.alg };
  } catch {
    return { valid: false, reason: 'bad_payload' };
  }
}
