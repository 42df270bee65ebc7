import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs the Reflect metadata polyfill
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * A throw-away certificate authority and a doctor's certificate it issued, for the NHIS simulator, the
 * tests and the demo: the simulator trusts the CA, the HTTP transport signs with the doctor's key.
 * Never a qualified certificate (КЕП): the NHIS itself trusts only the qualified trust service providers.
 */
export interface TestPki {
  caPem: string;
  doctor: { keyPem: string; certPem: string };
}

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

/**
 * Makes a CA and one or more doctors' certificates valid from `notBefore` for `days`.
 * @param opts - validity start (from the injected clock), length in days, and the doctor's common name
 * @returns the CA certificate and the doctor's key and certificate, PEM
 */
export async function createTestPki(opts: { notBefore: Date; days?: number; doctorName?: string }): Promise<TestPki> {
  const notBefore = opts.notBefore;
  const notAfter = new Date(notBefore.getTime() + (opts.days ?? 365) * 86_400_000);
  const caKeys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Distansia NHIS simulator test CA, O=Distansia, C=BG',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: RSA,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const doctorKeys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const doctor = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${opts.doctorName ?? 'Test Doctor'}, C=BG`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: doctorKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: RSA,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
  });
  return { caPem: ca.toString('pem'), doctor: { keyPem: await keyPem(doctorKeys.privateKey), certPem: doctor.toString('pem') } };
}
