import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Pkcs11Types from 'pkcs11js';
import { AppError } from '../../platform/errors/app-error.js';
import { certificateInfo, type CertificateInfo } from './certificates.js';
import { algOfCertificate, type RawSigner } from './raw-signer.js';
import { xmlSignerOver, type XmlSigner } from './xml-signer.js';

/** Where the token is: the PKCS#11 module, which token, and the user PIN. */
export interface Pkcs11Config {
  /** Path of the PKCS#11 library (SoftHSM: /usr/lib/softhsm/libsofthsm2.so; a card: the vendor's). */
  module: string;
  /** The token label; without it, the first token present. */
  tokenLabel?: string;
  pin: string;
}

/** A certificate on the token that has a private key beside it (same CKA_ID). */
export interface TokenCertificate extends CertificateInfo {
  /** CKA_ID in hex: how the key is found again. */
  id: string;
  label: string;
  /** base64 DER */
  der: string;
}

/** An open, logged-in token. */
export interface Pkcs11Token {
  label: string;
  listCertificates(): Promise<TokenCertificate[]>;
  /** The raw signer of the key with this CKA_ID (hex). */
  signer(certId: string): Promise<RawSigner>;
  close(): void;
}

// Tricky: pkcs11js is CommonJS; its named exports (Pkcs11Error, the constants) are reliable only through require under tsx/ESM.
const pkcs11js = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11Types;

// DigestInfo prefix of SHA-256 (RFC 8017 §9.2): cards often offer only CKM_RSA_PKCS, not CKM_SHA256_RSA_PKCS.
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const loaded = new Map<string, Pkcs11Types.PKCS11>();
// Login is per token and application, not per session: remember which PIN logged in and how many
// sessions are open, so a second opener with a wrong PIN is refused instead of riding on the login.
const logins = new Map<string, { pinSha256: Buffer; sessions: number }>();
const pinDigest = (pin: string) => createHash('sha256').update(pin, 'utf8').digest();

/** Maps a Cryptoki return value to the error catalogue. */
function deviceError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const code = e instanceof pkcs11js.Pkcs11Error ? e.code : -1;
  switch (code) {
    case pkcs11js.CKR_PIN_INCORRECT:
    case pkcs11js.CKR_PIN_LEN_RANGE:
      return new AppError('signing.pin_incorrect', { cause: e });
    case pkcs11js.CKR_PIN_LOCKED:
      return new AppError('signing.pin_locked', { cause: e });
    case pkcs11js.CKR_TOKEN_NOT_PRESENT:
    case pkcs11js.CKR_DEVICE_REMOVED:
    case pkcs11js.CKR_SLOT_ID_INVALID:
      return new AppError('signing.token_absent', { cause: e });
    default:
      return new AppError('signing.device_error', { cause: e, detail: e instanceof Error ? e.message : undefined });
  }
}

function library(path: string): Pkcs11Types.PKCS11 {
  let lib = loaded.get(path);
  if (lib) return lib;
  lib = new pkcs11js.PKCS11();
  try {
    lib.load(path);
    // Concurrency: C_Initialize is once per process and module; tokens opened later share it.
    lib.C_Initialize();
  } catch (e) {
    throw new AppError('signing.device_error', { cause: e, detail: `The PKCS#11 module ${path} could not be loaded` });
  }
  loaded.set(path, lib);
  return lib;
}

function findObjects(lib: Pkcs11Types.PKCS11, session: Buffer, template: Pkcs11Types.Template): Buffer[] {
  lib.C_FindObjectsInit(session, template);
  try {
    return lib.C_FindObjects(session, 64);
  } finally {
    lib.C_FindObjectsFinal(session);
  }
}

/**
 * Opens a PKCS#11 token and logs in with the user PIN.
 * @param cfg - module, token label, PIN
 * @returns the open token; close it when done
 * @throws {AppError} `signing.token_absent`, `signing.pin_incorrect`, `signing.pin_locked`, `signing.device_error`
 */
