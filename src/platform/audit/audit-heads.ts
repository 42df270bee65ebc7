import { sign, verify, type KeyObject } from 'node:crypto';
import { open, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { AuditKeys } from './audit-keys.js';

/**
 * Chain heads copied to a second location (docs/decisions.md#d12, Art. 28(2); docs/audit.md). A head
 * proves that the chain reached `seq` with the seal `hash` at `exportedAt`: deleting the tail of a
 * chain afterwards, or rewriting it, cannot be hidden from `distansia audit verify` without also
 * reaching the second location. Heads are signed with the Ed25519 key `auditsign` of the key store, so
 * a head the application did not export (e.g. a line written into the local file) is recognised.
 * Persisted shape: changes need a `schema_version` bump.
 */
export interface ExportedHead {
  chain: number;
  /** bigint as a decimal string */
  seq: string;
  /** the event's seal (HMAC, or the SHA-256 chain hash of schema 1 rows), lower-case hex */
  hash: string;
  /** ISO 8601 instant */
  exportedAt: string;
  /** Version of the signing key; absent on heads exported before heads were signed. */
  key?: number;
  /** Ed25519 signature of `headSigningText`, base64; absent on heads exported before heads were signed. */
  sig?: string;
}

/**
 * The bytes a head's signature covers.
 * @param h - the head
 * @returns the signed text
 */
export function headSigningText(h: Pick<ExportedHead, 'chain' | 'seq' | 'hash' | 'exportedAt'> & { key: number }): Buffer {
  return Buffer.from(`distansia audit head v1\n${h.chain}\n${h.seq}\n${h.hash}\n${h.exportedAt}\n${h.key}`, 'utf8');
}

/**
 * Signs a head.
 * @param privateKey - the Ed25519 signing key
 * @param version - its version
 * @param h - the head
 * @returns the head with `key` and `sig`
 */
export function signHead(privateKey: KeyObject, version: number, h: Pick<ExportedHead, 'chain' | 'seq' | 'hash' | 'exportedAt'>): ExportedHead {
  return { ...h, key: version, sig: sign(null, headSigningText({ ...h, key: version }), privateKey).toString('base64') };
}

/**
 * Checks a head's signature.
 * @param publicKey - the public key of the head's signing key version
 * @param h - a signed head
 * @returns whether the signature is valid
 */
export function headSignatureValid(publicKey: KeyObject, h: ExportedHead): boolean {
  if (h.key === undefined || h.sig === undefined) return false;
  return verify(null, headSigningText({ ...h, key: h.key }), publicKey, Buffer.from(h.sig, 'base64'));
}

/** A second location for chain heads: append-only writes, full read-back for verification. */
export interface AuditHeadExporter {
  /** Where the heads go, for messages (never contains credentials). */
  readonly location: string;
  write(heads: readonly ExportedHead[]): Promise<void>;
  readAll(): Promise<ExportedHead[]>;
  close(): Promise<void>;
}

const HEADS_FILE = 'audit-heads.jsonl';

function parseHead(line: string, where: string): ExportedHead {
  const v = JSON.parse(line) as Partial<ExportedHead>;
  if (typeof v.chain !== 'number' || typeof v.seq !== 'string' || !/^\d+$/.test(v.seq) || typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash) || typeof v.exportedAt !== 'string') {
    throw new Error(`malformed exported head in ${where}`);
  }
  const head: ExportedHead = { chain: v.chain, seq: v.seq, hash: v.hash, exportedAt: v.exportedAt };
  if (typeof v.key === 'number' && typeof v.sig === 'string') Object.assign(head, { key: v.key, sig: v.sig });
  return head;
}

/**
 * Appends heads as JSON lines to `<dir>/audit-heads.jsonl`, flushed to disk before returning.
 * Security: mount `dir` from another host (config AUDIT_HEAD_EXPORT_DIR); the file is only ever appended to.
 * @param dir - the export directory (created when missing)
 * @returns the exporter
 */
