import { readFile } from 'node:fs/promises';
import type { X509Certificate } from 'node:crypto';
import { parseCaBundle } from './certificates.js';
import { openPkcs11Token, type Pkcs11Token } from './pkcs11.js';
import type { RawSigner } from './raw-signer.js';

/** What the server signs qualified with: trusted CAs and, optionally, an HSM's keys found by the doctor's UIN. */
export interface ServerQualifiedSigning {
  trusted: X509Certificate[];
  serverKeys?: { signerForUin(uin: string): Promise<RawSigner | null> };
  close(): void;
}

/**
 * Keys on a token found by the doctor's UIN in the certificate subject; of several, the one valid longest.
 * @param token - an open token
 * @param at - now (certificates not valid now are skipped)
 * @returns the lookup
 */
export function tokenKeysByUin(token: Pkcs11Token, at: () => Date): { signerForUin(uin: string): Promise<RawSigner | null> } {
  return {
    async signerForUin(uin) {
      const now = at();
      const certs = (await token.listCertificates()).filter((c) => c.uin === uin && new Date(c.notBefore) <= now && now <= new Date(c.notAfter));
      const best = certs.sort((a, b) => b.notAfter.localeCompare(a.notAfter))[0];
      return best ? token.signer(best.id) : null;
    },
  };
}

/**
 * Reads the CA bundle and opens the HSM token at start (fail fast on a wrong PIN or a missing module).
 * @param cfg - SIGNING_CA_BUNDLE, PKCS11_MODULE, PKCS11_TOKEN_LABEL, PKCS11_PIN_FILE
 * @param at - the clock's now as a Date
 * @returns the trusted CAs and the server keys
 * @throws {AppError} the `signing.*` errors of openPkcs11Token
 */
export async function loadServerQualifiedSigning(cfg: { caBundleFile?: string; module?: string; tokenLabel?: string; pinFile?: string }, at: () => Date): Promise<ServerQualifiedSigning> {
  const trusted = cfg.caBundleFile ? parseCaBundle(await readFile(cfg.caBundleFile, 'utf8')) : [];
  if (!cfg.module || !cfg.pinFile) return { trusted, close: () => undefined };
  // Security: the PIN is read from a file (mounted secret) and kept only in the PKCS#11 login.
  const pin = (await readFile(cfg.pinFile, 'utf8')).trim();
  const token = openPkcs11Token({ module: cfg.module, tokenLabel: cfg.tokenLabel, pin });
  return { trusted, serverKeys: tokenKeysByUin(token, at), close: () => token.close() };
}
