import type pg from 'pg';
import type { Logger } from 'pino';
import type { IdGen } from '../../platform/ids.js';
import type { Clock } from '../../platform/clock.js';
import { toDate } from '../../platform/clock.js';

/**
 * One message between server processes about one consultation room. Persisted nowhere (except a
 * transient spill row): changes to the shape need every node restarted together.
 */
export interface BusEnvelope {
  /** The consultation id. */
  room: string;
  /** The node that published it. */
  origin: string;
  /** The room message (presence, signal, event); see signalling-hub.ts. */
  body: unknown;
}

export type BusHandler = (env: BusEnvelope) => void;

/**
 * Carries signalling between the server processes that hold the participants' WebSockets. The hub
 * delivers to connections on its own process itself; the bus is only the way to the other processes.
 * One interface, several transports: PostgreSQL LISTEN/NOTIFY (several nodes sharing one database), in
 * memory (one process, and tests that connect several hubs); Redis or NATS would implement the same
 * three methods.
 */
export interface SignalBus {
  /** Identifies this process in envelopes. */
  readonly nodeId: string;
  /**
   * Sends `body` to the other nodes, tagged with this node's id, in publish order. Not delivered back
   * to this node: a transport that echoes its own messages drops them by their origin.
   * @param room - the consultation id
   * @param body - the room message (JSON-serialisable)
   */
  publish(room: string, body: unknown): Promise<void>;
  /**
   * Registers a handler for messages from other nodes (the hub filters rooms locally).
   * @returns a function that unsubscribes
   */
  subscribe(handler: BusHandler): () => void;
  close(): Promise<void>;
}

/** Several in-process buses that reach each other as if they were server processes (tests). */
export interface MemorySignalNetwork {
  /** A bus joins the network; the returned function leaves it. */
  join(nodeId: string, deliver: BusHandler): () => void;
  /** Hands an envelope to every other node, asynchronously and in order. */
  send(env: BusEnvelope): void;
}

/**
 * A network of in-memory buses: each `createMemorySignalBus(id, network)` on it is one "process".
 * Delivery is asynchronous (a microtask, as a real transport never delivers inside `publish`) and in
 * publish order; a node never receives its own envelopes.
 * @returns the network
 */
export function createMemorySignalNetwork(): MemorySignalNetwork {
  const members = new Map<string, BusHandler>();
  return {
    join(nodeId, deliver) {
      members.set(nodeId, deliver);
      return () => members.delete(nodeId);
    },
    send(env) {
      for (const [id, deliver] of members) if (id !== env.origin) queueMicrotask(() => deliver(env));
    },
  };
}

/**
 * The in-process bus. A PGlite deployment is one server process, so alone (no network) it has nobody
 * to reach and publishing costs nothing; tests pass a shared network to run several hubs.
 * @param nodeId - this process
 * @param network - other in-process nodes to reach (tests); none by default
 * @returns the bus
 */
export function createMemorySignalBus(nodeId: string, network?: MemorySignalNetwork): SignalBus {
  const handlers = new Set<BusHandler>();
  const leave = network?.join(nodeId, (env) => {
    for (const h of handlers) h(env);
  });
  return {
    nodeId,
    async publish(room, body) {
      network?.send({ room, origin: nodeId, body });
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
      leave?.();
    },
  };
}

/** The PostgreSQL channel every node listens on. */
export const SIGNAL_CHANNEL = 'distansia_signal';
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; keep a margin for the envelope.
const MAX_INLINE_BYTES = 7600;
const SPILL_TTL_SECONDS = 60;

interface Wire {
  /** origin node */
  o: string;
  /** a batch of inline messages */
  m?: { r: string; b: unknown }[];
  /** room and spill row id, when one body did not fit */
  r?: string;
  s?: string;
}

