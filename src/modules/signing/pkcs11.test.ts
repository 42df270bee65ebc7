import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.js';
import { createSoftHsm, createTestPki, SOFTHSM_MODULE, type IssuedCertificate, type SoftHsm } from '../../test/softhsm.js';
import { openPkcs11Token, pkcs11XmlSigner, softwareXmlSigner, verifyXmlSignature, signJades, verifyJades, type Pkcs11Token } from './index.js';

// The real PKCS#11 path against Debian's SoftHSM: a token made here, a test CA, a doctor's certificate
// with the UIN in the subject (docs/records.md#signatures).
const NHIS_MESSAGE = '<nhis:message xmlns:nhis="https://www.his.bg"><nhis:header><nhis:sender value="1"/><nhis:senderId value="0400000001"/></nhis:header><nhis:contents><nhis:nrnExamination value="x"/></nhis:contents></nhis:message>';

let hsm: SoftHsm;
let pki: Awaited<ReturnType<typeof createTestPki>>;
let ec: IssuedCertificate;
let rsa: IssuedCertificate;
let ca: X509Certificate[];
let token: Pkcs11Token;
const at = new Date('2026-12-06T10:00:00Z');

beforeAll(async () => {
  pki = await createTestPki();
  ec = await pki.issue({ uin: '0400000001', name: 'Д-р Иван Петров' });
  rsa = await pki.issue({ uin: '0400000002', name: 'Д-р Мария Иванова', alg: 'RS256' });
  hsm = await createSoftHsm([{ label: 'doctor', pin: '1234', keys: [{ id: 'a1', label: 'ec', issued: ec }, { id: 'b2', label: 'rsa', issued: rsa }] }, { label: 'spare', pin: '4321', keys: [] }]);
  process.env.SOFTHSM2_CONF = hsm.conf;
  ca = [new X509Certificate(pki.caPem)];
  token = openPkcs11Token({ module: SOFTHSM_MODULE, tokenLabel: 'doctor', pin: '1234' });
});
afterAll(async () => {
  token.close();
  await hsm.remove();
});

describe('PKCS#11 XML signatures (SoftHSM)', () => {
  it('lists the certificates that have a key, with the UIN from the subject', async () => {
    const certs = await token.listCertificates();
    expect(certs.map((c) => [c.id, c.uin]).sort()).toEqual([['a1', '0400000001'], ['b2', '0400000002']]);
  });

  it.each([['ECDSA-SHA256', 'a1', 'ecdsa-sha256'], ['RSA-SHA256', 'b2', 'rsa-sha256']])('signs an enveloped XMLDSig (%s) that verifies against the CA', async (_n, id, uri) => {
    const signed = await (await pkcs11XmlSigner(token, id)).sign(NHIS_MESSAGE);
    expect(signed).toContain(`xmldsig-more#${uri}`);
    expect(signed).toContain('http://www.w3.org/2001/10/xml-exc-c14n#');
    expect(signed).toMatch(/<Reference URI="">/);
    expect(signed).toContain('<X509Certificate>');
    const check = verifyXmlSignature(signed, { trusted: ca, at });
    expect(check).toMatchObject({ valid: true, certificate: { uin: id === 'a1' ? '0400000001' : '0400000002' } });
  });

  it('refuses a tampered message, a foreign CA and a certificate outside its validity', async () => {
    const signed = await (await pkcs11XmlSigner(token, 'a1')).sign(NHIS_MESSAGE);
    expect(verifyXmlSignature(signed.replace('value="x"', 'value="y"'), { trusted: ca, at })).toEqual({ valid: false, reason: 'bad_signature' });
    const other = await createTestPki('Another CA');
    expect(verifyXmlSignature(signed, { trusted: [new X509Certificate(other.caPem)], at })).toEqual({ valid: false, reason: 'untrusted_certificate' });
    expect(verifyXmlSignature(signed, { trusted: ca, at: new Date('2031-01-01T00:00:00Z') })).toEqual({ valid: false, reason: 'untrusted_certificate' });
    expect(verifyXmlSignature(NHIS_MESSAGE, { trusted: ca, at })).toEqual({ valid: false, reason: 'no_signature' });
  });

  it('the software signer produces the same shape, verified the same way', async () => {
    const signed = await softwareXmlSigner(ec.keyPem, ec.certPem).sign(NHIS_MESSAGE);
    expect(verifyXmlSignature(signed, { trusted: ca, at })).toMatchObject({ valid: true });
  });

  it.each([['by the card (token not yet logged in)', 'spare'], ['by the process (token logged in by another session)', 'doctor']])('a wrong PIN is the catalogued signing.pin_incorrect, %s', (_n, label) => {
    let err: unknown;
    try {
      openPkcs11Token({ module: SOFTHSM_MODULE, tokenLabel: label, pin: '9999' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('signing.pin_incorrect');
  });

  it('a missing token and a missing module are catalogued too', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as AppError).code;
      }
      return 'none';
    };
    expect(codeOf(() => openPkcs11Token({ module: SOFTHSM_MODULE, tokenLabel: 'absent', pin: '1234' }))).toBe('signing.token_absent');
    expect(codeOf(() => openPkcs11Token({ module: '/nonexistent/libpkcs11.so', pin: '1234' }))).toBe('signing.device_error');
  });

  it('JAdES-B-B through the token: x5c and sigT bound, verified against the CA, tampering refused', async () => {
    const jws = await signJades(await token.signer('b2'), { hello: 'world' }, { at, cty: 'application/json' });
    const check = await verifyJades(jws, ca);
    expect(check).toMatchObject({ valid: true, payload: { hello: 'world' }, certificate: { uin: '0400000002' }, header: { sigT: '2026-12-06T10:00:00Z', crit: ['sigT'] } });
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ hello: 'mars' })).toString('base64url')}.${s}`;
    expect(await verifyJades(forged, ca)).toEqual({ valid: false, reason: 'bad_signature' });
  });
});
