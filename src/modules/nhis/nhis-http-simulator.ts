import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Temporal } from 'temporal-polyfill';
import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { NhisUnavailableError } from './nhis-client.js';
import { buildReply, parseRequest } from './nhis-messages.js';
import { createNhisSimulator, type NhisSimulatorControl } from './nhis-simulator.js';
import { buildChallenge, buildTokenReply, readChallenge } from './messages/auth.js';
import { verifyEnvelopedSignature } from './xml-signature.js';
import { v } from './xml.js';

/** What tests can do to the HTTP side on top of the message simulator's own controls. */
export interface NhisHttpControl {
  /** Every token issued so far expires now (the next message gets 401). */
  expireTokens(): void;
  /** The next `count` requests (any path, the token endpoint included) get this HTTP status. */
  failHttpNext(count: number, status?: number): void;
  /** How many tokens were issued, challenges handed out and signatures refused. */
  counts(): { challenges: number; tokens: number; signatureRefusals: number; unauthorized: number };
  /** Who signed each accepted message, in order: its type and the certificate (SHA-256 of the DER, subject). */
  signedBy(): { messageType: string; certificateSha256: string; subject: string }[];
}

export interface NhisHttpSimulator {
  url: string;
  control: NhisSimulatorControl;
  http: NhisHttpControl;
  close(): Promise<void>;
}

const MAX_BODY = 1_048_576;
const CHALLENGE_SECONDS = 300;

/**
 * The bundled NHIS simulator as an HTTP server, speaking the public clients' protocol
 * (bulgarian-identifiers-codes-and-nhis.md §2.1, §6): `GET /token` hands out a challenge, `POST /token`
 * takes it back signed (enveloped XMLDSig by a certificate the configured CA issued) and answers a
 * bearer token; every other POST needs `Authorization: Bearer`, a valid signature by the same
 * certificate that obtained the token, and is then answered by the in-process simulator's message
 * handlers (X, R, P, C families). A bad signature gets the family's error reply (X099, R099, …); a
 * missing or expired token gets 401; the simulator's outages become 503.
 * @param deps - clock (token expiry, certificate validity), ids, the trusted CA(s), where to listen
 * @returns the running server with its controls
 */
