import { createHash, X509Certificate } from 'node:crypto';
import { Agent, request } from 'undici';
import { Temporal } from 'temporal-polyfill';
import type { Clock } from '../../platform/clock.js';
import { NhisTokenRequiredError, NhisUnavailableError, type NhisPresignedChannel, type NhisTransport } from './nhis-client.js';
import { parseRequest } from './nhis-messages.js';
import { parseTokenReply } from './messages/auth.js';
import type { XmlSigner } from './xml-signature.js';

/** Settings of the HTTP transport (src/platform/config.ts: NHIS_*). */
export interface NhisHttpSettings {
  /** The API, e.g. `https://ptest-api.his.bg`. */
  baseUrl: string;
  /** The token endpoint (challenge and token), e.g. `https://ptest-auth.his.bg/token`; default `${baseUrl}/token`. */
  authUrl?: string;
  /** One attempt's limit, connection to last byte. */
  timeoutMs: number;
  /** Attempts per message on 5xx, timeouts and network errors (the first included). */
  attempts: number;
  /** Backoff before the n-th retry: base × 2^(n-1), with jitter. */
  backoffMs: number;
  /** Extra trusted CA (PEM) and whether to check the server's certificate (never off in production). */
  tls?: { ca?: string; rejectUnauthorized?: boolean };
}

/** The signer of a sender (the doctor's UIN in the message header): their token and their certificate. */
export type SignerFor = (senderId: string) => XmlSigner | Promise<XmlSigner>;

/** How many seconds before its stated expiry a token is renewed, so it never expires in flight. */
const TOKEN_MARGIN_SECONDS = 60;

