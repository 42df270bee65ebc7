import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import type { ServerSignal } from '../../contracts/consultation.js';
import { connectSignal, type SignalTestClient } from '../../test/signal-client.js';
import { createMemorySignalBus, createMemorySignalNetwork, type MemorySignalNetwork, type SignalBus } from './signal-bus.js';
import { createSignallingHub } from './signalling-hub.js';
import type { ConsultationService } from './consultation.service.js';

// The hub alone over real sockets (no database): a socket must not outlive its session, and a
// half-open connection (no pong) is ended so the other side sees `peer-left`.

const ACCOUNT = '0190aaaa-0000-7000-8000-0000000000a1';
const FACILITY = '0190aaaa-0000-7000-8000-0000000000f1';
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

// Scale across nodes (docs/consultation.md): a message for a connection on the same process is delivered there
// directly and never through the bus; the bus carries only what another process needs, once, in order.
// Two hubs on one in-memory network stand for two server processes (the PostgreSQL transport between
// real processes is signalling.cross-node.pg.test.ts).

const ROOM = '0190aaaa-0000-7000-8000-0000000000c1';
const PROVIDER = '0190aaaa-0000-7000-8000-0000000000a1';
const PATIENT = '0190aaaa-0000-7000-8000-0000000000a2';

/** Joins by token: `provider` is the specialist, anything else the admitted patient (both in the call). */
const isProvider = (ctx: RequestCtx) => ctx.actor.type === 'system' && ctx.actor.id === 'provider';
const twoParties = {
  joinSignalling: async (ctx: RequestCtx) =>
    isProvider(ctx)
      ? { side: 'provider' as const, state: 'in-call' as const, accountId: PROVIDER, facilityId: FACILITY }
      : { side: 'recipient' as const, state: 'in-call' as const, accountId: PATIENT, facilityId: FACILITY },
  watchChat: async (ctx: RequestCtx) => (isProvider(ctx) ? { side: 'provider' as const, accountId: PROVIDER } : { side: 'recipient' as const, accountId: PATIENT }),
} as unknown as ConsultationService;

type Kind = 'presence' | 'leave' | 'signal' | 'event';

