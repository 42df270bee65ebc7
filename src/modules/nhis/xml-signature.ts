import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

/**
 * The NHIS side of the enveloped XMLDSig that messages and the token challenge carry, in the profile public
 * NHIS clients use (bulgarian-identifiers-codes-and-nhis.md §6.1): the whole `nhis:message` (Reference
 * URI=""), enveloped + exclusive c14n transforms, SHA-256, the signer's certificate in KeyInfo/X509Data.
 * Signing is the signing module's (`XmlSigner`); this is what the simulator checks, as the NHIS would.
 */

// One signer seam for the NHIS: the software and PKCS#11 signers of the signing module.
export { softwareXmlSigner, type XmlSigner } from '../signing/index.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** Why a signature was refused. */
export type SignatureProblem = 'no_signature' | 'not_enveloped' | 'no_certificate' | 'untrusted_certificate' | 'certificate_expired' | 'wrong_profile' | 'invalid_signature';

export type SignatureCheck = { ok: true; certificatePem: string; fingerprint: string; subject: string } | { ok: false; problem: SignatureProblem };

/**
 * Checks an enveloped signature over the whole document and that its certificate was issued by a
 * trusted CA and is valid at `now`.
 * @param xml - the signed document
 * @param trust - the CA certificate(s) (PEM; the simulator's own and, in tests, the doctors' card CA) and the instant to check validity at (the injected clock)
 * @returns the signer's certificate, or why the signature is refused
 */
export function verifyEnvelopedSignature(xml: string, trust: { caPem: string | readonly string[]; now: Date }): SignatureCheck {
  let doc;
  try {
    doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
  } catch {
    return { ok: false, problem: 'no_signature' };
  }
  const root = doc.documentElement;
  const signatures = doc.getElementsByTagNameNS(DS, 'Signature');
  const node = signatures.item(0);
  if (!root || signatures.length === 0 || !node) return { ok: false, problem: 'no_signature' };
  // Security: exactly one signature, a child of the root, so what was checked is the whole message.
  if (signatures.length !== 1 || node.parentNode !== root) return { ok: false, problem: 'not_enveloped' };
  const keyInfo = node.getElementsByTagNameNS(DS, 'KeyInfo').item(0);
  const certPem = keyInfo ? SignedXml.getCertFromKeyInfo(keyInfo as unknown as Node) : null;
  if (!certPem) return { ok: false, problem: 'no_certificate' };
  const cas = typeof trust.caPem === 'string' ? [trust.caPem] : trust.caPem;
  let known: KnownCertificate = { ok: false, problem: 'untrusted_certificate' };
  for (const ca of cas) {
    known = trustedCertificate(certPem, ca);
    if (known.ok) break;
  }
  if (!known.ok) return known;
  const at = trust.now.getTime();
  if (at < known.validFrom || at > known.validTo) return { ok: false, problem: 'certificate_expired' };
  const check = new SignedXml({ publicCert: known.publicKey });
  try {
    check.loadSignature(node as unknown as Node);
    if (check.signatureAlgorithm !== RSA_SHA256) return { ok: false, problem: 'wrong_profile' };
    const refs = check.getReferences();
    if (refs.length !== 1 || (refs[0]?.uri ?? '') !== '' || !refs[0]?.transforms.includes(ENVELOPED)) return { ok: false, problem: 'wrong_profile' };
    if (!check.checkSignature(xml)) return { ok: false, problem: 'invalid_signature' };
  } catch {
    return { ok: false, problem: 'invalid_signature' };
  }
  return { ok: true, certificatePem: certPem, fingerprint: known.fingerprint, subject: known.subject };
}

type KnownCertificate = { ok: true; publicKey: KeyObject; fingerprint: string; subject: string; validFrom: number; validTo: number } | { ok: false; problem: SignatureProblem };
// Certificates already checked against a CA: a doctor sends many messages with one certificate, and
// parsing and checking it each time cost more than the signature. Bounded, oldest out.
const checked = new Map<string, KnownCertificate>();

function trustedCertificate(certPem: string, caPem: string): KnownCertificate {
  const key = `${caPem}\n${certPem}`;
  const seen = checked.get(key);
  if (seen) return seen;
  let result: KnownCertificate;
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    result =
      cert.checkIssued(ca) && cert.verify(ca.publicKey)
        ? { ok: true, publicKey: cert.publicKey, fingerprint: createHash('sha256').update(cert.raw).digest('hex'), subject: cert.subject, validFrom: Date.parse(cert.validFrom), validTo: Date.parse(cert.validTo) }
        : { ok: false, problem: 'untrusted_certificate' };
  } catch {
    result = { ok: false, problem: 'no_certificate' };
  }
  checked.set(key, result);
  if (checked.size > 1000) checked.delete(checked.keys().next().value as string);
  return result;
}
