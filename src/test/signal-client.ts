import WebSocket from 'ws';
import type { ServerSignal } from '../contracts/consultation.js';

/**
 * A Node WebSocket client for tests and the benchmark (Node 20 has no global WebSocket): collects
 * server messages and waits for the one a test expects.
 */
export interface SignalTestClient {
  ws: WebSocket;
  received: ServerSignal[];
  next<T extends ServerSignal['t']>(t: T, pred?: (m: Extract<ServerSignal, { t: T }>) => boolean, timeoutMs?: number): Promise<Extract<ServerSignal, { t: T }>>;
  send(msg: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/**
 * Opens a signalling connection.
 * @param url - ws://host:port/api/v1/consultations/<id>/signal
 * @param headers - cookie and origin
 * @returns the client once open, or rejects with the HTTP status of a refused upgrade
 */
export function connectSignal(url: string, headers: Record<string, string>): Promise<SignalTestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const received: ServerSignal[] = [];
    const waiters: { t: string; pred: (m: ServerSignal) => boolean; resolve: (m: ServerSignal) => void; from: number }[] = [];
    const closed = new Promise<{ code: number; reason: string }>((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as ServerSignal;
      received.push(m);
      for (const w of [...waiters]) {
        if (w.t === m.t && w.pred(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })));
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        received,
        next(t, pred = () => true, timeoutMs = 5000) {
          const already = received.find((m) => m.t === t && pred(m as never));
          if (already) {
            received.splice(received.indexOf(already), 1);
            return Promise.resolve(already as never);
          }
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`timed out waiting for ${t}; got ${JSON.stringify(received.map((r) => r.t))}`)), timeoutMs);
            waiters.push({
              t,
              pred: pred as (m: ServerSignal) => boolean,
              from: received.length,
              resolve: (m) => {
                clearTimeout(timer);
                received.splice(received.indexOf(m), 1);
                res(m as never);
              },
            });
          });
        },
        send: (msg) => ws.send(JSON.stringify(msg)),
        closed,
        close: () => ws.close(),
      }),
    );
  });
}