interface Queued {
  room: string;
  enc: string;
  bytes: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The bus over PostgreSQL LISTEN/NOTIFY, for several server processes sharing one database.
 * Concurrency: publishes are queued and sent through one dedicated connection, one NOTIFY at a time,
 * so the messages of one node reach the others in publish order (an SDP offer before its ICE
 * candidates); whatever queued up meanwhile goes out as one batch (up to the payload limit), which is
 * what keeps the throughput up under load. Deliveries are handled one at a time for the same reason,
 * also when a spilled body has to be read back first.
 * @param deps - the pool (two connections are kept), ids, clock and logger
 * @returns the bus, already listening
 */
export async function createPgSignalBus(deps: { pool: pg.Pool; ids: IdGen; clock: Clock; log: Logger; nodeId?: string }): Promise<SignalBus> {
  const nodeId = deps.nodeId ?? deps.ids.uuid();
  const handlers = new Set<BusHandler>();
  let closed = false;
  let listener: pg.PoolClient | undefined;
  let publisher: pg.PoolClient | undefined;
  let chain: Promise<void> = Promise.resolve();
  let lastSweep = 0;

  const deliver = (env: BusEnvelope) => {
    for (const h of handlers) {
      try {
        h(env);
      } catch (err) {
        deps.log.error({ err, room: env.room }, 'signal handler failed');
      }
    }
  };

  const onNotification = (n: pg.Notification) => {
    if (n.channel !== SIGNAL_CHANNEL || !n.payload) return;
    let wire: Wire;
    try {
      wire = JSON.parse(n.payload) as Wire;
    } catch {
      return;
    }
    // Every listener gets every NOTIFY, its own included: this node's hub already delivered those to its
    // own connections, so its echo is dropped here (no duplicates).
    if (wire.o === nodeId) return;
    chain = chain.then(async () => {
      if (wire.m) {
        for (const x of wire.m) deliver({ room: x.r, origin: wire.o, body: x.b });
        return;
      }
      if (!wire.s || !wire.r) return;
      const r = await deps.pool.query<{ payload: string }>('SELECT payload FROM signal_spill WHERE id = $1', [wire.s]);
      const row = r.rows[0];
      if (row) deliver({ room: wire.r, origin: wire.o, body: JSON.parse(row.payload) as unknown });
    }).catch((err: unknown) => deps.log.error({ err }, 'signal delivery failed'));
  };

  const queue: Queued[] = [];
  let flushing = false;
  const head = Buffer.byteLength(JSON.stringify({ o: nodeId, m: [] }), 'utf8');

  async function sendBatch(client: pg.PoolClient, batch: Queued[]): Promise<void> {
    const first = batch[0];
    if (batch.length === 1 && first && head + first.bytes > MAX_INLINE_BYTES) {
      // Too big for a NOTIFY: park the body in signal_spill and notify its id.
      const id = deps.ids.uuid();
      const now = deps.clock.now();
      const body = JSON.stringify((JSON.parse(first.enc) as { b: unknown }).b);
      await client.query('INSERT INTO signal_spill (id, payload, created_at) VALUES ($1, $2, $3)', [id, body, toDate(now)]);
      await client.query('SELECT pg_notify($1, $2)', [SIGNAL_CHANNEL, JSON.stringify({ o: nodeId, r: first.room, s: id } satisfies Wire)]);
      if (now.epochMilliseconds - lastSweep > SPILL_TTL_SECONDS * 1000) {
        lastSweep = now.epochMilliseconds;
        await client.query('DELETE FROM signal_spill WHERE created_at < $1', [toDate(now.subtract({ seconds: SPILL_TTL_SECONDS }))]);
      }
      return;
    }
    await client.query('SELECT pg_notify($1, $2)', [SIGNAL_CHANNEL, `{"o":${JSON.stringify(nodeId)},"m":[${batch.map((q) => q.enc).join(',')}]}`]);
  }

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch: Queued[] = [];
        let size = head;
        while (queue.length > 0) {
          const q = queue[0];
          if (!q || (batch.length > 0 && size + q.bytes + 1 > MAX_INLINE_BYTES)) break;
          queue.shift();
          batch.push(q);
          size += q.bytes + 1;
        }
        try {
          await sendBatch(await getPublisher(), batch);
          for (const q of batch) q.resolve();
        } catch (err) {
          for (const q of batch) q.reject(err);
        }
      }
    } finally {
      flushing = false;
    }
  }

  async function connectListener(): Promise<void> {
    const client = await deps.pool.connect();
    client.on('notification', onNotification);
    client.on('error', (err) => {
      // Tricky: errors can still arrive after close() released the client; release exactly once.
      if (closed || listener !== client) return;
      deps.log.error({ err }, 'signal listener connection lost; reconnecting');
      listener = undefined;
      client.release(err);
      setTimeout(() => void connectListener().catch((e: unknown) => deps.log.error({ err: e }, 'signal listener reconnect failed')), 1000).unref();
    });
    await client.query(`LISTEN ${SIGNAL_CHANNEL}`);
    listener = client;
  }

  async function getPublisher(): Promise<pg.PoolClient> {
    if (publisher) return publisher;
    const client = await deps.pool.connect();
    client.on('error', (err) => {
      if (closed || publisher !== client) return;
      deps.log.error({ err }, 'signal publisher connection lost');
      publisher = undefined;
      client.release(err);
    });
    publisher = client;
    return client;
  }

  await connectListener();
  await getPublisher();

  return {
    nodeId,
    publish(room, body) {
      const enc = JSON.stringify({ r: room, b: body });
      return new Promise<void>((resolve, reject) => {
        queue.push({ room, enc, bytes: Buffer.byteLength(enc, 'utf8'), resolve, reject });
        void flush();
      });
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      closed = true;
      handlers.clear();
      // Both connections are destroyed, not pooled: a LISTENing session must not serve other queries.
      const l = listener;
      const p = publisher;
      listener = undefined;
      publisher = undefined;
      l?.release(true);
      p?.release(true);
    },
  };
}
