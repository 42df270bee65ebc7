import { and, asc, eq, lte, or, isNull, lt, sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Logger } from 'pino';
import { OutboxMessageSchema } from '../../contracts/outbox.js';
import { toDate, type Clock, type Temporal } from '../clock.js';
import type { IdGen } from '../ids.js';
import type { Db, Queryable } from '../db/index.js';

export const outboxTable = pgTable('outbox', {
  id: uuid('id').primaryKey(),
  type: text('type').notNull(),
  payload: jsonb('payload').notNull(),
  availableAt: timestamp('available_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  status: text('status').notNull().default('pending'),
  lastError: text('last_error'),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  doneAt: timestamp('done_at', { withTimezone: true }),
});

export interface OutboxMessage {
  id: string;
  type: string;
  payload: unknown;
  attempts: number;
}

export type OutboxHandler = (msg: OutboxMessage) => Promise<void>;

export interface Outbox {
  /**
   * Queues a side effect inside the caller's transaction (STYLE C20).
   * @param q - the transaction of the business change
   * @param type - the handler name, `domain.effect`
   * @param payload - ids only; never personal data
   * @param availableAt - when it becomes due (reminders, deadlines); now when absent
   * @returns the outbox row id
   */
  enqueue(q: Queryable, type: string, payload: Record<string, unknown>, availableAt?: Temporal.Instant): Promise<string>;
  /** Registers the idempotent handler for a message type. */
  on(type: string, handler: OutboxHandler): void;
  /** Processes due messages once; returns how many were handled. */
  drain(limit?: number): Promise<number>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

const MAX_ATTEMPTS = 8;

/**
 * The transactional outbox: rows written with the business change, handled after commit, retried with
 * exponential backoff, and kept as evidence. Failures never roll back the business change.
 * @param deps - database, clock, ids and logger
 * @returns the outbox
 */
export function createOutbox(deps: { db: Db; clock: Clock; ids: IdGen; log: Logger }): Outbox {
  const handlers = new Map<string, OutboxHandler>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function claim(limit: number): Promise<OutboxMessage[]> {
    const now = deps.clock.now();
    const lease = toDate(now.add({ seconds: 60 }));
    // Concurrency: FOR UPDATE SKIP LOCKED lets several server processes drain without double handling.
    const rows = await deps.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: outboxTable.id })
        .from(outboxTable)
        .where(and(eq(outboxTable.status, 'pending'), lte(outboxTable.availableAt, toDate(now)), or(isNull(outboxTable.lockedUntil), lt(outboxTable.lockedUntil, toDate(now)))))
        .orderBy(asc(outboxTable.availableAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(outboxTable)
        .set({ lockedUntil: lease, attempts: sql`${outboxTable.attempts} + 1` })
        .where(sql`${outboxTable.id} IN (${sql.join(due.map((d) => sql`${d.id}`), sql`, `)})`)
        .returning({ id: outboxTable.id, type: outboxTable.type, payload: outboxTable.payload, attempts: outboxTable.attempts });
    });
    return rows;
  }

  async function drainOnce(limit = 50): Promise<number> {
    const batch = await claim(limit);
    for (const msg of batch) {
      const handler = handlers.get(msg.type);
      const now = deps.clock.now();
      try {
        if (!handler) throw new Error(`no handler for ${msg.type}`);
        await handler(msg);
        await deps.db.update(outboxTable).set({ status: 'done', doneAt: toDate(now), lockedUntil: null, lastError: null }).where(eq(outboxTable.id, msg.id));
      } catch (err) {
        const failed = msg.attempts >= MAX_ATTEMPTS;
        const backoffSeconds = Math.min(3600, 2 ** msg.attempts * 5);
        deps.log.warn({ outboxId: msg.id, type: msg.type, attempts: msg.attempts, err: err instanceof Error ? err.message : 'error' }, 'outbox handler failed');
        await deps.db
          .update(outboxTable)
          .set({
            status: failed ? 'failed' : 'pending',
            lastError: err instanceof Error ? err.message.slice(0, 500) : 'error',
            lockedUntil: null,
            availableAt: toDate(now.add({ seconds: backoffSeconds })),
          })
          .where(eq(outboxTable.id, msg.id));
      }
    }
    return batch.length;
  }

  return {
    async enqueue(q, type, payload, availableAt) {
      // Every kind and payload is in the catalogue (src/contracts/outbox.ts); a stray one fails here, in
      // the writing transaction, not later in a handler.
      const checked = OutboxMessageSchema.safeParse({ type, payload });
      if (!checked.success) throw new Error(`Outbox message '${type}' does not match the catalogue (src/contracts/outbox.ts): ${checked.error.message}`);
      const id = deps.ids.uuid();
      const now = deps.clock.now();
      await q.insert(outboxTable).values({ id, type, payload, availableAt: toDate(availableAt ?? now), createdAt: toDate(now) });
      return id;
    },
    on(type, handler) {
      handlers.set(type, handler);
    },
    async drain(limit) {
      // One drain at a time per process; the database lease guards across processes.
      running ??= drainOnce(limit).finally(() => {
        running = undefined;
      });
      return running;
    },
    start(intervalMs = 1000) {
      if (timer) return;
      timer = setInterval(() => {
        this.drain().catch((err: unknown) => deps.log.error({ err }, 'outbox drain failed'));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
