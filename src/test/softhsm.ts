import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

/**
 * Test PKI and SoftHSM tokens: a test CA, doctors' certificates (the UIN in the subject as the
 * verifier expects, docs/records.md#signatures) and fresh SoftHSM token directories. Nothing is
 * downloaded; Debian's softhsm2 must be installed (`apt-get install -y softhsm2`, .ci/run does it).
 */

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const SOFTHSM_UTIL = '/usr/bin/softhsm2-util';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type TestAlg = 'ES256' | 'RS256';
const keyAlg = (alg: TestAlg) =>
  alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

const pkcs8Pem = async (key: CryptoKey) => `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;

/** A doctor's key and certificate issued by the test CA. */
export interface IssuedCertificate {
  keyPem: string;
  certPem: string;
  /** base64 DER */
  der: string;
  /** base64 DER of the subject name (CKA_SUBJECT) */
  subjectDer: string;
}

export interface TestPki {
  caPem: string;
  /** Issues a signing certificate for a doctor (UIN-<uin> in the subject's serialNumber). */
  issue(who: { uin: string; name: string; alg?: TestAlg; notBefore?: Date; notAfter?: Date }): Promise<IssuedCertificate>;
}

/**
 * A fresh test CA.
 * @param name - the CA's common name
 * @returns the CA and an issuer of doctors' certificates
 */
export async function createTestPki(name = 'Distansia Test Qualified CA'): Promise<TestPki> {
  const caKeys = (await webcrypto.subtle.generateKey(keyAlg('ES256'), false, ['sign', 'verify'])) as CryptoKeyPair;
  const caName = `CN=${name}, O=Distansia Tests, C=BG`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: caName,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    keys: caKeys,
    signingAlgorithm: keyAlg('ES256'),
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  let serial = 16;
  return {
    caPem: ca.toString('pem') + '\n',
    async issue(who) {
      const alg = who.alg ?? 'ES256';
      const keys = (await webcrypto.subtle.generateKey(keyAlg(alg), true, ['sign', 'verify'])) as CryptoKeyPair;
      serial += 1;
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial.toString(16).padStart(4, '0'),
        subject: `CN=${who.name}, 2.5.4.5=UIN-${who.uin}, C=BG`,
        issuer: ca.subject,
        notBefore: who.notBefore ?? new Date('2024-01-01T00:00:00Z'),
        notAfter: who.notAfter ?? new Date('2030-01-01T00:00:00Z'),
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: keyAlg('ES256'),
        extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
      });
      return { keyPem: await pkcs8Pem(keys.privateKey), certPem: cert.toString('pem') + '\n', der: Buffer.from(cert.rawData).toString('base64'), subjectDer: Buffer.from(cert.subjectName.toArrayBuffer()).toString('base64') };
    },
  };
}

/** One token to create: its label, PIN, and the keys with certificates to put on it. */
export interface TokenSpec {
  label: string;
  pin: string;
  keys: { id: string; label: string; issued: IssuedCertificate }[];
}

export interface SoftHsm {
  /** Set SOFTHSM2_CONF to this before the first PKCS#11 call of the process. */
  conf: string;
  module: string;
  /** Imports keys with their certificates onto an existing token (an open session sees them on its next search). */
  addKeys(token: string, pin: string, keys: TokenSpec['keys']): void;
  remove(): Promise<void>;
}

const CERT_SCRIPT = `
  const p = require(process.argv[1]);
  const certs = JSON.parse(process.argv[2]);
  const m = new p.PKCS11(); m.load(process.argv[3]); m.C_Initialize();
  for (const c of certs) {
    const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === c.token);
    const s = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
    m.C_Login(s, p.CKU_USER, c.pin);
    m.C_CreateObject(s, [
      { type: p.CKA_CLASS, value: p.CKO_CERTIFICATE }, { type: p.CKA_CERTIFICATE_TYPE, value: p.CKC_X_509 },
      { type: p.CKA_TOKEN, value: true }, { type: p.CKA_ID, value: Buffer.from(c.id, 'hex') },
      { type: p.CKA_LABEL, value: c.label }, { type: p.CKA_VALUE, value: Buffer.from(c.der, 'base64') },
      { type: p.CKA_SUBJECT, value: Buffer.from(c.subject, 'base64') },
    ]);
    m.C_Logout(s); m.C_CloseSession(s);
  }
  m.C_Finalize();`;

/**
 * Creates SoftHSM tokens in a fresh directory: `softhsm2-util` initialises each token and imports
 * each private key; the certificates are written with C_CreateObject in a child process (the
 * PKCS#11 library reads SOFTHSM2_CONF once per process).
 * @param tokens - the tokens
 * @returns the configuration file to point SOFTHSM2_CONF at
 */
export async function createSoftHsm(tokens: TokenSpec[]): Promise<SoftHsm> {
  const dir = await mkdtemp(join(tmpdir(), 'distansia-softhsm-'));
  const conf = join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${dir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { SOFTHSM2_CONF: conf, PATH: '/usr/bin:/bin' };
  const addKeys = (token: string, pin: string, keys: TokenSpec['keys']) => {
    for (const k of keys) {
      const file = join(dir, `${token}-${k.id}.pem`);
      writeFileSync(file, k.issued.keyPem, { mode: 0o600 });
      try {
        execFileSync(SOFTHSM_UTIL, ['--import', file, '--token', token, '--pin', pin, '--id', k.id, '--label', k.label], { env, stdio: 'pipe' });
      } finally {
        rmSync(file);
      }
    }
    const certs = keys.map((k) => ({ token, pin, id: k.id, label: k.label, der: k.issued.der, subject: k.issued.subjectDer }));
    if (certs.length) execFileSync(process.execPath, ['-e', CERT_SCRIPT, createRequire(import.meta.url).resolve('pkcs11js'), JSON.stringify(certs), SOFTHSM_MODULE], { env, stdio: 'pipe' });
  };
  for (const t of tokens) {
    execFileSync(SOFTHSM_UTIL, ['--init-token', '--free', '--label', t.label, '--pin', t.pin, '--so-pin', `${t.pin}-so`], { env, stdio: 'pipe' });
    addKeys(t.label, t.pin, t.keys);
  }
  return { conf, module: SOFTHSM_MODULE, addKeys, remove: () => rm(dir, { recursive: true, force: true }) };
}