export async function startNhisHttpSimulator(deps: { clock: Clock; ids: IdGen; caPem: string | readonly string[]; host?: string; port?: number; tokenSeconds?: number }): Promise<NhisHttpSimulator> {
  const sim = createNhisSimulator({ clock: deps.clock, ids: deps.ids });
  const tokenSeconds = deps.tokenSeconds ?? 7200;
  const challenges = new Map<string, Temporal.Instant>();
  const tokens = new Map<string, { fingerprint: string; expiresAt: Temporal.Instant }>();
  const counts = { challenges: 0, tokens: 0, signatureRefusals: 0, unauthorized: 0 };
  const signers: { messageType: string; certificateSha256: string; subject: string }[] = [];
  let httpFailures = { count: 0, status: 503 };

  const header = (type: string) => ({ messageId: deps.ids.uuid(), messageType: type, createdOn: deps.clock.now().toString(), senderId: 'NHIS' });
  const errorReply = (type: string, reason: string, message: string) => buildReply(header(type), [{ name: 'nhis:error', children: [v('nhis:reason', reason), v('nhis:message', message)] }]);
  // The error reply of a request's family: X001 → X099, R001 → R099 (§2.2).
  const errorTypeOf = (xml: string) => {
    try {
      const t = parseRequest(xml).header.messageType;
      return /^[A-Z]\d{3}$/.test(t) ? `${t[0] ?? 'X'}099` : 'X099';
    } catch {
      return 'X099';
    }
  };

  function issueToken(signed: string): { status: number; body: string } {
    const now = deps.clock.now();
    const check = verifyEnvelopedSignature(signed, { caPem: deps.caPem, now: toDate(now) });
    if (!check.ok) {
      counts.signatureRefusals += 1;
      return { status: 401, body: errorReply('S099', check.problem, 'the challenge signature is not accepted') };
    }
    let challenge: string | undefined;
    try {
      challenge = readChallenge(signed);
    } catch {
      challenge = undefined;
    }
    const issued = challenge ? challenges.get(challenge) : undefined;
    // Security: a challenge is good once and for a few minutes, so a captured signed challenge cannot be replayed.
    if (!challenge || !issued || Temporal.Instant.compare(now, issued.add({ seconds: CHALLENGE_SECONDS })) > 0) {
      return { status: 401, body: errorReply('S099', 'unknown_challenge', 'the challenge is unknown, used or expired') };
    }
    challenges.delete(challenge);
    const accessToken = deps.ids.token(32);
    const expiresAt = now.add({ seconds: tokenSeconds });
    tokens.set(accessToken, { fingerprint: check.fingerprint, expiresAt });
    counts.tokens += 1;
    return { status: 200, body: buildTokenReply({ messageId: deps.ids.uuid(), createdOn: now.toString() }, { accessToken, tokenType: 'Bearer', expiresIn: tokenSeconds, issuedOn: now.toString(), expiresOn: expiresAt.toString() }) };
  }

  async function message(path: string, auth: string | undefined, xml: string): Promise<{ status: number; body: string }> {
    const now = deps.clock.now();
    const bearer = /^Bearer (\S+)$/.exec(auth ?? '')?.[1];
    const token = bearer ? tokens.get(bearer) : undefined;
    if (!token || Temporal.Instant.compare(now, token.expiresAt) >= 0) {
      counts.unauthorized += 1;
      if (bearer) tokens.delete(bearer);
      return { status: 401, body: errorReply(errorTypeOf(xml), 'unauthorized', 'a valid bearer token is required') };
    }
    const check = verifyEnvelopedSignature(xml, { caPem: deps.caPem, now: toDate(now) });
    if (!check.ok || check.fingerprint !== token.fingerprint) {
      counts.signatureRefusals += 1;
      return { status: 200, body: errorReply(errorTypeOf(xml), 'invalid_signature', check.ok ? 'signed by another certificate than the token’s' : check.problem) };
    }
    let messageType = '?';
    try {
      messageType = parseRequest(xml).header.messageType;
    } catch {
      // The message handlers answer an unreadable message themselves.
    }
    signers.push({ messageType, certificateSha256: check.fingerprint, subject: check.subject });
    if (signers.length > 10_000) signers.shift();
    try {
      return await sim.transport.post(path, xml);
    } catch (err) {
      if (err instanceof NhisUnavailableError) return { status: 503, body: '' };
      throw err;
    }
  }

  async function route(req: IncomingMessage, body: string): Promise<{ status: number; body: string }> {
    if (httpFailures.count > 0) {
      httpFailures = { ...httpFailures, count: httpFailures.count - 1 };
      return { status: httpFailures.status, body: '' };
    }
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    if (path === '/token' && req.method === 'GET') {
      const challenge = deps.ids.token(24);
      challenges.set(challenge, deps.clock.now());
      counts.challenges += 1;
      return { status: 200, body: buildChallenge({ messageId: deps.ids.uuid(), createdOn: deps.clock.now().toString(), challenge }) };
    }
    if (req.method !== 'POST') return { status: 405, body: '' };
    if (path === '/token') return issueToken(body);
    return message(path, req.headers.authorization, body);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      route(req, Buffer.concat(chunks).toString('utf8')).then(
        (a) => {
          res.writeHead(a.status, { 'content-type': 'application/xml;charset="utf-8"' }).end(a.body);
        },
        () => {
          res.writeHead(500).end();
        },
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? 0, deps.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${host}:${addr.port}`,
    control: sim.control,
    http: {
      expireTokens() {
        const now = deps.clock.now();
        for (const t of tokens.values()) t.expiresAt = now;
      },
      failHttpNext(count, status = 503) {
        httpFailures = { count, status };
      },
      counts: () => ({ ...counts }),
      signedBy: () => signers.map((x) => ({ ...x })),
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
