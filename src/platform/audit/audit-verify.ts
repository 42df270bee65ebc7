import type pg from 'pg';
import { AUDIT_CANONICAL_SQL, GENESIS_HASH, eventHashOfEncoding } from './audit-chain.js';
import type { ExportedHead } from './audit-heads.js';

/** One way the trail can be broken; `seq` names the first event of the chain that fails. */
export interface AuditProblem {
  kind:
    | 'modified' // the event's fields no longer match its hash
    | 'relinked' // the event does not point at its predecessor's hash (predecessor rewritten or event forged)
    | 'missing' // an event is absent: a gap in the chain, or the tail was truncated after its head was exported
    | 'export_mismatch'; // the event differs from the head exported to the second location (chain rewritten)
  chain: number;
  seq: number;
  id?: string;
  message: string;
}

export interface AuditVerification {
  /** Events whose hash and link were checked and found intact. */
  events: number;
  chains: number;
  exportedHeadsChecked: number;
  /** The first problem of each broken chain, ordered by chain and seq; empty when the trail is intact. */
  problems: AuditProblem[];
}

export interface VerifyOptions {
  pool: pg.Pool;
  /** Heads read back from the second location(s). */
  exportedHeads: readonly ExportedHead[];
  /** Chains verified at once (1 on PGlite, which has one connection). */
  concurrency?: number;
  /** Rows per keyset page: verification streams, it never loads a chain into memory. */
  pageSize?: number;
}


function span(chain: number, from: number, to: number): string {
  return from === to ? `event ${chain}/${from} is` : `events ${chain}/${from}..${chain}/${to} are`;
}

type Row = [seq: string, id: string, encoding: string, prevHash: string, hash: string];

async function chainsPresent(pool: pg.Pool): Promise<number[]> {
  // A loose index scan over the primary key: distinct chains without reading every row.
  const { rows } = await pool.query<{ chain: number }>(`WITH RECURSIVE c AS (
      SELECT min(chain) AS chain FROM audit_event
      UNION ALL SELECT (SELECT min(e.chain) FROM audit_event e WHERE e.chain > c.chain) FROM c WHERE c.chain IS NOT NULL
    ) SELECT chain FROM c WHERE chain IS NOT NULL`);
  return rows.map((r) => Number(r.chain));
}

async function verifyChain(pool: pg.Pool, chain: number, exported: Map<number, ExportedHead[]>, pageSize: number): Promise<{ events: number; problem?: AuditProblem }> {
  let last = 0;
  let prev = GENESIS_HASH;
  let prevHexOf = GENESIS_HASH.toString('hex');
  let events = 0;
  const fail = (problem: Omit<AuditProblem, 'chain'>) => ({ events, problem: { chain, ...problem } });
  // Concurrency: rows are final once committed and a chain grows only at its end, so reading pages
  // until one comes back short sees a consistent prefix of every chain.
  for (;;) {
    const { rows } = await pool.query<Row>({
      text: `SELECT seq::text, id::text, ${AUDIT_CANONICAL_SQL}, encode(prev_hash, 'hex'), encode(hash, 'hex') FROM audit_event WHERE chain = $1 AND seq > $2 ORDER BY audit_event.seq LIMIT $3`,
      values: [chain, last, pageSize],
      rowMode: 'array',
    });
    for (const row of rows) {
      const [seqText, id, encoding, prevHex, hashHex] = row;
      const seq = Number(seqText);
      if (seq !== last + 1) {
        return fail({ kind: 'missing', seq: last + 1, message: `${span(chain, last + 1, seq - 1)} missing (deleted)` });
      }
      if (prevHex !== prevHexOf) {
        return fail({ kind: 'relinked', seq, id, message: `event ${chain}/${seq} (id ${id}) does not follow ${chain}/${last}: one of them was rewritten` });
      }
      const hash = eventHashOfEncoding(prev, encoding);
      const computedHex = hash.toString('hex');
      if (computedHex !== hashHex) {
        return fail({ kind: 'modified', seq, id, message: `event ${chain}/${seq} (id ${id}) was modified: its content no longer matches its hash` });
      }
      for (const h of exported.get(seq) ?? []) {
        if (h.hash !== hashHex) {
          return fail({ kind: 'export_mismatch', seq, id, message: `event ${chain}/${seq} (id ${id}) differs from the head exported at ${h.exportedAt}: the chain was rewritten` });
        }
      }
      prev = hash;
      prevHexOf = computedHex;
      last = seq;
      events += 1;
    }
    if (rows.length < pageSize) break;
  }
  // Security: the database keeps no head of its own; a deleted tail shows only against an exported head.
  const beyond = [...exported.keys()].filter((s) => s > last).sort((a, b) => a - b)[0];
  if (beyond !== undefined) {
    const h = exported.get(beyond)?.[0];
    return fail({ kind: 'missing', seq: last + 1, message: `${span(chain, last + 1, beyond)} missing: the head exported at ${h?.exportedAt} reached ${chain}/${beyond} (tail truncated)` });
  }
  return { events };
}

/**
 * Verifies the whole audit trail (docs/decisions.md#d12): every event's hash and link in every chain,
 * and every chain against the heads exported to the second location(s) (a truncated tail).
 * Streams each chain by keyset pages, so memory does not grow with the trail.
 * @param opts - pool, exported heads, concurrency, page size
 * @returns the count of intact events and the first problem of each broken chain
 */
export async function verifyAuditTrail(opts: VerifyOptions): Promise<AuditVerification> {
  const pageSize = opts.pageSize ?? 10_000;
  const byChain = new Map<number, Map<number, ExportedHead[]>>();
  for (const h of opts.exportedHeads) {
    const m = byChain.get(h.chain) ?? new Map<number, ExportedHead[]>();
    byChain.set(h.chain, m);
    const seq = Number(h.seq);
    m.set(seq, [...(m.get(seq) ?? []), h]);
  }
  const chains = [...new Set([...(await chainsPresent(opts.pool)), ...byChain.keys()])].sort((a, b) => a - b);
  const results: { events: number; problem?: AuditProblem }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < chains.length) {
      const chain = chains[next++] as number;
      results.push(await verifyChain(opts.pool, chain, byChain.get(chain) ?? new Map(), pageSize));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 1, chains.length)) }, worker));
  const problems = results.flatMap((r) => (r.problem ? [r.problem] : [])).sort((a, b) => a.chain - b.chain || a.seq - b.seq);
  return { events: results.reduce((n, r) => n + r.events, 0), chains: chains.length, exportedHeadsChecked: opts.exportedHeads.length, problems };
}
