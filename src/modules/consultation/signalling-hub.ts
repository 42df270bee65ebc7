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

interface LocalConn {
  id: string;
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
 * presence, SDP/ICE and consultation events through the SignalBus, so the two parties may be connected
 * to different processes. It keeps no shared state: a newcomer announces itself and the others answer.
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

  const send = (c: LocalConn, msg: ServerSignal) => {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(msg));
  };
  const peerOf = (c: LocalConn): Peer => ({ connId: c.id, accountId: c.accountId, side: c.side, state: c.state });
  const publish = (room: string, m: RoomMessage) => bus.publish(room, m).catch((err: unknown) => log.error({ err, room }, 'signal publish failed'));

  function onEnvelope(env: BusEnvelope): void {
    const local = rooms.get(env.room);
    if (!local || local.size === 0) return;
    const m = env.body as RoomMessage;
    switch (m.k) {
      case 'presence': {
        for (const c of local.values()) {
          if (c.id === m.peer.connId || (m.to && m.to !== c.id)) continue;
          if (visible(c, m.peer)) send(c, { t: 'peer', peer: m.peer, initiate: m.reply && c.state === 'in-call' && m.peer.state === 'in-call' });
          if (!m.reply) void publish(env.room, { k: 'presence', peer: peerOf(c), reply: true, to: m.peer.connId });
        }
        return;
      }
      case 'leave':
        for (const c of local.values()) if (c.id !== m.connId) send(c, { t: 'peer-left', connId: m.connId });
        return;
      case 'signal': {
        const target = local.get(m.to);
        // Security: a connection in the waiting room neither sends nor receives media negotiation.
        if (target && target.state === 'in-call') send(target, { t: 'signal', from: m.from, data: m.data });
        return;
      }
      case 'event': {
        const ev = m.event;
        for (const c of local.values()) {
          if (ev.kind === 'admitted' && c.accountId === ev.accountId && c.state === 'waiting') {
            c.state = 'in-call';
            send(c, { t: 'admitted' });
            void publish(env.room, { k: 'presence', peer: peerOf(c), reply: false });
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

  const heartbeat = setInterval(() => {
    const now = nowMs();
    for (const room of rooms.values()) {
      for (const c of room.values()) {
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
  }, deps.heartbeatMs ?? 20_000);
  heartbeat.unref();

  function detach(c: LocalConn): void {
    const room = rooms.get(c.room);
    if (!room?.delete(c.id)) return;
    if (room.size === 0) rooms.delete(c.room);
    void publish(c.room, { k: 'leave', connId: c.id });
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
    switch (msg.t) {
      case 'signal': {
        if (c.state !== 'in-call') return send(c, { t: 'error', code: 'consultation.not_admitted' });
        // The other party on this node is reached directly; only a peer on another node needs the bus.
        const local = rooms.get(c.room)?.get(msg.to);
        if (local) {
          if (local.state === 'in-call') send(local, { t: 'signal', from: c.id, data: msg.data });
          return;
        }
        void publish(c.room, { k: 'signal', from: c.id, to: msg.to, data: msg.data });
        return;
      }
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
        void publish(c.room, { k: 'event', event: { kind: 'media', connId: c.id, audio: msg.audio, video: msg.video, screen: msg.screen } });
        return;
      case 'ping':
        return send(c, msg.n === undefined ? { t: 'pong' } : { t: 'pong', n: msg.n });
      default:
        return;
    }
  }

  const events: RoomEvents = {
    publish: async (consultationId, event) => {
      await bus.publish(consultationId, { k: 'event', event } satisfies RoomMessage);
    },
  };

  return {
    events,

    /**
     * Takes an authenticated WebSocket into a consultation room: joins through the service (participant
     * check, gates, audit), then announces it. A refused join ends the socket with a 4xxx close code.
     * @param socket - the upgraded socket
     * @param ctx - the upgrade request's context (session actor)
     * @param consultationId - the room
     * @param sessionToken - the session cookie of the upgrade (re-checked while the socket lives)
     */
    async attach(socket: WebSocket, ctx: RequestCtx, consultationId: string, sessionToken = ''): Promise<void> {
      // Messages that arrive while the join runs are queued, not lost.
      const early: Buffer[] = [];
      const queue = (d: Buffer) => early.push(d);
      socket.on('message', queue);
      let joined;
      try {
        joined = await deps.service().joinSignalling(ctx, consultationId);
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
        room: consultationId,
        accountId: joined.accountId,
        side: joined.side,
        state: joined.state,
        socket,
        ctx,
        alive: true,
        sessionToken,
        checkedAt: nowMs(),
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
      send(c, { t: 'welcome', connId: c.id, accountId: c.accountId, side: c.side, state: c.state });
      await publish(consultationId, { k: 'presence', peer: peerOf(c), reply: false });
      for (const d of early) handle(d);
    },

    /** Connections and rooms on this node (for /health and the benchmark). */
    stats(): { connections: number; rooms: number } {
      let connections = 0;
      for (const r of rooms.values()) connections += r.size;
      return { connections, rooms: rooms.size };
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
