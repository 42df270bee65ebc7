import { createHash, type X509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { checkCertificateChain, type CertificateInfo } from './certificates.js';
import { certificatePem, type RawSigner, type SignatureAlg } from './raw-signer.js';

/**
 * JAdES baseline B (ETSI TS 119 182-1) in compact form: a JWS whose protected header binds the signer's
 * certificate (`x5t#S256`, the chain in `x5c`) and carries the claimed signing time (`sigT`, critical).
 * docs/records.md#signatures says why JAdES rather than CAdES.
 */
export interface JadesHeader {
  alg: SignatureAlg;
  typ: 'JOSE';
  cty: string;
  kid?: string;
  x5c: string[];
  'x5t#S256': string;
  sigT: string;
  crit: ['sigT'];
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');

/**
 * The protected header for a chain and a signing time.
 * @param alg - RS256 or ES256
 * @param chain - base64 DER, signer first
 * @param at - signing time, ISO instant (seconds are kept, sub-seconds dropped: JAdES uses `YYYY-MM-DDThh:mm:ssZ`)
 * @param opts - content type and key id
 * @returns the header
 */
export function jadesHeader(alg: SignatureAlg, chain: string[], at: Date, opts: { cty: string; kid?: string }): JadesHeader {
  const leaf = chain[0] ?? '';
  return {
    alg,
    typ: 'JOSE',
    cty: opts.cty,
    ...(opts.kid ? { kid: opts.kid } : {}),
    x5c: chain,
    'x5t#S256': b64url(createHash('sha256').update(Buffer.from(leaf, 'base64')).digest()),
    sigT: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    crit: ['sigT'],
  };
}

/**
 * The JWS signing input (`b64(header).b64(payload)`): what the card, the HSM or the local agent signs.
 * @param header - the protected header
 * @param payload - the JSON payload
 * @returns the ASCII signing input
 */
export function jwsSigningInput(header: object, payload: unknown): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
}

/**
 * Completes a compact JWS from its signing input and a raw signature.
 * @param signingInput - `b64(header).b64(payload)`
 * @param signature - raw signature (r||s or PKCS#1 v1.5)
 * @returns the compact JWS
 */
export function assembleJws(signingInput: string, signature: Uint8Array): string {
  return `${signingInput}.${b64url(signature)}`;
}

/**
 * Signs a JSON payload as JAdES-B-B with a raw signer.
 * @param raw - the key (token, HSM, software)
 * @param payload - the JSON payload
 * @param opts - signing time, content type, key id
 * @returns the compact JWS
 */
export async function signJades(raw: RawSigner, payload: unknown, opts: { at: Date; cty: string; kid?: string }): Promise<string> {
  const input = jwsSigningInput(jadesHeader(raw.alg, await raw.certificateChain(), opts.at, opts), payload);
  return assembleJws(input, await raw.sign(Buffer.from(input, 'ascii')));
}

export type JadesCheck =
  | { valid: true; payload: unknown; header: JadesHeader; certificate: CertificateInfo }
  | { valid: false; reason: 'malformed' | 'untrusted_certificate' | 'bad_signature' };

/**
 * Verifies a JAdES-B-B compact JWS: the certificate in `x5c` matches `x5t#S256`, chains to a trusted CA
 * and was valid at `sigT`; the signature holds with its key.
 * @param jws - the compact JWS
 * @param trusted - the trusted CAs (SIGNING_CA_BUNDLE)
 * @returns the payload and the signer's certificate, or why not
 */
export async function verifyJades(jws: string, trusted: X509Certificate[]): Promise<JadesCheck> {
  let header: JadesHeader;
  try {
    header = decodeProtectedHeader(jws) as unknown as JadesHeader;
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  const at = new Date(typeof header.sigT === 'string' ? header.sigT : NaN);
  if (!Array.isArray(header.x5c) || !header.x5c[0] || Number.isNaN(at.getTime()) || (header.alg !== 'ES256' && header.alg !== 'RS256')) return { valid: false, reason: 'malformed' };
  const leaf = header.x5c[0];
  if (b64url(createHash('sha256').update(Buffer.from(leaf, 'base64')).digest()) !== header['x5t#S256']) return { valid: false, reason: 'malformed' };
  const chain = checkCertificateChain(header.x5c, trusted, at);
  if (!chain.ok) return { valid: false, reason: chain.reason === 'malformed' ? 'malformed' : 'untrusted_certificate' };
  try {
    const key = await importX509(certificatePem(leaf), header.alg);
    const { payload } = await compactVerify(jws, key, { algorithms: [header.alg], crit: { sigT: true } });
    return { valid: true, payload: JSON.parse(Buffer.from(payload).toString('utf8')) as unknown, header, certificate: chain.certificate };
  } catch {
    return { valid: false, reason: 'bad_signature' };
  }
}
