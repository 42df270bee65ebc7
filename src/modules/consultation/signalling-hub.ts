import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import {
  ClientSignalSchema,
  SignalCloseCodes,
  type ParticipantSide,
  type Peer,
  type PresenceState,
  type RoomEvent,
  type ServerSignal,
} from '../../contracts/consultation.js';
import type { SignalBus, BusEnvelope } from './signal-bus.js';
import type { ConsultationService } from './consultation.service.js';
import type { RoomEvents } from './consultation.ports.js';

/**
 * Room messages on the bus (between nodes). Not persisted; all nodes run the same version.
 *  - presence: a connection announces itself (reply=false) or answers an announcement (reply=true, to=newcomer)
 *  - leave: a connection closed
 *  - signal: SDP/ICE from one connection to another
 *  - event: a consultation event from the service (chat, file, admission, quality, recording, end)
 */
type RoomMessage =
  | { k: 'presence'; peer: Peer; reply: boolean; to?: string }
  | { k: 'leave'; connId: string }
  | { k: 'signal'; from: string; to: string; data: Record<string, unknown> }
  | { k: 'event'; event: RoomEvent };

/**
 * What a connection is for: `call` joins the call (waiting room, presence, SDP/ICE, every event);
 * `chat` only receives the consultation's messages, file notices and its end, outside a call or on a
 * store-and-forward case (it is invisible to the others and takes no part in the call).
 */
export type ConnMode = 'call' | 'chat';

/** The events a chat connection receives. */
const CHAT_EVENTS: ReadonlySet<RoomEvent['kind']> = new Set(['message', 'file', 'finished']);

interface LocalConn {
  id: string;
  mode: ConnMode;
  room: string;
  accountId: string;
  side: ParticipantSide;
  state: PresenceState;
  socket: WebSocket;
  ctx: RequestCtx;
  alive: boolean;
  /** The session cookie, to re-check the session while the socket lives. */
  sessionToken: string;
  checkedAt: number;
  /** Which slice of the heartbeat sweep pings this connection. */
  slice: number;
}

const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Whether a connection may see another: the providing specialist sees everyone (the waiting room),
 * others see only people in the call, and only once they are in it themselves.
 */
function visible(viewer: LocalConn, peer: Peer): boolean {
  return viewer.side === 'provider' || (viewer.state === 'in-call' && peer.state === 'in-call');
}

/**
 * The signalling hub of one server process: holds this node's WebSockets per consultation and relays
 * presence, SDP/ICE and consultation events. A message for a connection on this process is delivered
 * here directly; the SignalBus carries only what other processes need (a message for one of their
 * connections, or one for everybody in the room), so the two parties may be connected to different
 * processes. It keeps no shared state: a newcomer announces itself and the others answer.
 * @param deps - the bus, the consultation service (joins, statistics) and a logger
 * @returns the hub; `events` is the RoomEvents the service publishes through
 */
