import type { X509Certificate } from 'node:crypto';
import { exportJWK, importX509 } from 'jose';
import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import { algOfCertificate, assembleJws, certificatePem, checkCertificateChain, jadesHeader, jwsSigningInput, signJades, verifyJades, type RawSigner } from '../signing/index.js';
import * as repo from './records.repo.js';
import { SIGNATURE_CTY, type SignaturePayload, type SignatureResult } from './signing.js';

/**
 * Where qualified signatures (КЕП) come from and whom to trust. docs/records.md#signatures.
 */
export interface QualifiedSigningConfig {
  /** The trusted CAs (SIGNING_CA_BUNDLE): a certificate that does not chain to one is refused. */
  trusted: X509Certificate[];
  /** Server-side PKCS#11 (an HSM, PKCS11_MODULE): the doctor's key by UIN, or null when it holds none. */
  serverKeys?: { signerForUin(uin: string): Promise<RawSigner | null> };
}

export interface Signer {
  practitionerId: string;
  facilityId: string;
  uin: string;
}

/**
 * Qualified signing: registers a doctor's certificate as a signing key (after checking it) and signs
 * JAdES-B-B with a server-side token when the doctor's key is on it.
 * @param deps - clock, ids, audit and the qualified configuration
 * @returns the qualified signing helpers
 */
export function createQualifiedSigning(deps: { clock: Clock; ids: IdGen; audit: AuditLog; qualified?: QualifiedSigningConfig }) {
  const trusted = deps.qualified?.trusted ?? [];

  /**
   * The key row of a certificate chain, created on first use.
   * @throws {AppError} `signing.certificate_untrusted` when the chain does not reach a trusted CA now, or
   *   the certificate is not the signer's (the UIN in its subject)
   */
  async function keyForCertificate(ctx: RequestCtx, q: Queryable, who: Signer, chain: string[]): Promise<repo.KeyRow> {
    const check = checkCertificateChain(chain, trusted, toDate(deps.clock.now()));
    if (!check.ok) throw new AppError('signing.certificate_untrusted', { detail: `The certificate is ${check.reason.replace('_', ' ')}` });
    // Regulatory: a qualified signature is the doctor's own: the certificate names the doctor's UIN.
    if (check.certificate.uin !== who.uin) throw new AppError('signing.certificate_not_signer');
    const existing = await repo.findQualifiedKey(q, who.practitionerId, who.facilityId, check.certificate.sha256);
    if (existing) return existing;
    const leaf = chain[0] ?? '';
    const alg = algOfCertificate(leaf);
    const id = deps.ids.uuid();
    const publicJwk = { ...(await exportJWK(await importX509(certificatePem(leaf), alg))), alg, kid: id };
    await repo.insertQualifiedKey(q, { id, practitionerId: who.practitionerId, facilityId: who.facilityId, alg, publicJwk, chain, sha256: check.certificate.sha256, now: toDate(deps.clock.now()) });
    await deps.audit.record(q, ctx, { action: 'signing_key.created', facilityId: who.facilityId, subject: { type: 'signing_key', id }, data: { alg, practitionerId: who.practitionerId, level: 'qualified', certificateSha256: check.certificate.sha256 } });
    return (await repo.findKey(q, id)) as repo.KeyRow;
  }

  return {
    keyForCertificate,
    /**
     * The JWS signing input the doctor's card signs through the local agent (docs/records.md#the-local-signer):
     * a JAdES-B-B header with the doctor's checked certificate (registered as a qualified key) over the payload.
     * @throws {AppError} the `signing.*` refusals of keyForCertificate
     */
    async agentSigningInput(ctx: RequestCtx, q: Queryable, who: Signer, chain: string[], payload: SignaturePayload): Promise<{ signingInput: string; keyId: string }> {
      const key = await keyForCertificate(ctx, q, who, chain);
      const header = jadesHeader(algOfCertificate(chain[0] ?? ''), chain, new Date(payload.signedAt), { cty: SIGNATURE_CTY, kid: key.id });
      return { signingInput: jwsSigningInput(header, payload), keyId: key.id };
    },
    /**
     * Checks a signature the doctor's card made through the local agent: the JAdES signature holds, its
     * certificate chains to a trusted CA and is this doctor's, and its key id is that certificate's key.
     * What was signed is compared with the document by the caller.
     * @param signingInput - `b64(header).b64(payload)` as the server prepared it (the browser sends it back)
     * @param signature - the raw signature (base64url) from the card
     * @returns the compact JWS, its key and the signed payload
     * @throws {AppError} `signing.signature_invalid`, `signing.certificate_untrusted`, `signing.certificate_not_signer`
     */
    async checkAgentSignature(ctx: RequestCtx, q: Queryable, who: Signer, signingInput: string, signature: string): Promise<{ result: SignatureResult; payload: unknown }> {
      const jws = assembleJws(signingInput, Buffer.from(signature, 'base64url'));
      const check = await verifyJades(jws, trusted);
      if (!check.valid) throw new AppError(check.reason === 'untrusted_certificate' ? 'signing.certificate_untrusted' : 'signing.signature_invalid', { detail: `The signature is ${check.reason.replace('_', ' ')}` });
      const key = await keyForCertificate(ctx, q, who, check.header.x5c);
      if (check.header.kid !== key.id || check.header.cty !== SIGNATURE_CTY) throw new AppError('signing.signature_invalid', { detail: 'The signature header is not the one prepared' });
      return { result: { jws, keyId: key.id, alg: key.alg, level: 'qualified' }, payload: check.payload };
    },
    /**
     * Signs qualified with the server-side token when it holds the doctor's key.
     * @returns the JAdES signature, or null when there is no server token or no key for this doctor
     */
    async signWithServerKey(ctx: RequestCtx, q: Queryable, who: Signer, payload: SignaturePayload): Promise<SignatureResult | null> {
      const raw = await deps.qualified?.serverKeys?.signerForUin(who.uin);
      if (!raw) return null;
      const key = await keyForCertificate(ctx, q, who, await raw.certificateChain());
      const jws = await signJades(raw, payload, { at: new Date(payload.signedAt), cty: SIGNATURE_CTY, kid: key.id });
      return { jws, keyId: key.id, alg: raw.alg, level: 'qualified' };
    },
  };
}

export type QualifiedSigning = ReturnType<typeof createQualifiedSigning>;
