import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftHsm, createTestPki, SOFTHSM_MODULE, type SoftHsm } from '../../../test/softhsm.js';
import { assembleJws, jadesHeader, jwsSigningInput, openPkcs11Token, startSignerAgent, verifyJades, verifyXmlSignature, type Pkcs11Token, type SignerAgent } from '../index.js';

// The local signing agent over HTTP with a SoftHSM token standing in for the doctor's card
// (docs/records.md#the-local-signer): pairing, CORS for the app origin only, certificates, a JWS
// signature the server can check against the CA, and an NHIS XML signature.
const APP = 'https://app.distansia.test';
let hsm: SoftHsm;
let token: Pkcs11Token;
let agent: SignerAgent;
let ca: X509Certificate[];
let bearer: string;

async function call(path: string, init: { method?: string; body?: unknown; origin?: string | null; auth?: string; host?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.origin !== null) headers.origin = init.origin ?? APP;
  if (init.auth) headers.authorization = `Bearer ${init.auth}`;
  const res = await fetch(`${agent.url}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: res.status, headers: res.headers, json: (await res.text().then((t) => (t ? JSON.parse(t) : null))) as Record<string, unknown> & { code?: string } };
}

beforeAll(async () => {
  const pki = await createTestPki();
  const issued = await pki.issue({ uin: '0400000001', name: 'Д-р Иван Петров', alg: 'RS256' });
  hsm = await createSoftHsm([{ label: 'card', pin: '1111', keys: [{ id: '01', label: 'КЕП', issued }] }]);
  process.env.SOFTHSM2_CONF = hsm.conf;
  ca = [new X509Certificate(pki.caPem)];
  token = openPkcs11Token({ module: SOFTHSM_MODULE, tokenLabel: 'card', pin: '1111' });
  agent = await startSignerAgent({ token, appOrigin: APP, port: 0, pairingCode: '12345678' });
});
afterAll(async () => {
  await agent?.close();
  token?.close();
  await hsm?.remove();
});

describe('distansia signer (local agent, SoftHSM)', () => {
  it('answers the app origin only, and only on 127.0.0.1', async () => {
    const ok = await call('/v1/status');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    const preflight = await fetch(`${agent.url}/v1/sign/jws`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-private-network')).toBe('true');
    const foreign = await call('/v1/status', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(agent.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses to sign before pairing; a wrong code is refused; the right one gives a token once', async () => {
    expect((await call('/v1/certificates')).json.code).toBe('signing.agent_unpaired');
    expect((await call('/v1/pair', { body: { code: '00000000' } })).status).toBe(401);
    const paired = await call('/v1/pair', { body: { code: '12345678' } });
    expect(paired.status).toBe(200);
    bearer = paired.json.token as string;
    expect(bearer).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await call('/v1/pair', { body: { code: '12345678' } })).status).toBe(401);
  });

  it('lists the card’s certificates and signs a JWS signing input the server verifies against the CA', async () => {
    const certs = await call('/v1/certificates', { auth: bearer });
    const list = certs.json.certificates as { id: string; uin: string; der: string }[];
    expect(list).toMatchObject([{ id: '01', uin: '0400000001' }]);
    // What the server does: a JAdES header with the chain, the payload, then the agent's raw signature.
    const input = jwsSigningInput(jadesHeader('RS256', [list[0]!.der], new Date('2026-12-06T10:00:00Z'), { cty: 'application/json' }), { documentId: 'd1', sha256: 'ab' });
    const signed = await call('/v1/sign/jws', { auth: bearer, body: { certificateId: '01', signingInput: input } });
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);
    expect(signed.json.alg).toBe('RS256');
    const jws = assembleJws(input, Buffer.from(signed.json.signature as string, 'base64url'));
    expect(await verifyJades(jws, ca)).toMatchObject({ valid: true, payload: { documentId: 'd1' }, certificate: { uin: '0400000001' } });
    expect((await call('/v1/sign/jws', { auth: bearer, body: { certificateId: '01', signingInput: 'not a jws' } })).status).toBe(400);
    expect((await call('/v1/sign/jws', { auth: 'x'.repeat(43), body: { certificateId: '01', signingInput: input } })).status).toBe(401);
  });

  it('signs an NHIS message as enveloped XMLDSig with the card', async () => {
    const xml = '<nhis:message xmlns:nhis="https://www.his.bg"><nhis:header><nhis:senderId value="0400000001"/></nhis:header></nhis:message>';
    const signed = await call('/v1/sign/xml', { auth: bearer, body: { certificateId: '01', xml } });
    expect(signed.status).toBe(200);
    expect(verifyXmlSignature(signed.json.xml as string, { trusted: ca, at: new Date('2026-12-06T10:00:00Z') })).toMatchObject({ valid: true, certificate: { uin: '0400000001' } });
  });

  it('a certificate that is not on the card is the catalogued signing.certificate_not_found', async () => {
    const res = await call('/v1/sign/xml', { auth: bearer, body: { certificateId: 'ff', xml: '<a/>' } });
    expect(res).toMatchObject({ status: 422, json: { code: 'signing.certificate_not_found' } });
  });
});
