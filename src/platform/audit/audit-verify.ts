import { createHash, createHmac } from 'node:crypto';
import type pg from 'pg';
import { GENESIS_HASH, encodeField } from './audit-chain.js';
import { headSignatureValid, type ExportedHead } from './audit-heads.js';
import type { AuditKeys } from './audit-keys.js';

/** One way the trail can be broken; `seq` names the first event of the chain that fails. */
export interface AuditProblem {
  kind:
    | 'modified' // the event does not match its seal: forged, rewritten or re-hashed without the audit key
    | 'relinked' // the event does not point at its predecessor's seal (predecessor rewritten or event moved)
    | 'missing' // an event is absent: a gap in the chain, or the tail was truncated after its head was exported
    | 'export_mismatch' // the event differs from the head exported to the second location (chain rewritten)
    | 'bad_head' // an exported head whose signature does not verify (written by someone without the signing key)
    | 'unsealed'; // a schema 1 (unkeyed) event that no sealed event or signed head vouches for
  chain: number;
  seq: number;
  id?: string;
  message: string;
}

export interface AuditVerification {
  /** Events whose seal and link were checked and found intact. */
  events: number;
  /** Of those, events written before seals (schema 1), vouched for by a later seal or a signed head. */
  legacyEvents: number;
  chains: number;
  exportedHeadsChecked: number;
  /** Heads without a signature (exported before heads were signed): checked, but anyone could have written them. */
  unsignedHeads: number;
  /** The first problem of each broken chain (and each forged head), ordered by chain and seq; empty when the trail is intact. */
  problems: AuditProblem[];
}