export function directoryHeadExporter(dir: string): AuditHeadExporter {
  const file = join(dir, HEADS_FILE);
  return {
    location: file,
    async write(heads) {
      if (heads.length === 0) return;
      await mkdir(dir, { recursive: true });
      const fh = await open(file, 'a', 0o640);
      try {
        await fh.appendFile(heads.map((h) => `${JSON.stringify(h)}\n`).join(''), 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
    async readAll() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l, i) => parseHead(l, `${file}:${i + 1}`));
    },
    async close() {},
  };
}

const EXPORT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_head_export (
  chain smallint NOT NULL,
  seq bigint NOT NULL,
  hash bytea NOT NULL,
  exported_at timestamptz NOT NULL,
  PRIMARY KEY (chain, seq)
);
ALTER TABLE audit_head_export ADD COLUMN IF NOT EXISTS key_version smallint;
ALTER TABLE audit_head_export ADD COLUMN IF NOT EXISTS sig bytea;
CREATE OR REPLACE FUNCTION audit_head_export_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on audit_head_export is refused: exported audit heads are append-only', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS audit_head_export_no_change ON audit_head_export;
CREATE TRIGGER audit_head_export_no_change BEFORE UPDATE OR DELETE ON audit_head_export FOR EACH ROW EXECUTE FUNCTION audit_head_export_refuse();
DROP TRIGGER IF EXISTS audit_head_export_no_truncate ON audit_head_export;
CREATE TRIGGER audit_head_export_no_truncate BEFORE TRUNCATE ON audit_head_export FOR EACH STATEMENT EXECUTE FUNCTION audit_head_export_refuse();
`;

/**
 * Inserts heads into `audit_head_export` in a second PostgreSQL database (config
 * AUDIT_HEAD_EXPORT_DATABASE_URL), which refuses UPDATE, DELETE and TRUNCATE like the audit table.
 * @param url - connection string of the second database
 * @returns the exporter
 */
export function databaseHeadExporter(url: string): AuditHeadExporter {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let ready: Promise<void> | undefined;
  const ensure = () =>
    (ready ??= (async () => {
      const client = await pool.connect();
      try {
        // Concurrency: two processes creating the table and triggers at once would collide.
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(7270004)');
        await client.query(EXPORT_SCHEMA);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        ready = undefined;
        throw err;
      } finally {
        client.release();
      }
    })());
  const u = new URL(url);
  return {
    location: `postgres://${u.host}${u.pathname}#audit_head_export`,
    async write(heads) {
      if (heads.length === 0) return;
      await ensure();
      await pool.query(
        `INSERT INTO audit_head_export (chain, seq, hash, exported_at, key_version, sig)
         SELECT c, s::bigint, decode(h, 'hex'), t::timestamptz, k, decode(g, 'base64')
         FROM unnest($1::smallint[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[]) AS x(c, s, h, t, k, g)
         ON CONFLICT (chain, seq) DO NOTHING`,
        [heads.map((h) => h.chain), heads.map((h) => h.seq), heads.map((h) => h.hash), heads.map((h) => h.exportedAt), heads.map((h) => h.key ?? null), heads.map((h) => h.sig ?? null)],
      );
    },
    async readAll() {
      await ensure();
      const { rows } = await pool.query<{ chain: number; seq: string; hash: string; exported_at: string; key_version: number | null; sig: string | null }>(
        `SELECT chain, seq::text AS seq, encode(hash, 'hex') AS hash, exported_at_text AS exported_at, key_version, encode(sig, 'base64') AS sig
         FROM (SELECT *, to_char(exported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS exported_at_text FROM audit_head_export) x ORDER BY chain, seq`,
      );
      return rows.map((r) => {
        const head: ExportedHead = { chain: r.chain, seq: r.seq, hash: r.hash, exportedAt: r.exported_at };
        // base64 from encode() wraps lines every 76 characters
        if (r.key_version !== null && r.sig !== null) Object.assign(head, { key: r.key_version, sig: r.sig.replace(/\s/g, '') });
        return head;
      });
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * The exporters the operator configured: always the directory, plus the second database when set.
 * @param config - AUDIT_HEAD_EXPORT_DIR and the optional AUDIT_HEAD_EXPORT_DATABASE_URL
 * @param config.dir - the export directory
 * @param config.databaseUrl - the second database, if any
 * @returns the exporters
 */
export function configuredHeadExporters(config: { dir: string; databaseUrl?: string | undefined }): AuditHeadExporter[] {
  const exporters = [directoryHeadExporter(config.dir)];
  if (config.databaseUrl) exporters.push(databaseHeadExporter(config.databaseUrl));
  return exporters;
}

/**
 * Reads the current, committed chain heads: the last event of every chain with at least one event
 * (a loose index scan over the primary key, one probe per chain).
 * @param pool - the main database
 * @returns the heads, by chain
 */
export async function readChainHeads(pool: pg.Pool): Promise<{ chain: number; seq: string; hash: string }[]> {
  const { rows } = await pool.query<{ chain: number; seq: string; hash: string }>(
    `WITH RECURSIVE c AS (
       SELECT min(chain) AS chain FROM audit_event
       UNION ALL SELECT (SELECT min(e.chain) FROM audit_event e WHERE e.chain > c.chain) FROM c WHERE c.chain IS NOT NULL
     )
     SELECT h.chain, h.seq::text AS seq, encode(h.hash, 'hex') AS hash
     FROM c CROSS JOIN LATERAL (SELECT e.chain, e.seq, e.hash FROM audit_event e WHERE e.chain = c.chain ORDER BY e.seq DESC LIMIT 1) h
     ORDER BY h.chain`,
  );
  return rows;
}

export interface HeadExport {
  /**
   * Copies the heads that moved since the last run to every exporter.
   * @returns how many heads were written
   */
  exportNow(): Promise<number>;
  /** Resolves when the periodic export under way (if any) has finished. */
  settled(): Promise<void>;
  /** Runs `exportNow` every `intervalMs` until `stop()`. */
  start(intervalMs: number, log: Logger): void;
  stop(): Promise<void>;
}

/**
 * Periodic export of chain heads to the second location(s).
 * @param deps - the main database's pool, the clock and the exporters
 * @returns the export job
 */
export function createHeadExport(deps: { pool: pg.Pool; clock: Clock; exporters: readonly AuditHeadExporter[]; keys: AuditKeys }): HeadExport {
  const last = new Map<number, string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  async function exportNow(): Promise<number> {
    const signer = await deps.keys.signingKey();
    // Microseconds, as the database exporter stores it: the signed text must survive the round trip.
    const micros = deps.clock.now().epochNanoseconds / 1000n;
    const exportedAt = `${new Date(Number(micros / 1000n)).toISOString().slice(0, 23)}${String(micros % 1000n).padStart(3, '0')}Z`;
    const heads = (await readChainHeads(deps.pool))
      .filter((h) => last.get(h.chain) !== `${h.seq}:${h.hash}`)
      .map((h) => signHead(signer.privateKey, signer.version, { chain: h.chain, seq: h.seq, hash: h.hash, exportedAt }));
    for (const exporter of deps.exporters) await exporter.write(heads);
    for (const h of heads) last.set(h.chain, `${h.seq}:${h.hash}`);
    return heads.length;
  }
  return {
    exportNow,
    settled: () => running.then(() => undefined),
    start(intervalMs, log) {
      if (timer) return;
      const tick = () => {
        // One export at a time: a slow second location must not stack up exports.
        running = running.then(() => exportNow()).catch((err: unknown) => log.error({ err }, 'audit head export failed'));
      };
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) {
        clearInterval(timer);
        timer = undefined;
        await running;
        // Regulatory: a last export on shutdown, so a clean stop leaves no unexported tail.
        await exportNow().catch(() => undefined);
      }
      for (const exporter of deps.exporters) await exporter.close();
    },
  };
}
