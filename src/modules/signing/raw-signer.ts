import { createPrivateKey, sign as nodeSign, X509Certificate } from 'node:crypto';
import { AppError } from '../../platform/errors/app-error.js';

/**
 * The algorithms a qualified signature uses here. Bulgarian КЕП cards hold RSA 2048 keys (RS256,
 * PKCS#1 v1.5); newer ones and HSMs also hold P-256 keys (ES256). Both sign SHA-256 digests.
 */
export type SignatureAlg = 'ES256' | 'RS256';

/**
 * The smallest signing seam: sign bytes with one key and say which certificate chain belongs to it.
 * Signatures are in JOSE form (r||s for ECDSA, which is also XMLDSig's form; PKCS#1 v1.5 for RSA).
 */
export interface RawSigner {
  readonly alg: SignatureAlg;
  /** Signs SHA-256(data) with the key. */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** The signer's certificate first, then any intermediates, as base64 DER (the JOSE `x5c` form). */
  certificateChain(): Promise<string[]>;
}

/**
 * Splits a PEM bundle into base64 DER certificates.
 * @param pem - one or more PEM certificates
 * @returns base64 DER bodies in file order
 */
export function pemCertificates(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) => (m[1] ?? '').replace(/\s+/g, ''));
}

/**
 * Base64 DER to PEM.
 * @param b64 - base64 DER of a certificate
 * @returns PEM text
 */
export function certificatePem(b64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * The algorithm matching a certificate's public key.
 * @param certB64 - base64 DER
 * @returns ES256 for P-256, RS256 for RSA
 * @throws {AppError} `signing.certificate_untrusted` for any other key type
 */
export function algOfCertificate(certB64: string): SignatureAlg {
  const key = new X509Certificate(Buffer.from(certB64, 'base64')).publicKey;
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new AppError('signing.certificate_untrusted', { detail: 'Only RSA and P-256 certificates are supported' });
}

/**
 * A software signer from a PEM private key and its certificate (chain): for tests, the demo and
 * facilities whose key lives in a file. Not qualified: a qualified key never leaves its device.
 * @param keyPem - PKCS#8 (or PKCS#1/SEC1) PEM private key
 * @param certPem - the certificate, optionally followed by intermediates
 * @returns the raw signer
 */
export function softwareRawSigner(keyPem: string, certPem: string): RawSigner {
  const key = createPrivateKey(keyPem);
  const chain = pemCertificates(certPem);
  const first = chain[0];
  if (!first) throw new AppError('signing.certificate_not_found', { detail: 'No certificate in the PEM text' });
  const alg = algOfCertificate(first);
  return {
    alg,
    sign: async (data) => new Uint8Array(nodeSign('sha256', data, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key)),
    certificateChain: async () => chain,
  };
}
