import { verify as nodeVerify, type X509Certificate } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml, type SignatureAlgorithm } from 'xml-crypto';
import { checkCertificateChain, type CertificateInfo } from './certificates.js';
import { certificatePem, softwareRawSigner, type RawSigner } from './raw-signer.js';

/**
 * The XML signer port between the NHIS transport and whoever holds the doctor's key: an enveloped
 * XMLDSig over the whole message (Reference URI=""), exclusive c14n, SHA-256, RSA or ECDSA, with the
 * signer's certificate in KeyInfo/X509Data — the shape the public NHIS clients send.
 */
export interface XmlSigner {
  /** Returns the XML with a ds:Signature appended to the root element. */
  sign(xml: string): Promise<string>;
  /** The signer's certificate (PEM). */
  certificatePem(): Promise<string>;
}

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
export const XMLDSIG_ALGS = {
  RS256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  ES256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
} as const;

/** ECDSA-SHA256 (RFC 4051) for verification: xml-crypto 6 has RSA only; the value is r||s. */
class EcdsaSha256 implements SignatureAlgorithm {
  getAlgorithmName() {
    return XMLDSIG_ALGS.ES256;
  }
  getSignature(): string {
    throw new Error('ECDSA signing goes through a RawSigner');
  }
  verifySignature(material: string, key: Parameters<SignatureAlgorithm['verifySignature']>[1], signatureValue: string): boolean {
    return nodeVerify('sha256', Buffer.from(material, 'utf8'), { key: key as string, dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureValue, 'base64'));
  }
}

/**
 * An XmlSigner over any RawSigner (software key, PKCS#11 token, the local agent).
 * @param raw - what signs the canonical SignedInfo
 * @returns the XML signer
 */
export function xmlSignerOver(raw: RawSigner): XmlSigner {
  const uri = XMLDSIG_ALGS[raw.alg];
  // Tricky: xml-crypto instantiates algorithms itself; this class closes over the raw signer so the
  // private key never has to be a KeyObject (it may sit on a card).
  class Delegated implements SignatureAlgorithm {
    getAlgorithmName() {
      return uri;
    }
    getSignature(signedInfo: Parameters<SignatureAlgorithm['getSignature']>[0], _key: unknown, callback?: (err: Error | null, value?: string) => void): string {
      if (!callback) throw new Error('The signature is asynchronous');
      raw.sign(Buffer.from(signedInfo as string, 'utf8')).then((s) => callback(null, Buffer.from(s).toString('base64')), (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))));
      return '';
    }
    verifySignature(): boolean {
      throw new Error('not a verifier');
    }
  }
  return {
    async certificatePem() {
      return (await raw.certificateChain()).map(certificatePem).join('');
    },
    async sign(xml) {
      const chain = await raw.certificateChain();
      const sig = new SignedXml({ privateKey: 'held-by-the-raw-signer', publicCert: chain.map(certificatePem).join(''), canonicalizationAlgorithm: EXC_C14N, signatureAlgorithm: uri });
      sig.SignatureAlgorithms = { ...sig.SignatureAlgorithms, [uri]: Delegated };
      sig.addReference({ xpath: '/*', transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256, isEmptyUri: true });
      const done = await new Promise<SignedXml>((resolve, reject) => {
        sig.computeSignature(xml, { location: { reference: '/*', action: 'append' } }, (err, s) => (err || !s ? reject(err ?? new Error('no signature')) : resolve(s)));
      });
      return done.getSignedXml();
    },
  };
}

/**
 * The software XML signer from a PEM key and certificate (the same port as PKCS#11).
 * @param keyPem - the private key
 * @param certPem - the certificate (chain)
 * @returns the XML signer
 */
export function softwareXmlSigner(keyPem: string, certPem: string): XmlSigner {
  return xmlSignerOver(softwareRawSigner(keyPem, certPem));
}

export type XmlSignatureCheck =
  | { valid: true; certificate: CertificateInfo; certificatePem: string }
  | { valid: false; reason: 'no_signature' | 'several_signatures' | 'malformed' | 'untrusted_certificate' | 'bad_signature' | 'not_whole_document' };

/**
 * Verifies an enveloped XMLDSig: exactly one signature, over the whole document, by a certificate in
 * KeyInfo that chains to a trusted CA at `at`.
 * @param xml - the signed XML
 * @param trust - trusted CAs and the time to check validity at
 * @returns the signer's certificate, or why not
 */
export function verifyXmlSignature(xml: string, trust: { trusted: X509Certificate[]; at: Date }): XmlSignatureCheck {
  let doc;
  try {
    doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'));
  const node = signatures[0];
  if (!node) return { valid: false, reason: 'no_signature' };
  if (signatures.length > 1) return { valid: false, reason: 'several_signatures' };
  const certs = Array.from(node.getElementsByTagNameNS(DSIG, 'X509Certificate')).map((c) => (c.textContent ?? '').replace(/\s+/g, ''));
  const chain = checkCertificateChain(certs, trust.trusted, trust.at);
  if (!chain.ok) return { valid: false, reason: chain.reason === 'malformed' ? 'malformed' : 'untrusted_certificate' };
  const pem = certificatePem(certs[0] ?? '');
  // Security: the key comes from the certificate just checked, never from whatever KeyInfo says later.
  const sig = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
  sig.SignatureAlgorithms = { ...sig.SignatureAlgorithms, [XMLDSIG_ALGS.ES256]: EcdsaSha256 };
  const refs = Array.from(node.getElementsByTagNameNS(DSIG, 'Reference'));
  if (refs.length !== 1 || refs[0]?.getAttribute('URI') !== '') return { valid: false, reason: 'not_whole_document' };
  try {
    sig.loadSignature(node as unknown as Parameters<SignedXml['loadSignature']>[0]);
    if (!sig.checkSignature(xml)) return { valid: false, reason: 'bad_signature' };
  } catch {
    return { valid: false, reason: 'bad_signature' };
  }
  return { valid: true, certificate: chain.certificate, certificatePem: pem };
}

/**
 * Whether a signed XML is exactly the given unsigned one with an enveloped signature added as a child of
 * its root: what a signer (the local agent) returns must be what the server asked it to sign.
 * @param signedXml - the XML with its ds:Signature
 * @param unsignedXml - the XML the signer was given
 * @returns true when they are the same document apart from the signature
 */
export function isSignedCopyOf(signedXml: string, unsignedXml: string): boolean {
  const parse = (xml: string) => {
    try {
      return new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
    } catch {
      return undefined;
    }
  };
  const signed = parse(signedXml);
  const unsigned = parse(unsignedXml);
  const root = signed?.documentElement;
  if (!signed || !unsigned?.documentElement || !root) return false;
  const signatures = Array.from(signed.getElementsByTagNameNS(DSIG, 'Signature'));
  if (signatures.length !== 1 || signatures[0]?.parentNode !== root) return false;
  root.removeChild(signatures[0]);
  const out = new XMLSerializer();
  return out.serializeToString(signed) === out.serializeToString(unsigned);
}
