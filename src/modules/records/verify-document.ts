import { X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import { certificateInfo, verifyJades } from '../signing/index.js';
import { fromDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { Verification } from '../../contracts/records.js';
import * as repo from './records.repo.js';
import { contentDigest, jwsKeyId, verifyJws } from './signing.js';
import type { RecordsDeps } from './records.deps.js';
import type { DocumentAccess } from './document-access.js';

/**
 * Verifying signed documents: a stored one against its content and chain, a copy's detached JWS, and the
 * published public keys.
 * @param deps - the records dependencies
 * @param access - the shared document helpers
 * @returns the verification use cases
 */
export function createVerifyDocument(deps: RecordsDeps, access: DocumentAccess) {
  const { db, audit, policy } = deps;
  const { loadStored, readRow, assertCanRead } = access;

  /**
   * A qualified (JAdES) signature: the certificate in the signature is the key row's and chains to a
   * trusted CA at the claimed signing time (SIGNING_CA_BUNDLE); revocation is not checked (baseline B).
   */
  async function qualifiedCertificate(jws: string, key: repo.KeyRow): Promise<NonNullable<Verification['certificate']>> {
    const jades = await verifyJades(jws, deps.qualified?.trusted ?? []);
    const leaf = key.certificate_chain?.[0];
    const info = leaf ? certificateInfo(new X509Certificate(Buffer.from(leaf, 'base64'))) : null;
    const trusted = jades.valid && jades.certificate.sha256 === key.certificate_sha256 && jades.header.kid === key.id;
    return { subject: info?.subject ?? '', issuer: info?.issuer ?? '', serialNumber: info?.serialNumber ?? '', notAfter: info?.notAfter ?? '', trusted };
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
    const certificate = key.level === 'qualified' ? await qualifiedCertificate(row.signature, key) : null;
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
      valid: check.valid && contentOk && headerOk && chain && (certificate?.trusted ?? true),
      checks: { signature: check.valid, contentDigest: contentOk, header: headerOk, chain },
      level: key.level,
      certificate,
      keyId: key.id,
      signer: { practitionerId: key.practitioner_id, uin: payload?.signer.uin ?? content?.performer.uin ?? '' },
      signedAt: fromDate(row.signed_at).toString(),
      contentSha256: row.content_sha256,
      replacedById: row.replaced_by_id,
    };
  }

  return {
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

  };
}