export function openPkcs11Token(cfg: Pkcs11Config): Pkcs11Token {
  const lib = library(cfg.module);
  let session: Buffer;
  let label: string;
  let loginKey: string;
  try {
    const slots = lib.C_GetSlotList(true).map((slot) => ({ slot, label: lib.C_GetTokenInfo(slot).label.trim() }));
    const chosen = cfg.tokenLabel ? slots.find((s) => s.label === cfg.tokenLabel) : slots[0];
    if (!chosen) throw new AppError('signing.token_absent', { detail: cfg.tokenLabel ? `No token labelled ${cfg.tokenLabel}` : 'No token present' });
    label = chosen.label;
    loginKey = `${cfg.module}|${chosen.slot.toString('hex')}`;
    session = lib.C_OpenSession(chosen.slot, pkcs11js.CKF_SERIAL_SESSION);
  } catch (e) {
    throw deviceError(e);
  }
  const known = logins.get(loginKey);
  try {
    if (known) {
      if (!timingSafeEqual(known.pinSha256, pinDigest(cfg.pin))) throw new AppError('signing.pin_incorrect');
      known.sessions += 1;
    } else {
      lib.C_Login(session, pkcs11js.CKU_USER, cfg.pin);
      logins.set(loginKey, { pinSha256: pinDigest(cfg.pin), sessions: 1 });
    }
  } catch (e) {
    lib.C_CloseSession(session);
    throw deviceError(e);
  }
  // Concurrency: one operation at a time per session (a second C_SignInit gives CKR_OPERATION_ACTIVE).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => T): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  function certificates(): TokenCertificate[] {
    const out: TokenCertificate[] = [];
    for (const obj of findObjects(lib, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }])) {
      const [value, id, lbl] = lib.C_GetAttributeValue(session, obj, [{ type: pkcs11js.CKA_VALUE }, { type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_LABEL }]);
      const der = value?.value as Buffer | undefined;
      const idBuf = id?.value as Buffer | undefined;
      if (!der || !idBuf) continue;
      const keys = findObjects(lib, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: idBuf }]);
      if (!keys.length) continue;
      const cert = new X509Certificate(der);
      out.push({ ...certificateInfo(cert), id: idBuf.toString('hex'), label: (lbl?.value as Buffer | undefined)?.toString('utf8') ?? '', der: der.toString('base64') });
    }
    return out;
  }

  return {
    label,
    listCertificates: () => serial(() => {
      try {
        return certificates();
      } catch (e) {
        throw deviceError(e);
      }
    }),
    async signer(certId) {
      const cert = (await this.listCertificates()).find((c) => c.id === certId);
      if (!cert) throw new AppError('signing.certificate_not_found', { detail: `No certificate with a key for id ${certId}` });
      const alg = algOfCertificate(cert.der);
      const idBuf = Buffer.from(certId, 'hex');
      return {
        alg,
        certificateChain: async () => [cert.der],
        sign: (data) =>
          serial(() => {
            try {
              const [key] = findObjects(lib, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: idBuf }]);
              if (!key) throw new AppError('signing.certificate_not_found');
              const digest = createHash('sha256').update(data).digest();
              const input = alg === 'ES256' ? digest : Buffer.concat([SHA256_DIGEST_INFO, digest]);
              lib.C_SignInit(session, { mechanism: alg === 'ES256' ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS }, key);
              return new Uint8Array(lib.C_Sign(session, input, Buffer.alloc(512)));
            } catch (e) {
              throw deviceError(e);
            }
          }),
      };
    },
    close() {
      const login = logins.get(loginKey);
      // Closing the last session ends the token's login (PKCS#11 §5.6).
      if (login && --login.sessions <= 0) logins.delete(loginKey);
      try {
        lib.C_CloseSession(session);
      } catch {
        // Tricky: a removed card has already closed its sessions.
      }
    },
  };
}

/**
 * The XML signer on a PKCS#11 token: the key stays on the card; only SignedInfo's bytes go to it.
 * @param token - an open token
 * @param certId - CKA_ID (hex) of the certificate and key; without it, the only certificate on the token
 * @returns the XML signer
 * @throws {AppError} `signing.certificate_not_found` when there is no (or more than one) candidate
 */
export async function pkcs11XmlSigner(token: Pkcs11Token, certId?: string): Promise<XmlSigner> {
  const certs = await token.listCertificates();
  const chosen = certId ? certs.find((c) => c.id === certId) : certs.length === 1 ? certs[0] : undefined;
  if (!chosen) throw new AppError('signing.certificate_not_found', { detail: certId ? `No certificate ${certId}` : `${certs.length} certificates; name one` });
  return xmlSignerOver(await token.signer(chosen.id));
}
