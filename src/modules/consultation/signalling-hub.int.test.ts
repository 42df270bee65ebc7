import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { systemCtx } from '../../platform/auth/request-context.js';
import { createMemorySignalBus } from './signal-bus.js';
import { createSignallingHub } from './signalling-hub.js';
import type { ConsultationService } from './consultation.service.js';

// The hub alone over real sockets (no database): a socket must not outlive its session, and a
// half-open connection (no pong) is ended so the other side sees `peer-left`.

const ACCOUNT = '0190aaaa-0000-7000-8000-0000000000a1';
const service = {
  joinSignalling: async () => ({ side: 'provider' as const, state: 'in-call' as const, accountId: ACCOUNT, facilityId: '0190aaaa-0000-7000-8000-0000000000f1' }),
} as unknown as ConsultationService;

describe('signalling hub', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function start(sessionIsLive: (token: string) => Promise<boolean>) {
    let now = 0;
    const hub = createSignallingHub({ bus: createMemorySignalBus('n1'), service: () => service, log: pino({ level: 'silent' }), heartbeatMs: 20, sessionIsLive, sessionCheckMs: 100, now: () => now });
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (socket, req) => void hub.attach(socket, systemCtx('test'), 'room-1', req.headers['x-token'] as string));
    await once(wss, 'listening');
    cleanups.push(() => hub.close(), () => new Promise<void>((r) => wss.close(() => r())));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    return { hub, url, advance: (ms: number) => (now += ms) };
  }

  it('closes the socket with 4003 once the session is no longer live', async () => {
    let live = true;
    const checked: string[] = [];
    const { url, advance } = await start(async (token) => {
      checked.push(token);
      return live;
    });
    const ws = new WebSocket(url, { headers: { 'x-token': 'session-token-1' } });
    cleanups.push(() => ws.terminate());
    await once(ws, 'message');
    advance(150);
    await new Promise((r) => setTimeout(r, 60));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(checked).toContain('session-token-1');
    live = false;
    advance(150);
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4003);
  });

  it('ends a connection that stops answering pings, and tells the others', async () => {
    const { hub, url } = await start(async () => true);
    const a = new WebSocket(url, { headers: { 'x-token': 't' } });
    cleanups.push(() => a.terminate());
    await once(a, 'message');
    const b = new WebSocket(url, { headers: { 'x-token': 't' }, autoPong: false });
    cleanups.push(() => b.terminate());
    await once(b, 'message');
    expect(hub.stats().connections).toBe(2);
    // b never answers the server's pings: after two heartbeats it is gone, and a hears about it.
    const left = new Promise<unknown>((resolve) => a.on('message', (d: Buffer) => JSON.parse(d.toString()).t === 'peer-left' && resolve(true)));
    await left;
    expect(hub.stats().connections).toBe(1);
  });
});