// The certificate a signer signs with, as SHA-256 of its DER (hex): tokens are bound to it.
const certificateKeys = new WeakMap<XmlSigner, Promise<string>>();
function certificateKeyOf(signer: XmlSigner): Promise<string> {
  let key = certificateKeys.get(signer);
  if (!key) {
    key = signer.certificatePem().then((pem) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex'));
    certificateKeys.set(signer, key);
  }
  return key;
}

/**
 * The live NHIS transport over HTTPS (undici): for each sender, GET the token challenge, sign it, POST
 * it for a bearer token (cached until shortly before it expires, renewed on 401); each message is signed
 * with the sender's XmlSigner and POSTed with `Authorization: Bearer`. 5xx, timeouts and network errors
 * are retried with exponential backoff, resending the same signed bytes with the same messageId, so the
 * NHIS can recognise the repeat; after the last attempt it throws `NhisUnavailableError` and the outbox
 * takes over. A 4xx other than 401 is returned to the client, which reads the error reply.
 * @param deps - settings, the signer of each sender, the clock (token expiry) and an optional sleep (tests)
 * @returns the transport and close() for its connection pool
 */
export function createHttpNhisTransport(deps: { settings: NhisHttpSettings; signerFor: SignerFor; clock: Clock; sleep?: (ms: number) => Promise<void> }): NhisTransport & { presigned: NhisPresignedChannel; close(): Promise<void> } {
  const s = deps.settings;
  const base = s.baseUrl.replace(/\/+$/, '');
  const authUrl = s.authUrl ?? `${base}/token`;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const agent = new Agent({
    connect: { timeout: s.timeoutMs, ...(s.tls?.ca ? { ca: s.tls.ca } : {}), rejectUnauthorized: s.tls?.rejectUnauthorized ?? true },
    headersTimeout: s.timeoutMs,
    bodyTimeout: s.timeoutMs,
    keepAliveTimeout: 10_000,
  });
  // Concurrency: one token request per sender and certificate at a time; concurrent messages wait for it.
  // Security: the NHIS binds a token to the certificate that signed its challenge, so the key names both:
  // a token the doctor's card obtained is never used for a message the server's key signed, nor back.
  const tokens = new Map<string, Promise<{ token: string; renewAt: Temporal.Instant }>>();
  const tokenKey = (senderId: string, certificateSha256: string) => `${senderId}|${certificateSha256}`;

  async function call(url: string, init: { method: 'GET' | 'POST'; body?: string; bearer?: string }): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = { accept: 'application/xml' };
    if (init.body !== undefined) headers['content-type'] = 'application/xml;charset="utf-8"';
    if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
    const res = await request(url, { method: init.method, headers, body: init.body, dispatcher: agent, signal: AbortSignal.timeout(s.timeoutMs) });
    return { status: res.statusCode, body: await res.body.text() };
  }

  /** One request with retries on 5xx / timeout / network error. */
  async function withRetries(what: string, send: () => Promise<{ status: number; body: string }>): Promise<{ status: number; body: string }> {
    let last = '';
    for (let attempt = 1; attempt <= Math.max(1, s.attempts); attempt += 1) {
      if (attempt > 1) await sleep(s.backoffMs * 2 ** (attempt - 2) * (0.75 + Math.random() * 0.5));
      try {
        const res = await send();
        if (res.status < 500) return res;
        last = `http_${res.status}`;
      } catch (err) {
        last = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError' || /Timeout/.test(err.name)) ? 'timeout' : 'network_error';
      }
    }
    throw new NhisUnavailableError(`${what}: ${last} after ${s.attempts} attempt(s)`);
  }

  async function getChallenge(): Promise<string> {
    const challenge = await withRetries('token challenge', () => call(authUrl, { method: 'GET' }));
    if (challenge.status !== 200) throw new NhisUnavailableError(`token challenge answered ${challenge.status}`);
    return challenge.body;
  }

  async function fetchToken(signer: XmlSigner): Promise<{ token: string; renewAt: Temporal.Instant }> {
    return redeemChallenge(await signer.sign(await getChallenge()));
  }

  async function redeemChallenge(signed: string): Promise<{ token: string; renewAt: Temporal.Instant }> {
    const reply = await withRetries('token', () => call(authUrl, { method: 'POST', body: signed }));
    let t;
    try {
      t = reply.status === 200 ? parseTokenReply(reply.body) : null;
    } catch {
      t = null;
    }
    // Security: a refused challenge signature is not retried in a loop; the message waits in the outbox.
    if (!t) throw new NhisUnavailableError(`the NHIS refused the token request (${reply.status})`);
    return { token: t.accessToken, renewAt: deps.clock.now().add({ seconds: Math.max(1, t.expiresIn - TOKEN_MARGIN_SECONDS) }) };
  }

  /** The token held for this key while it is good, else undefined. */
  async function heldToken(key: string): Promise<string | undefined> {
    const cached = tokens.get(key);
    if (!cached) return undefined;
    try {
      const t = await cached;
      return Temporal.Instant.compare(deps.clock.now(), t.renewAt) < 0 ? t.token : undefined;
    } catch {
      return undefined;
    }
  }

  async function tokenFor(senderId: string, signer: XmlSigner, fresh: boolean): Promise<string> {
    const key = tokenKey(senderId, await certificateKeyOf(signer));
    const cached = tokens.get(key);
    if (cached && !fresh) {
      try {
        const t = await cached;
        if (Temporal.Instant.compare(deps.clock.now(), t.renewAt) < 0) return t.token;
      } catch {
        // The earlier attempt failed: ask again below.
      }
      if (tokens.get(key) !== cached) return tokenFor(senderId, signer, false);
    }
    return (await remember(key, fetchToken(signer))).token;
  }

  function remember(key: string, pending: Promise<{ token: string; renewAt: Temporal.Instant }>) {
    tokens.set(key, pending);
    pending.catch(() => {
      if (tokens.get(key) === pending) tokens.delete(key);
    });
    return pending;
  }

  const presigned: NhisPresignedChannel = {
    async hasToken(senderId, certificateSha256) {
      return (await heldToken(tokenKey(senderId, certificateSha256))) !== undefined;
    },
    challenge: getChallenge,
    async redeem(senderId, certificateSha256, signedChallenge) {
      await remember(tokenKey(senderId, certificateSha256), redeemChallenge(signedChallenge));
    },
    async post(path, signedXml, certificateSha256) {
      const key = tokenKey(parseRequest(signedXml).header.senderId, certificateSha256);
      const token = await heldToken(key);
      if (!token) throw new NhisTokenRequiredError();
      const url = `${base}${path}`;
      const res = await withRetries(path, () => call(url, { method: 'POST', body: signedXml, bearer: token }));
      if (res.status === 401) {
        // Expired or revoked early: the card signs a new challenge, then this message goes again.
        tokens.delete(key);
        throw new NhisTokenRequiredError();
      }
      return res;
    },
  };

  return {
    async post(path, xml) {
      const senderId = parseRequest(xml).header.senderId;
      const signer = await deps.signerFor(senderId);
      const signed = await signer.sign(xml);
      const url = `${base}${path}`;
      let token = await tokenFor(senderId, signer, false);
      let res = await withRetries(path, () => call(url, { method: 'POST', body: signed, bearer: token }));
      if (res.status === 401) {
        // The token expired or was revoked early: one fresh token, then the same signed message again.
        token = await tokenFor(senderId, signer, true);
        res = await withRetries(path, () => call(url, { method: 'POST', body: signed, bearer: token }));
        if (res.status === 401) throw new NhisUnavailableError('the NHIS refused a fresh token');
      }
      return res;
    },
    presigned,
    close: () => agent.close(),
  };
}