export function createSignallingHub(deps: {
  bus: SignalBus;
  service: () => ConsultationService;
  log: Logger;
  heartbeatMs?: number;
  /**
   * Security: a socket must not outlive its session. Every `sessionCheckMs` (default 2 minutes) each
   * connection's session is resolved again (identity's `resolveSession`, which also counts the call as
   * activity); a revoked, expired or idle session closes the socket with 4003.
   */
  sessionIsLive?: (token: string) => Promise<boolean>;
  sessionCheckMs?: number;
  /** Milliseconds since the epoch, for the session check's schedule (no clock reads in modules). */
  now?: () => number;
}) {
  const rooms = new Map<string, Map<string, LocalConn>>();
  const { bus, log } = deps;
  /** Messages for one connection delivered on this node, messages sent to the bus, and received from it. */
  const counters = { direct: 0, published: 0, fromBus: 0 };

  const send = (c: LocalConn, msg: ServerSignal) => {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(msg));
  };
  const peerOf = (c: LocalConn): Peer => ({ connId: c.id, accountId: c.accountId, side: c.side, state: c.state });

  /** Hands a room message to this node's connections, synchronously (so in the order of the calls). */
  function deliver(room: string, m: RoomMessage): void {
    const local = rooms.get(room);
    if (!local || local.size === 0) return;
    switch (m.k) {
      case 'presence': {
        for (const c of local.values()) {
          if (c.mode !== 'call' || c.id === m.peer.connId || (m.to && m.to !== c.id)) continue;
          if (visible(c, m.peer)) send(c, { t: 'peer', peer: m.peer, initiate: m.reply && c.state === 'in-call' && m.peer.state === 'in-call' });
          if (!m.reply) relay(room, { k: 'presence', peer: peerOf(c), reply: true, to: m.peer.connId });
        }
        return;
      }
      case 'leave':
        for (const c of local.values()) if (c.mode === 'call' && c.id !== m.connId) send(c, { t: 'peer-left', connId: m.connId });
        return;
      case 'signal': {
        const target = local.get(m.to);
        // Security: a connection in the waiting room (or a chat connection) neither sends nor receives
        // media negotiation.
        if (target?.mode === 'call' && target.state === 'in-call') send(target, { t: 'signal', from: m.from, data: m.data });
        return;
      }
      case 'event': {
        const ev = m.event;
        for (const c of local.values()) {
          if (c.mode === 'chat') {
            if (CHAT_EVENTS.has(ev.kind)) send(c, { t: 'event', event: ev });
            if (ev.kind === 'finished') c.socket.close(SignalCloseCodes.finished, 'finished');
            continue;
          }
          if (ev.kind === 'admitted' && c.accountId === ev.accountId && c.state === 'waiting') {
            c.state = 'in-call';
            send(c, { t: 'admitted' });
            relay(room, { k: 'presence', peer: peerOf(c), reply: false });
          }
          send(c, { t: 'event', event: ev });
          if (ev.kind === 'finished') c.socket.close(SignalCloseCodes.finished, 'finished');
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Sends a room message to whoever it concerns. A message for one connection (SDP/ICE, a presence
   * answer) that is on this node is delivered directly and never touches the bus; one for a connection
   * elsewhere goes only to the bus. A message for the whole room is delivered here first, then sent to
   * the bus for the other nodes (which may hold the other party). The bus drops its own echo, so
   * nothing arrives twice, and both paths keep the order of the calls.
   * @returns the bus's publish, or undefined for a direct delivery (the hot path allocates no promise)
   */
  function route(room: string, m: RoomMessage): Promise<void> | undefined {
    const to = m.k === 'signal' || m.k === 'presence' ? m.to : undefined;
    if (to !== undefined && rooms.get(room)?.has(to)) {
      counters.direct += 1;
      deliver(room, m);
      return undefined;
    }
    if (to === undefined) deliver(room, m);
    counters.published += 1;
    return bus.publish(room, m);
  }
  const publishFailed = (room: string) => (err: unknown) => log.error({ err, room }, 'signal publish failed');
  const relay = (room: string, m: RoomMessage): void => void route(room, m)?.catch(publishFailed(room));

  function onEnvelope(env: BusEnvelope): void {
    // Defensive: transports drop their own echo already; this node delivered those messages itself.
    if (env.origin === bus.nodeId) return;
    counters.fromBus += 1;
    deliver(env.room, env.body as RoomMessage);
  }

  const unsubscribe = bus.subscribe(onEnvelope);

  const sessionCheckMs = deps.sessionCheckMs ?? 120_000;
  const nowMs = deps.now ?? (() => 0);
  async function checkSession(c: LocalConn): Promise<void> {
    if (!deps.sessionIsLive) return;
    c.checkedAt = nowMs();
    let live = true;
    try {
      live = await deps.sessionIsLive(c.sessionToken);
    } catch (err) {
      log.error({ err }, 'session check failed; keeping the connection');
    }
    if (!live) {
      send(c, { t: 'error', code: 'auth.unauthenticated' });
      c.socket.close(SignalCloseCodes.forbidden, 'auth.unauthenticated');
    }
  }

  // The heartbeat visits each connection once per `heartbeatMs`, a slice at a time: pinging 5,000
  // sockets in one sweep blocked the event loop for tens of milliseconds, and every relayed message
  // waited behind it.
  const HEARTBEAT_SLICES = 20;
  let sweepSlice = 0;
  let nextSlice = 0;
  const heartbeat = setInterval(
    () => {
      const now = nowMs();
      for (const room of rooms.values()) {
        for (const c of room.values()) {
          if (c.slice !== sweepSlice) continue;
          if (deps.sessionIsLive && now - c.checkedAt >= sessionCheckMs) void checkSession(c);
          // A dropped network leaves a half-open socket: no pong within one interval ends it, the others
          // get `peer-left`, and the browser's reconnect brings it back into the same consultation.
          if (!c.alive) {
            c.socket.terminate();
            continue;
          }
          c.alive = false;
          c.socket.ping();
        }
      }
      sweepSlice = (sweepSlice + 1) % HEARTBEAT_SLICES;
    },
    Math.max(1, (deps.heartbeatMs ?? 20_000) / HEARTBEAT_SLICES),
  );
  heartbeat.unref();

  function detach(c: LocalConn): void {
    const room = rooms.get(c.room);
    if (!room?.delete(c.id)) return;
    if (room.size === 0) rooms.delete(c.room);
    if (c.mode === 'call') relay(c.room, { k: 'leave', connId: c.id });
  }

  async function onMessage(c: LocalConn, raw: Buffer): Promise<void> {
    if (raw.length > MAX_MESSAGE_BYTES) return void c.socket.close(SignalCloseCodes.invalid, 'too large');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(c, { t: 'error', code: 'request.invalid' });
    }
    const parsed = ClientSignalSchema.safeParse(json);
    if (!parsed.success) return send(c, { t: 'error', code: 'request.invalid' });
    const msg = parsed.data;
    // A chat connection only listens (and keeps itself alive).
    if (c.mode === 'chat' && msg.t !== 'ping') return send(c, { t: 'error', code: 'request.invalid' });
    switch (msg.t) {
      case 'signal':
        if (c.state !== 'in-call') return send(c, { t: 'error', code: 'consultation.not_admitted' });
        // The other party on this node is reached directly; only a peer on another node needs the bus.
        relay(c.room, { k: 'signal', from: c.id, to: msg.to, data: msg.data });
        return;
      case 'stats':
        if (c.state !== 'in-call') return;
        try {
          await deps.service().recordQuality(c.ctx, c.room, msg.report);
        } catch (err) {
          if (err instanceof AppError) return send(c, { t: 'error', code: err.code });
          log.error({ err, consultationId: c.room }, 'quality sample failed');
        }
        return;
      case 'media':
        relay(c.room, { k: 'event', event: { kind: 'media', connId: c.id, audio: msg.audio, video: msg.video, screen: msg.screen } });
        return;
      case 'ping':
        return send(c, msg.n === undefined ? { t: 'pong' } : { t: 'pong', n: msg.n });
      default:
        return;
    }
  }

  const events: RoomEvents = {
    publish: async (consultationId, event) => {
      await route(consultationId, { k: 'event', event });
    },
  };

  return {
    events,

    /**
     * Takes an authenticated WebSocket into a consultation room. A call connection joins through the
     * service (participant check, gates, audit) and is announced; a chat connection passes the same
     * participant check as reading the messages (audited) and only listens. A refused join ends the
     * socket with a 4xxx close code.
     * @param socket - the upgraded socket
     * @param ctx - the upgrade request's context (session actor)
     * @param consultationId - the room
     * @param sessionToken - the session cookie of the upgrade (re-checked while the socket lives)
     * @param mode - `call` (default) or `chat`
     */
    async attach(socket: WebSocket, ctx: RequestCtx, consultationId: string, sessionToken = '', mode: ConnMode = 'call'): Promise<void> {
      // Messages that arrive while the join runs are queued, not lost.
      const early: Buffer[] = [];
      const queue = (d: Buffer) => early.push(d);
      socket.on('message', queue);
      let joined: { accountId: string; side: ParticipantSide; state: PresenceState };
      try {
        joined = mode === 'chat' ? { ...(await deps.service().watchChat(ctx, consultationId)), state: 'waiting' } : await deps.service().joinSignalling(ctx, consultationId);
      } catch (err) {
        const code = err instanceof AppError ? err.code : 'internal';
        if (!(err instanceof AppError)) log.error({ err, consultationId }, 'signalling join failed');
        if (socket.readyState === socket.OPEN) {
          socket.send(JSON.stringify({ t: 'error', code } satisfies ServerSignal));
          socket.close(code === 'consultation.finished' ? SignalCloseCodes.finished : SignalCloseCodes.forbidden, code);
        }
        return;
      }
      const c: LocalConn = {
        id: randomBytes(9).toString('base64url'),
        mode,
        room: consultationId,
        accountId: joined.accountId,
        side: joined.side,
        state: joined.state,
        socket,
        ctx,
        alive: true,
        sessionToken,
        checkedAt: nowMs(),
        slice: (nextSlice = (nextSlice + 1) % HEARTBEAT_SLICES),
      };
      if (socket.readyState !== socket.OPEN) return;
      let room = rooms.get(consultationId);
      if (!room) rooms.set(consultationId, (room = new Map()));
      room.set(c.id, c);
      socket.off('message', queue);
      // Concurrency: messages are handled in arrival order; relaying is synchronous up to the bus,
      // whose publish queue keeps that order (an offer stays ahead of its candidates).
      const handle = (d: Buffer) => {
        onMessage(c, d).catch((err: unknown) => log.error({ err }, 'signal message failed'));
      };
      socket.on('message', (d: Buffer) => handle(d));
      socket.on('pong', () => {
        c.alive = true;
      });
      socket.on('close', () => detach(c));
      socket.on('error', () => detach(c));
      if (mode === 'chat') send(c, { t: 'watching', connId: c.id });
      else {
        send(c, { t: 'welcome', connId: c.id, accountId: c.accountId, side: c.side, state: c.state });
        await route(consultationId, { k: 'presence', peer: peerOf(c), reply: false })?.catch(publishFailed(consultationId));
      }
      for (const d of early) handle(d);
    },

    /**
     * Connections and rooms on this node (for /health and the benchmark), and since the start: messages
     * for one connection delivered here without the bus (`direct`), messages sent to the bus
     * (`published`) and received from other nodes (`fromBus`).
     */
    stats(): { connections: number; rooms: number; direct: number; published: number; fromBus: number } {
      let connections = 0;
      for (const r of rooms.values()) connections += r.size;
      return { connections, rooms: rooms.size, ...counters };
    },

    /** Closes every socket with "restart" (clients reconnect to another node) and stops listening. */
    async close(): Promise<void> {
      clearInterval(heartbeat);
      unsubscribe();
      for (const room of rooms.values()) for (const c of room.values()) c.socket.close(SignalCloseCodes.restart, 'restart');
      rooms.clear();
    },
  };
}

export type SignallingHub = ReturnType<typeof createSignallingHub>;
