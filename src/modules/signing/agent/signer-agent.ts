import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../../platform/errors/app-error.js';
import { errorCatalog } from '../../../platform/errors/catalog.js';
import type { Pkcs11Token } from '../pkcs11.js';
import { xmlSignerOver } from '../xml-signer.js';

/**
 * `distansia signer`: the local signing agent on the doctor's computer. The browser (the configured app
 * origin only) pairs once with the code printed at start and gets a bearer token; then it lists the
 * certificates on the card and asks for (a) a raw signature over a document's JWS signing input and
 * (b) an enveloped XMLDSig over an NHIS message. The key never leaves the card; the agent listens on
 * 127.0.0.1 only. docs/records.md#the-local-signer.
 */
export interface SignerAgentOptions {
  token: Pkcs11Token;
  /** The web app's origin (`https://app.example.bg`): the only origin CORS answers. */
  appOrigin: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Pairing code (tests); a random 8-digit code by default. */
  pairingCode?: string;
}

export interface SignerAgent {
  url: string;
  pairingCode: string;
  close(): Promise<void>;
}

const MAX_BODY = 512 * 1024;
const MAX_PAIRING_FAILURES = 5;

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const same = (a: string, b: string) => timingSafeEqual(sha(a), sha(b));

class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpProblem(413, 'request.invalid', 'Body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpProblem(400, 'request.invalid', 'Expected a JSON object');
}

function str(body: Record<string, unknown>, key: string, max: number): string {
  const v = body[key];
  if (typeof v !== 'string' || !v || v.length > max) throw new HttpProblem(400, 'request.invalid', `${key} is required`);
  return v;
}

/**
 * Starts the agent on 127.0.0.1.
 * @param opts - the open token, the app origin, the port
 * @returns its URL and pairing code
 */
export async function startSignerAgent(opts: SignerAgentOptions): Promise<SignerAgent> {
  const pairingCode = opts.pairingCode ?? String(randomInt(0, 100_000_000)).padStart(8, '0');
  let pairingOpen = true;
  let failures = 0;
  const tokens = new Set<string>();
  let port = opts.port;

  function cors(req: IncomingMessage, res: ServerResponse) {
    const origin = req.headers.origin;
    // Security: only the configured app may read answers; other pages' requests are refused below.
    if (origin === opts.appOrigin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      // Chrome's Private Network Access: a public origin reaching 127.0.0.1 needs this on the preflight.
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
      res.setHeader('Access-Control-Max-Age', '600');
    }
  }

  function authorised(req: IncomingMessage): void {
    const m = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(req.headers.authorization ?? '');
    if (!m?.[1] || ![...tokens].some((t) => same(t, m[1] ?? ''))) throw new HttpProblem(401, 'signing.agent_unpaired', 'Pair first');
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    // Security: DNS rebinding — a page on another name resolving to 127.0.0.1 is refused by its Host.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) throw new HttpProblem(403, 'auth.forbidden', 'Wrong host');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== opts.appOrigin) throw new HttpProblem(403, 'auth.forbidden', 'Origin not allowed');
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      return undefined;
    }
    if (req.method === 'GET' && path === '/v1/status') return { agent: 'distansia-signer', version: 1, paired: tokens.size > 0, token: opts.token.label };
    if (req.method === 'POST' && path === '/v1/pair') {
      const code = str(await readJson(req), 'code', 32);
      if (!pairingOpen) throw new HttpProblem(401, 'signing.agent_unpaired', 'Pairing is closed; restart the agent for a new code');
      if (!same(code, pairingCode)) {
        failures += 1;
        // Security: guessing is bounded: after five wrong codes the code is burned.
        if (failures >= MAX_PAIRING_FAILURES) pairingOpen = false;
        throw new HttpProblem(401, 'signing.agent_unpaired', 'Wrong pairing code');
      }
      pairingOpen = false;
      const token = randomBytes(32).toString('base64url');
      tokens.add(token);
      return { token };
    }
    authorised(req);
    if (req.method === 'GET' && path === '/v1/certificates') {
      const certs = await opts.token.listCertificates();
      return { certificates: certs.map((c) => ({ id: c.id, subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumber, notBefore: c.notBefore, notAfter: c.notAfter, uin: c.uin, der: c.der })) };
    }
    if (req.method === 'POST' && path === '/v1/sign/jws') {
      const body = await readJson(req);
      const signingInput = str(body, 'signingInput', MAX_BODY);
      // Only a JWS signing input (two base64url parts) is signed: the agent is not a general-purpose oracle.
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(signingInput)) throw new HttpProblem(400, 'request.invalid', 'Not a JWS signing input');
      const signer = await opts.token.signer(str(body, 'certificateId', 128));
      const signature = await signer.sign(Buffer.from(signingInput, 'ascii'));
      return { alg: signer.alg, signature: Buffer.from(signature).toString('base64url'), certificateChain: await signer.certificateChain() };
    }
    if (req.method === 'POST' && path === '/v1/sign/xml') {
      const body = await readJson(req);
      const signer = xmlSignerOver(await opts.token.signer(str(body, 'certificateId', 128)));
      return { xml: await signer.sign(str(body, 'xml', MAX_BODY)) };
    }
    throw new HttpProblem(404, 'resource.not_found', 'No such endpoint');
  }

  const server: Server = createServer((req, res) => {
    cors(req, res);
    route(req, res).then(
      (result) => {
        if (result === undefined) return void res.end();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result));
      },
      (err: unknown) => {
        const code = err instanceof HttpProblem ? err.code : err instanceof AppError ? err.code : 'internal';
        const status = err instanceof HttpProblem ? err.status : err instanceof AppError ? errorCatalog[err.code].status : 500;
        const title = code in errorCatalog ? errorCatalog[code as keyof typeof errorCatalog].title : errorCatalog.internal.title;
        res.statusCode = status;
        res.setHeader('content-type', 'application/problem+json');
        res.end(JSON.stringify({ type: `https://errors.distansia.bg/${code}`, title: title.en, titleBg: title.bg, status, code }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    pairingCode,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