describe('signalling between processes', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** One "server process": a hub on its own port whose bus publishes are recorded. */
  async function node(id: string, network: MemorySignalNetwork) {
    const inner = createMemorySignalBus(id, network);
    const published: { room: string; body: { k: Kind; reply?: boolean } }[] = [];
    const bus: SignalBus = {
      nodeId: id,
      publish: (room, body) => {
        published.push({ room, body: body as { k: Kind } });
        return inner.publish(room, body);
      },
      subscribe: (h) => inner.subscribe(h),
      close: () => inner.close(),
    };
    const hub = createSignallingHub({ bus, service: () => twoParties, log: pino({ level: 'silent' }) });
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (socket, req) => {
      const mode = new URL(req.url ?? '/', 'http://x').searchParams.get('mode') === 'chat' ? 'chat' : 'call';
      void hub.attach(socket, systemCtx(String(req.headers['x-token'])), ROOM, '', mode);
    });
    await once(wss, 'listening');
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())), () => hub.close(), () => bus.close());
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const connect = async (token: string, mode: 'call' | 'chat' = 'call') => {
      const client = await connectSignal(`${url}/?mode=${mode}`, { 'x-token': token });
      cleanups.push(() => client.ws.terminate());
      return client;
    };
    return { hub, published, connect, kinds: (k: Kind) => published.filter((p) => p.body.k === k) };
  }

  /** Everything the server sent of one type (after the waits that consumed some). */
  const all = <T extends ServerSignal['t']>(c: SignalTestClient, t: T) => c.received.filter((m): m is Extract<ServerSignal, { t: T }> => m.t === t);

  it('delivers a message between two peers on the same process once, and not through the bus', async () => {
    const network = createMemorySignalNetwork();
    const n1 = await node('n1', network);
    const n2 = await node('n2', network);
    const doctor = await n1.connect('provider');
    const me = await doctor.next('welcome');
    const patient = await n1.connect('patient');
    const pw = await patient.next('welcome');
    const docPeer = await patient.next('peer');
    expect(docPeer.peer.connId).toBe(me.connId);
    await doctor.next('peer', (m) => m.peer.connId === pw.connId);
    // The announcements go to the bus (the other process may hold the other party); the answer to a
    // newcomer on this process does not.
    expect(n1.kinds('presence').map((p) => p.body.reply)).toEqual([false, false]);

    patient.send({ t: 'signal', to: me.connId, data: { type: 'offer', sdp: 'v=0 offer' } });
    for (let i = 0; i < 3; i += 1) patient.send({ t: 'signal', to: me.connId, data: { candidate: `c${i}` } });
    const got = [];
    for (let i = 0; i < 4; i += 1) got.push((await doctor.next('signal')).data);
    expect(got).toEqual([{ type: 'offer', sdp: 'v=0 offer' }, { candidate: 'c0' }, { candidate: 'c1' }, { candidate: 'c2' }]);
    // Barrier: the server handles a socket's messages in order, so a pong after them means nothing is
    // still on its way (a duplicate from the bus would have been delivered in between).
    patient.send({ t: 'ping', n: 1 });
    await patient.next('pong');
    doctor.send({ t: 'ping', n: 2 });
    await doctor.next('pong');
    expect(all(doctor, 'signal')).toEqual([]);
    expect(n1.kinds('signal')).toEqual([]);
    // Direct: the answer to the newcomer and the four signals. The other process heard only the two
    // announcements.
    expect(n1.hub.stats()).toMatchObject({ direct: 5, published: 2, fromBus: 0 });
    expect(n2.hub.stats()).toMatchObject({ published: 0, fromBus: 2 });
  });

  it('relays between processes once and in order: SDP/ICE, presence, events and the chat channel', async () => {
    const network = createMemorySignalNetwork();
    const n1 = await node('n1', network);
    const n2 = await node('n2', network);
    const doctor = await n1.connect('provider');
    const me = await doctor.next('welcome');
    const patient = await n2.connect('patient');
    const pw = await patient.next('welcome');
    // The newcomer on the other process is told to make the offer.
    const docPeer = await patient.next('peer', undefined, 2000);
    expect(docPeer).toMatchObject({ peer: { connId: me.connId, side: 'provider' }, initiate: true });
    await doctor.next('peer', (m) => m.peer.connId === pw.connId, 2000);
    // The patient's chat window on the first process (the page beside the call): invisible to the call.
    const chat = await n1.connect('patient', 'chat');
    await chat.next('watching');

    patient.send({ t: 'signal', to: me.connId, data: { type: 'offer', sdp: 'v=0 offer' } });
    for (let i = 0; i < 5; i += 1) patient.send({ t: 'signal', to: me.connId, data: { candidate: `c${i}` } });
    const got = [];
    for (let i = 0; i < 6; i += 1) got.push((await doctor.next('signal', undefined, 2000)).data);
    expect(got).toEqual([{ type: 'offer', sdp: 'v=0 offer' }, ...[0, 1, 2, 3, 4].map((i) => ({ candidate: `c${i}` }))]);
    doctor.send({ t: 'signal', to: pw.connId, data: { type: 'answer', sdp: 'v=0 answer' } });
    expect((await patient.next('signal', undefined, 2000)).data).toEqual({ type: 'answer', sdp: 'v=0 answer' });
    expect(n2.kinds('signal')).toHaveLength(6);
    expect(n1.kinds('signal')).toHaveLength(1);

    // Events from the service on the first process reach both processes once; the chat connection gets
    // messages and files, not the call's quality figures.
    const message = { id: '0190aaaa-0000-7000-8000-0000000000e1', kind: 'chat' as const, senderAccountId: PROVIDER, senderSide: 'provider' as const, text: 'x', fileId: null, createdAt: '2026-11-25T08:00:00Z' };
    await n1.hub.events.publish(ROOM, { kind: 'quality', accountId: PATIENT, sample: {} as never });
    await n1.hub.events.publish(ROOM, { kind: 'message', message });
    for (const c of [doctor, patient, chat]) await c.next('event', (m) => m.event.kind === 'message', 2000);
    // Barrier: a marker sent after everything above arrives after any duplicate would have.
    doctor.send({ t: 'signal', to: pw.connId, data: { marker: true } });
    await patient.next('signal', (m) => m.data.marker === true, 2000);
    expect(all(patient, 'event').map((m) => m.event.kind)).toEqual(['quality']);
    expect(all(doctor, 'event').map((m) => m.event.kind)).toEqual(['quality']);
    expect(all(chat, 'event')).toEqual([]);
    // Nobody in the call sees the chat connection, and it takes no part in the call.
    expect([...all(doctor, 'peer'), ...all(patient, 'peer')]).toEqual([]);
    chat.send({ t: 'signal', to: me.connId, data: { x: 1 } });
    expect((await chat.next('error')).code).toBe('request.invalid');

    // The other process ends the consultation: every connection is closed as finished.
    await n2.hub.events.publish(ROOM, { kind: 'finished', completedAt: '2026-11-25T09:00:00Z' });
    expect((await chat.closed).code).toBe(4001);
    expect((await doctor.closed).code).toBe(4001);
    expect((await patient.closed).code).toBe(4001);
  });
});
