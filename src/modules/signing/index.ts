/**
 * Signing: the seams between documents/messages and whoever holds a signing key (a software key, a
 * PKCS#11 token on the server, the doctor's card through the local agent). docs/records.md#signatures.
 */
export { softwareRawSigner, pemCertificates, certificatePem, algOfCertificate, type RawSigner, type SignatureAlg } from './raw-signer.js';
export { checkCertificateChain, certificateInfo, parseCaBundle, uinOfSubject, type CertificateInfo, type ChainCheck } from './certificates.js';
export { xmlSignerOver, softwareXmlSigner, verifyXmlSignature, isSignedCopyOf, XMLDSIG_ALGS, type XmlSigner, type XmlSignatureCheck } from './xml-signer.js';
export { openPkcs11Token, pkcs11XmlSigner, type Pkcs11Config, type Pkcs11Token, type TokenCertificate } from './pkcs11.js';
export { jadesHeader, jwsSigningInput, assembleJws, signJades, verifyJades, type JadesHeader, type JadesCheck } from './jades.js';
export { tokenKeysByUin, loadServerQualifiedSigning, type ServerQualifiedSigning } from './server-keys.js';
export { startSignerAgent, type SignerAgent, type SignerAgentOptions } from './agent/signer-agent.js';
