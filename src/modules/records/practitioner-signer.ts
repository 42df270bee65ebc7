import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import * as repo from './records.repo.js';
import { createQualifiedSigning, type QualifiedSigningConfig } from './qualified-signing.js';
import { generateSigningKey, signWithPrivateKey, type DocumentSigner, type SignaturePayload, type SignatureResult, type SigningAlg } from './signing.js';

const keyContext = (keyId: string) => `signing_key:${keyId}:private`;

/** Signs other modules' documents (referrals, prescriptions) with the practitioner's key at a facility. */
export interface PractitionerSigner {
  /**
   * Signs a payload inside the caller's transaction: qualified (JAdES-B-B) when a server-side token holds
   * the doctor's certificate, else with the practitioner's advanced key at the facility (created on first use).
   * @returns the JWS, key id and level
   * @throws {AppError} `rule.violated` when the practitioner signs only with an external qualified device
   */
  sign(ctx: RequestCtx, q: Queryable, who: { practitionerId: string; facilityId: string }, payload: SignaturePayload): Promise<SignatureResult>;
}

/**
 * The same keys and `DocumentSigner` seam as the ambulatory sheet (docs/records.md#signatures), for documents
 * of other modules. The private key is decrypted only for the signature and never leaves the process.
 * @param deps - clock, ids, keyring, audit; `alg` for new keys; `qualified` for КЕП (trusted CAs, server token)
 * @returns the signer
 */
export function createPractitionerSigner(deps: { clock: Clock; ids: IdGen; keyring: Keyring; audit: AuditLog; alg?: SigningAlg; qualified?: QualifiedSigningConfig }): PractitionerSigner {
  const alg: SigningAlg = deps.alg ?? 'EdDSA';
  const qualified = deps.qualified ? createQualifiedSigning({ clock: deps.clock, ids: deps.ids, audit: deps.audit, qualified: deps.qualified }) : null;
  return {
    async sign(ctx, q, who, payload) {
      const signed = await qualified?.signWithServerKey(ctx, q, { ...who, uin: payload.signer.uin }, payload);
      if (signed) return signed;
      const existing = await repo.findActiveKey(q, who.practitionerId, who.facilityId);
      let key: { id: string; alg: SigningAlg; privatePkcs8: string };
      if (existing) {
        // The advanced key is always held encrypted (practitioner_signing_key_held); RS256 is only a certificate's.
        if (!existing.private_key_enc || existing.alg === 'RS256') throw new AppError('rule.violated', { detail: 'The advanced signing key is not held by Distansia' });
        key = { id: existing.id, alg: existing.alg, privatePkcs8: (await deps.keyring.decrypt(ctx, q, facilityScope(who.facilityId), existing.private_key_enc, keyContext(existing.id))).toString('utf8') };
      } else {
        const id = deps.ids.uuid();
        const generated = await generateSigningKey(alg);
        const enc = await deps.keyring.encrypt(q, facilityScope(who.facilityId), generated.privatePkcs8, keyContext(id));
        await repo.insertKey(q, { id, practitionerId: who.practitionerId, facilityId: who.facilityId, alg, publicJwk: { ...generated.publicJwk, kid: id }, privateKeyEnc: enc, now: toDate(deps.clock.now()) });
        await deps.audit.record(q, ctx, { action: 'signing_key.created', facilityId: who.facilityId, subject: { type: 'signing_key', id }, data: { alg, practitionerId: who.practitionerId } });
        key = { id, alg, privatePkcs8: generated.privatePkcs8 };
      }
      const signer: DocumentSigner = { level: 'advanced', sign: (p) => signWithPrivateKey(p, { keyId: key.id, alg: key.alg, privatePkcs8: key.privatePkcs8 }) };
      return signer.sign(payload, { keyId: key.id, alg: key.alg });
    },
  };
}
