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
 * Carries signalling between the server processes that hold the participants' WebSockets. One
 * interface, several transports: in-process (PGlite, tests), PostgreSQL LISTEN/NOTIFY (several nodes
 * sharing one database); Redis or NATS would implement the same three methods.
 */
export interface SignalBus {
  /** Identifies this process in envelopes. */
  readonly nodeId: string;
  /**
   * Delivers `body` to every subscriber on every node, this one included, in publish order per node.
   * @param room - the consultation id
   * @param body - the room message (JSON-serialisable)
   */
  publish(room: string, body: unknown): Promise<void>;
  /**
   * Registers the node's single handler (the hub filters rooms locally).
   * @returns a function that unsubscribes
   */
  subscribe(handler: BusHandler): () => void;
  close(): Promise<void>;
}

/**
 * The in-process bus: PGlite deployments run one server process, and tests use it for speed.
 * @param nodeId - this process
 * @returns the bus
 */
export function createMemorySignalBus(nodeId: string): SignalBus {
  const handlers = new Set<BusHandler>();
  return {
    nodeId,
    async publish(room, body) {
      const env: BusEnvelope = { room, origin: nodeId, body };
      for (const h of handlers) h(env);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
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

  const deliverLocal = (env: BusEnvelope) => {
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
    // This node already delivered its own messages when it published them.
    if (wire.o === nodeId) return;
    chain = chain.then(async () => {
      if (wire.m) {
        for (const x of wire.m) deliverLocal({ room: x.r, origin: wire.o, body: x.b });
        return;
      }
      if (!wire.s || !wire.r) return;
      const r = await deps.pool.query<{ payload: string }>('SELECT payload FROM signal_spill WHERE id = $1', [wire.s]);
      const row = r.rows[0];
      if (row) deliverLocal({ room: wire.r, origin: wire.o, body: JSON.parse(row.payload) as unknown });
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
      deliverLocal({ room, origin: nodeId, body });
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
