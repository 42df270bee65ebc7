import { ApiError, type Problem } from '../../api/problem.js';

/**
 * The browser's side of `distansia signer`, the local agent on the doctor's computer that signs with the
 * card (docs/records.md#the-local-signer). It listens on 127.0.0.1 (port 17443 unless started with
 * `--port`; the port the doctor chose is remembered here), answers only this app's origin, and signs
 * once this browser has paired with the code it printed. The pairing token is kept in this browser.
 */
export const DEFAULT_AGENT_PORT = 17443;
const PORT_KEY = 'distansia.signer.port';
const TOKEN_KEY = 'distansia.signer.token';

/** A certificate on the card, as the agent lists it. */
export interface AgentCertificate {
  id: string;
  subject: string;
  notAfter: string;
  uin: string | null;
  /** base64 DER */
  der: string;
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Storage refused (private mode): the pairing lasts for this page only.
  }
}

let memoryToken: string | null = null;

export function agentPort(): number {
  const port = Number(read(PORT_KEY));
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULT_AGENT_PORT;
}

export function setAgentPort(port: number) {
  write(PORT_KEY, String(port));
}

const token = () => read(TOKEN_KEY) ?? memoryToken;

/** A refusal of the agent as a problem the page shows (its codes are in the server's catalogue). */
function agentProblem(status: number, code: string, title: string): ApiError {
  const problem: Problem = { type: `https://errors.distansia.bg/${code}`, title, status, code };
  return new ApiError(problem);
}

async function call<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; timeoutMs?: number } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${agentPort()}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
    });
  } catch {
    throw agentProblem(0, 'signing.agent_unreachable', 'The signing program does not answer');
  }
  const json = (await res.json().catch(() => null)) as (T & { code?: string; title?: string }) | null;
  if (!res.ok || !json) {
    if (res.status === 401) forgetPairing();
    throw agentProblem(res.status, json?.code ?? 'signing.device_error', json?.title ?? res.statusText);
  }
  return json;
}

/**
 * Whether the agent answers on its port, and whether this browser holds a pairing token.
 * @returns null when nothing answers (no agent: the card button is not shown)
 */
export async function agentStatus(): Promise<{ paired: boolean } | null> {
  try {
    const s = await call<{ agent?: string; paired?: boolean }>('/v1/status', { timeoutMs: 1500 });
    if (s.agent !== 'distansia-signer') return null;
    return { paired: Boolean(s.paired) && token() !== null };
  } catch {
    return null;
  }
}

/** Pairs with the code the agent printed; the token is kept in this browser. */
export async function pairAgent(code: string): Promise<void> {
  const { token: t } = await call<{ token: string }>('/v1/pair', { body: { code } });
  memoryToken = t;
  write(TOKEN_KEY, t);
}

export function forgetPairing() {
  memoryToken = null;
  write(TOKEN_KEY, null);
}

export async function agentCertificates(): Promise<AgentCertificate[]> {
  return (await call<{ certificates: AgentCertificate[] }>('/v1/certificates')).certificates;
}

/** The card's raw signature (base64url) over a JWS signing input; the card may ask for its PIN. */
export async function agentSignJws(certificateId: string, signingInput: string): Promise<string> {
  return (await call<{ signature: string }>('/v1/sign/jws', { body: { certificateId, signingInput } })).signature;
}

/** An NHIS message (or token challenge) signed by the card: enveloped XMLDSig, returned whole. */
export async function agentSignXml(certificateId: string, xml: string): Promise<string> {
  return (await call<{ xml: string }>('/v1/sign/xml', { body: { certificateId, xml } })).xml;
}

/** The certificate's holder as people read it (the CN), not the whole subject. */
export function holderName(subject: string): string {
  return /(?:^|[\n,]\s*)CN=([^\n,]+)/.exec(subject)?.[1]?.trim() ?? subject;
}