export interface VerifyOptions {
  pool: pg.Pool;
  /** The audit keys (read only: verification never creates one). */
  keys: AuditKeys;
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

// Security: verification trusts no seal, link or function of the database. The database only renders
// the stored columns as text, joined in the canonical encoding with built-in operators (the
// canonical-encoding expression below is part of the verifier, not a database function a superuser
// could replace, and runs with pg_catalog first on the search path). The seal is then recomputed here
// with the audit key, which the database never holds: a rendering that differs in any byte from what
// the application sealed does not verify. (Rendering in SQL rather than fetching the 20 columns is
// what keeps 1,000,000 events under 10 s: bench/audit-verify.ts.)
const SEALED_FIELDS = [
  'seq::text', 'id::text', '((extract(epoch FROM recorded_at) * 1000000)::bigint)::text', 'action', 'outcome', 'actor_type', 'actor_id',
  'actor_role', 'on_behalf_of::text', 'patient_id::text', 'facility_id::text', 'subject_type', 'subject_id', 'reason', 'request_id', 'ip',
  'user_agent', 'data::text', 'schema_version::text',
];
const ENCODING_SQL = SEALED_FIELDS.map((f) => `(CASE WHEN ${f} IS NULL THEN '-' ELSE octet_length(${f})::text || ':' || ${f} END)`).join(' || ');
const PAGE_SQL = `SELECT seq::text, id::text, schema_version::text, key_version::text, encode(prev_hash, 'hex'), encode(hash, 'hex'), ${ENCODING_SQL}
  FROM public.audit_event WHERE chain = $1 AND seq > $2 ORDER BY audit_event.seq LIMIT $3`;

type Row = [seq: string, id: string, schema: string, keyVersion: string | null, prevHex: string, hashHex: string, encoding: string];

interface ChainResult {
  events: number;
  legacy: number;
  problem?: AuditProblem;
}

async function chainsPresent(pool: pg.Pool): Promise<number[]> {
  // A loose index scan over the primary key: distinct chains without reading every row.
  const { rows } = await pool.query<{ chain: number }>(`WITH RECURSIVE c AS (
      SELECT min(chain) AS chain FROM audit_event
      UNION ALL SELECT (SELECT min(e.chain) FROM audit_event e WHERE e.chain > c.chain) FROM c WHERE c.chain IS NOT NULL
    ) SELECT chain FROM c WHERE chain IS NOT NULL`);
  return rows.map((r) => Number(r.chain));
}

async function verifyChain(
  pool: pg.Pool,
  chain: number,
  exported: Map<number, ExportedHead[]>,
  signedUpTo: number,
  keyOf: (version: number) => Buffer | undefined,
  pageSize: number,
): Promise<ChainResult> {
  let last = 0;
  let prev = GENESIS_HASH;
  let prevHex = GENESIS_HASH.toString('hex');
  let events = 0;
  let legacy = 0;
  let sealedSeen = false;
  const chainText = String(chain);
  const fail = (problem: Omit<AuditProblem, 'chain'>): ChainResult => ({ events, legacy, problem: { chain, ...problem } });
  // Concurrency: rows are final once committed and a chain grows only at its end, so reading pages
  // until one comes back short sees a consistent prefix of every chain.
  const chainField = encodeField(chainText);
  const client = await pool.connect();
  try {
    // Security: built-ins resolve in pg_catalog first, whatever the database's default search_path says.
    await client.query('SET search_path = pg_catalog, public');
    for (;;) {
    const { rows } = await client.query<Row>({ text: PAGE_SQL, values: [chain, last, pageSize], rowMode: 'array' });
    for (const row of rows) {
      const [seqText, id, schema, keyVersion, prevRowHex, hashHex, encoding] = row;
      const seq = Number(seqText);
      if (seq !== last + 1) {
        return fail({ kind: 'missing', seq: last + 1, message: `${span(chain, last + 1, seq - 1)} missing (deleted)` });
      }
      if (prevRowHex !== prevHex) {
        return fail({ kind: 'relinked', seq, id, message: `event ${chain}/${seq} (id ${id}) does not follow ${chain}/${last}: one of them was moved or rewritten` });
      }
      let seal: Buffer;
      if (schema === '2') {
        const key = keyOf(Number(keyVersion));
        if (!key) return fail({ kind: 'modified', seq, id, message: `event ${chain}/${seq} (id ${id}) names audit key version ${keyVersion}, which the key store does not hold` });
        seal = createHmac('sha256', key).update(prev).update(chainField, 'utf8').update(encoding, 'utf8').update(encodeField(keyVersion), 'utf8').digest();
        sealedSeen = true;
      } else if (schema === '1' && !sealedSeen) {
        seal = createHash('sha256').update(prev).update(chainField, 'utf8').update(encoding, 'utf8').digest();
        legacy += 1;
      } else {
        return fail({ kind: 'modified', seq, id, message: `event ${chain}/${seq} (id ${id}) is not sealed with the audit key (schema ${schema}): forged` });
      }
      const sealHex = seal.toString('hex');
      if (sealHex !== hashHex) {
        return fail({ kind: 'modified', seq, id, message: `event ${chain}/${seq} (id ${id}) was modified or forged: it does not match its seal` });
      }
      for (const h of exported.get(seq) ?? []) {
        if (h.hash !== sealHex) {
          return fail({ kind: 'export_mismatch', seq, id, message: `event ${chain}/${seq} (id ${id}) differs from the head exported at ${h.exportedAt}: the chain was rewritten` });
        }
      }
      prev = seal;
      prevHex = sealHex;
      last = seq;
      events += 1;
    }
    if (rows.length < pageSize) break;
    }
  } finally {
    await client.query('RESET search_path').catch(() => undefined);
    client.release();
  }
  // Security: the database keeps no head of its own; a deleted tail shows only against an exported head.
  const beyond = [...exported.keys()].filter((s) => s > last).sort((a, b) => a - b)[0];
  if (beyond !== undefined) {
    const h = exported.get(beyond)?.[0];
    return fail({ kind: 'missing', seq: last + 1, message: `${span(chain, last + 1, beyond)} missing: the head exported at ${h?.exportedAt} reached ${chain}/${beyond} (tail truncated)` });
  }
  // Schema 1 events carry no keyed seal: a sealed successor or a signed head must vouch for them.
  if (!sealedSeen && legacy > 0 && signedUpTo < last) {
    return fail({ kind: 'unsealed', seq: Math.max(signedUpTo, 0) + 1, message: `${span(chain, Math.max(signedUpTo, 0) + 1, last)} unsealed (schema 1) and beyond every signed head: they may have been forged` });
  }
  return { events, legacy };
}

/**
 * Verifies the whole audit trail (docs/decisions.md#d12, docs/audit.md): every event's seal and link
 * in every chain, the signatures of the exported heads, and every chain against those heads (a
 * truncated tail, a rewritten chain). Streams each chain by keyset pages, so memory does not grow with
 * the trail.
 * @param opts - pool, keys, exported heads, concurrency, page size
 * @returns the count of intact events and the first problem of each broken chain
 */
export async function verifyAuditTrail(opts: VerifyOptions): Promise<AuditVerification> {
  const pageSize = opts.pageSize ?? 10_000;
  const problems: AuditProblem[] = [];
  const byChain = new Map<number, Map<number, ExportedHead[]>>();
  const signedUpTo = new Map<number, number>();
  let unsigned = 0;
  for (const h of opts.exportedHeads) {
    const seq = Number(h.seq);
    if (h.sig === undefined) {
      unsigned += 1;
    } else {
      const pub = h.key === undefined ? undefined : await opts.keys.verifyingKey(h.key);
      if (!pub || !headSignatureValid(pub, h)) {
        // A head nobody with the signing key exported: reported, and not used to vouch for anything.
        problems.push({ kind: 'bad_head', chain: h.chain, seq, message: `the exported head ${h.chain}/${h.seq} (exported at ${h.exportedAt}) has an invalid signature: it was not written by Distansia` });
        continue;
      }
      signedUpTo.set(h.chain, Math.max(signedUpTo.get(h.chain) ?? 0, seq));
    }
    const m = byChain.get(h.chain) ?? new Map<number, ExportedHead[]>();
    byChain.set(h.chain, m);
    m.set(seq, [...(m.get(seq) ?? []), h]);
  }
  // Keys are read once, before the chains: the hot loop looks them up synchronously.
  const keys = new Map<number, Buffer>();
  const { rows: versions } = await opts.pool.query<{ v: number }>('SELECT DISTINCT key_version AS v FROM audit_event WHERE key_version IS NOT NULL');
  for (const { v } of versions) {
    const key = await opts.keys.sealingKeyVersion(Number(v));
    if (key) keys.set(Number(v), key);
  }
  const chains = [...new Set([...(await chainsPresent(opts.pool)), ...byChain.keys()])].sort((a, b) => a - b);
  const results: ChainResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < chains.length) {
      const chain = chains[next++] as number;
      results.push(await verifyChain(opts.pool, chain, byChain.get(chain) ?? new Map(), signedUpTo.get(chain) ?? 0, (v) => keys.get(v), pageSize));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 1, chains.length)) }, worker));
  problems.push(...results.flatMap((r) => (r.problem ? [r.problem] : [])));
  problems.sort((a, b) => a.chain - b.chain || a.seq - b.seq);
  return {
    events: results.reduce((n, r) => n + r.events, 0),
    legacyEvents: results.reduce((n, r) => n + r.legacy, 0),
    chains: chains.length,
    exportedHeadsChecked: opts.exportedHeads.length,
    unsignedHeads: unsigned,
    problems,
  };
}
