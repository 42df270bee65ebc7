import { describe, expect, it } from 'vitest';
import { generateKeyPair, exportJWK } from 'jose';
import { createSign } from 'node:crypto';
import { contentDigest, externalSigner, generateSigningKey, signWithPrivateKey, verifyJws, SIGNATURE_TYPE, type SignaturePayload } from './signing.js';

const content = { schema: 'x', body: { anamnesis: 'Кашлица от 3 дни', diagnoses: [{ code: 'J06.9' }] }, documentId: 'd' };
const payloadFor = (c: unknown): SignaturePayload => ({
  typ: SIGNATURE_TYPE,
  documentId: '0193a000-0000-7000-8000-000000000001',
  revision: 1,
  kind: 'ambulatory_sheet',
  requestId: '0193a000-0000-7000-8000-000000000002',
  sha256: contentDigest(c).sha256,
  replaces: null,
  signedAt: '2026-11-24T09:00:00Z',
  signer: { practitionerId: '0193a000-0000-7000-8000-000000000003', uin: '2300012345' },
});

describe('document signatures', () => {
  it.each(['EdDSA', 'ES256'] as const)('signs and verifies with %s, and the digest ignores member order', async (alg) => {
    const key = await generateSigningKey(alg);
    const sig = await signWithPrivateKey(payloadFor(content), { keyId: 'k1', alg, privatePkcs8: key.privatePkcs8 });
    const check = await verifyJws(sig.jws, { keyId: 'k1', alg, publicJwk: key.publicJwk });
    expect(check.valid).toBe(true);
    if (check.valid) expect(check.payload.sha256).toBe(contentDigest({ documentId: 'd', body: { diagnoses: [{ code: 'J06.9' }], anamnesis: 'Кашлица от 3 дни' }, schema: 'x' }).sha256);
  });

  it('detects a changed content digest, a tampered payload, a foreign key and an algorithm swap', async () => {
    const key = await generateSigningKey('EdDSA');
    const other = await generateSigningKey('EdDSA');
    const { jws } = await signWithPrivateKey(payloadFor(content), { keyId: 'k1', alg: 'EdDSA', privatePkcs8: key.privatePkcs8 });
    const check = await verifyJws(jws, { keyId: 'k1', alg: 'EdDSA', publicJwk: key.publicJwk });
    expect(check.valid && check.payload.sha256 === contentDigest({ ...content, body: { ...content.body, anamnesis: 'Кашлица от 4 дни' } }).sha256).toBe(false);
    const [h, p, s] = jws.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payloadFor(content), revision: 2 })).toString('base64url');
    expect(await verifyJws(`${h}.${forged}.${s}`, { keyId: 'k1', alg: 'EdDSA', publicJwk: key.publicJwk })).toEqual({ valid: false, reason: 'bad_signature' });
    expect(await verifyJws(jws, { keyId: 'k1', alg: 'EdDSA', publicJwk: other.publicJwk })).toEqual({ valid: false, reason: 'bad_signature' });
    expect(await verifyJws(jws, { keyId: 'k2', alg: 'EdDSA', publicJwk: key.publicJwk })).toEqual({ valid: false, reason: 'wrong_key' });
    expect(await verifyJws(jws, { keyId: 'k1', alg: 'ES256', publicJwk: key.publicJwk })).toEqual({ valid: false, reason: 'wrong_key' });
    expect(await verifyJws(`${h}.${p}`, { keyId: 'k1', alg: 'EdDSA', publicJwk: key.publicJwk })).toMatchObject({ valid: false });
  });

  it('builds a verifiable JWS around an external (QES-style) provider’s raw signature', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const { createPrivateKey } = await import('node:crypto');
    const nodeKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
    const signer = externalSigner({
      async signBytes(_ref, _alg, input) {
        return createSign('SHA256').update(input).sign({ key: nodeKey, dsaEncoding: 'ieee-p1363' });
      },
    });
    const r = await signer.sign(payloadFor(content), { keyId: 'q1', alg: 'ES256' });
    expect(r.level).toBe('qualified');
    expect((await verifyJws(r.jws, { keyId: 'q1', alg: 'ES256', publicJwk: await exportJWK(publicKey) })).valid).toBe(true);
  });
});
