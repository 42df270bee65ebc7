import { createHash, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, id_ce_keyUsage, KeyUsage, KeyUsageFlags } from '@peculiar/asn1-x509';
import { certificatePem, pemCertificates } from './raw-signer.js';

/** What a verifier shows about a signer's certificate. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 (hex) of the DER certificate, the `x5t#S256` value in hex. */
  sha256: string;
  /** The doctor's UIN (УИН) read from the subject, when present. */
  uin: string | null;
}

export type ChainCheck = { ok: true; certificate: CertificateInfo } | { ok: false; reason: 'malformed' | 'untrusted' | 'expired' | 'not_for_signing' };

/**
 * Reads the doctor's UIN from a certificate subject. Assumption (docs/records.md#signatures): the
 * professional certificate carries the UIN as an RDN value `UIN-<10 digits>` (serialNumber or OU);
 * the test CA issues it so. Natural-person КЕП carry `PNOBG-<EGN>` instead and need the UIN mapping
 * that the NHIS keeps; that is not known publicly.
 * @param subject - the subject DN as Node prints it (one RDN per line)
 * @returns the UIN or null
 */
export function uinOfSubject(subject: string): string | null {
  return /\bUIN[-: ]?(\d{10})\b/.exec(subject)?.[1] ?? null;
}

/**
 * Facts about one certificate.
 * @param cert - the parsed certificate
 * @returns subject, issuer, validity, fingerprint and UIN
 */
export function certificateInfo(cert: X509Certificate): CertificateInfo {
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialNumber: cert.serialNumber,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    sha256: createHash('sha256').update(cert.raw).digest('hex'),
    uin: uinOfSubject(cert.subject),
  };
}

/**
 * Parses a CA bundle (PEM, several certificates).
 * @param pem - the bundle text
 * @returns the CA certificates
 */
export function parseCaBundle(pem: string): X509Certificate[] {
  return pemCertificates(pem).map((b64) => new X509Certificate(certificatePem(b64)));
}

/** A certificate for signatures: key usage digitalSignature or nonRepudiation (contentCommitment) when the extension is present. */
function signsContent(cert: X509Certificate): boolean {
  const ext = AsnConvert.parse(cert.raw, Certificate).tbsCertificate.extensions?.find((e) => e.extnID === id_ce_keyUsage);
  if (!ext) return true;
  const usage = AsnConvert.parse(ext.extnValue, KeyUsage).toNumber();
  return (usage & (KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation)) !== 0;
}

/**
 * Checks that a signer's certificate chains to a trusted CA and was valid at the signing time.
 * Intermediates may come with the signature (x5c, X509Data); anchors come only from the bundle.
 * Security: revocation (OCSP/CRL) is not checked here: that is what a baseline-LT signature adds.
 * @param chainB64 - the signer's certificate first, then intermediates (base64 DER)
 * @param trusted - the trusted CA certificates
 * @param at - the signing time
 * @returns ok with the signer's certificate facts, or why not
 */
export function checkCertificateChain(chainB64: string[], trusted: X509Certificate[], at: Date): ChainCheck {
  let chain: X509Certificate[];
  try {
    chain = chainB64.map((b64) => new X509Certificate(Buffer.from(b64, 'base64')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const leaf = chain[0];
  if (!leaf) return { ok: false, reason: 'malformed' };
  const within = (c: X509Certificate) => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
  if (leaf.ca) return { ok: false, reason: 'not_for_signing' };
  if (!signsContent(leaf)) return { ok: false, reason: 'not_for_signing' };
  let current = leaf;
  for (let depth = 0; depth < 5; depth += 1) {
    if (!within(current)) return { ok: false, reason: 'expired' };
    const anchor = trusted.find((ca) => current.checkIssued(ca) && current.verify(ca.publicKey));
    if (anchor) return within(anchor) ? { ok: true, certificate: certificateInfo(leaf) } : { ok: false, reason: 'expired' };
    const next = chain.find((c) => c !== current && c.ca && current.checkIssued(c) && current.verify(c.publicKey));
    if (!next) return { ok: false, reason: 'untrusted' };
    current = next;
  }
  return { ok: false, reason: 'untrusted' };
}
