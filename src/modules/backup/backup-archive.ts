import { spawn } from 'node:child_process';
import { writableServerUrl } from '../../platform/db/multi-host.js';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Decrypter, Encrypter } from 'age-encryption';
import pg from 'pg';
import type { Database } from '../../platform/db/index.js';
import type { MasterKeyStore } from '../../platform/crypto/key-store.js';

/**
 * The backup file (docs/operations.md#the-backup-file): an age file (X25519 recipients, ChaCha20-Poly1305
 * STREAM, authenticated chunk by chunk) whose plaintext is
 *   `DISTANSIA-BACKUP 1\n` + one line of JSON (the header) + `\n` + the dump
 * where the dump is `pg_dump --format=custom` on PostgreSQL and PGlite's gzipped data directory on the
 * embedded database. The header names the key-store entries the data needs (scope, version, fingerprint),
 * never a key.
 */
const MAGIC = 'DISTANSIA-BACKUP 1\n';

export interface KeyEntry {
  scope: string;
  version: number;
  /** data keys wrapped under it in this backup */
  dataKeys: number;
  /** first 16 hex of SHA-256("distansia key fingerprint v1" || key), when KEY_DIR held the key at backup time */
  fingerprint: string | null;
}

export interface BackupHeader {
  id: string;
  databaseKind: 'postgres' | 'pglite';
  startedAt: string;
  rowCounts: Record<string, number>;
  keys: KeyEntry[];
}

/**
 * A key's fingerprint: lets a restore tell whether KEY_DIR holds the key a backup needs, without the
 * backup holding anything that helps to guess it (a 256-bit key behind SHA-256).
 * @param key - the master key
 * @returns 16 hex digits
 */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update('distansia key fingerprint v1').update(key).digest('hex').slice(0, 16);
}

type Q = Pick<pg.ClientBase, 'query'>;

/**
 * Rows per table of the public schema, read in the caller's snapshot.
 * @param q - a client (in the snapshot's transaction) or pool
 * @returns table → rows
 */
export async function countRows(q: Q): Promise<Record<string, number>> {
  const tables = await q.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.${pg.escapeIdentifier(name)}`);
    counts[name] = Number(r.rows[0]?.n ?? 0);
  }
  return counts;
}

async function keyEntries(q: Q, store: MasterKeyStore): Promise<KeyEntry[]> {
  const r = await q.query<{ scope: string; version: number; n: string }>(
    'SELECT scope, master_version AS version, count(*)::text AS n FROM data_key GROUP BY scope, master_version ORDER BY scope, master_version',
  );
  const entries: KeyEntry[] = [];
  for (const row of r.rows) {
    const key = await store.get(row.scope, row.version).catch(() => undefined);
    entries.push({ scope: row.scope, version: row.version, dataKeys: Number(row.n), fingerprint: key ? keyFingerprint(key) : null });
  }
  return entries;
}

/**
 * libpq environment for a PostgreSQL URL. Security: the password goes through the environment, never the
 * command line (visible in `ps`).
 * @param url - postgres://user:pass@host:port/db
 * @returns PG* variables
 */
export function pgEnv(url: string): Record<string, string> {
  const u = new URL(url);
  const env: Record<string, string> = {
    PGHOST: decodeURIComponent(u.hostname) || 'localhost',
    PGPORT: u.port || '5432',
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
  };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/**
 * The connection URL behind a database's pool (tests open their own databases).
 * @param database - an open PostgreSQL database
 * @returns its URL, if the pool was made from one
 */
export function connectionUrlOf(database: Database): string | undefined {
  return (database.pool as unknown as { options?: { connectionString?: string } }).options?.connectionString;
}

function run(cmd: string, args: string[], env: Record<string, string>, stdin?: AsyncIterable<Uint8Array>): { stdout: Readable; done: Promise<void> } {
  // The child needs the process's PATH and locale; only libpq's PG* variables are added (not configuration).
  // eslint-disable-next-line no-restricted-syntax
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString('utf8');
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`${cmd} could not start: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`))));
  });
  if (stdin && child.stdin) {
    const sink = child.stdin;
    sink.on('error', () => undefined); // reported through the exit code
    void (async () => {
      try {
        for await (const chunk of stdin) if (!sink.write(chunk)) await new Promise((r) => sink.once('drain', r));
        sink.end();
      } catch (err) {
        child.kill();
        sink.destroy(err as Error);
      }
    })();
  }
  return { stdout: child.stdout as Readable, done };
}

export interface Dump {
  header: BackupHeader;
  body: AsyncIterable<Uint8Array>;
  /** Resolves when the dump finished well (the exported snapshot is released then). */
  done: Promise<void>;
}

/**
 * A consistent dump. PostgreSQL: counts and `pg_dump` read one exported snapshot (a REPEATABLE READ
 * transaction held open until pg_dump ends), so the manifest's counts are exactly the dump's.
 * PGlite: the data directory, with counts that did not change while it was dumped.
 * @param database - the open database
 * @param opts - key store, id, start instant, and the URL for pg_dump
 * @param opts.store - the master key store (only fingerprints are read)
 * @param opts.id - the backup id
 * @param opts.startedAt - ISO instant
 * @param opts.url - the PostgreSQL URL (PostgreSQL only)
 * @returns the header and the dump's bytes
 */
export async function dumpDatabase(database: Database, opts: { store: MasterKeyStore; id: string; startedAt: string; url?: string }): Promise<Dump> {
  if (database.kind === 'pglite') {
    if (!database.dumpDataDir) throw new Error('this PGlite database cannot be dumped');
    // Concurrency: PGlite cannot dump inside a snapshot; the counts are taken before and after the dump,
    // and the dump is retaken until they agree, so the manifest's counts are the dump's.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const before = await countRows(database.pool);
      const bytes = new Uint8Array(await (await database.dumpDataDir()).arrayBuffer());
      const after = await countRows(database.pool);
      if (JSON.stringify(before) !== JSON.stringify(after)) continue;
      const header: BackupHeader = { id: opts.id, databaseKind: 'pglite', startedAt: opts.startedAt, rowCounts: after, keys: await keyEntries(database.pool, opts.store) };
      return { header, body: (async function* () { yield bytes; })(), done: Promise.resolve() };
    }
    throw new Error('the database kept changing during five dumps; try again when it is quieter');
  }
  const configured = opts.url ?? connectionUrlOf(database);
  if (!configured) throw new Error('the PostgreSQL URL is unknown (DATABASE_URL)');
  // pg_dump imports the snapshot exported below, so it must reach the same (writable) server.
  const url = await writableServerUrl(configured);
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s');
    const header: BackupHeader = { id: opts.id, databaseKind: 'postgres', startedAt: opts.startedAt, rowCounts: await countRows(client), keys: await keyEntries(client, opts.store) };
    const dump = run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snap.rows[0]?.s ?? ''}`], pgEnv(url));
    const done = dump.done.finally(async () => {
      await client.query('COMMIT').catch(() => undefined);
      client.release();
    });
    done.catch(() => undefined);
    return { header, body: dump.stdout, done };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw err;
  }
}

/**
 * Encrypts a dump to the recipients into `file` (created, never overwritten).
 * @param dump - the dump
 * @param recipients - age public keys
 * @param file - the output path
 * @returns size and SHA-256 of the encrypted file
 */
export async function encryptToFile(dump: Dump, recipients: readonly string[], file: string): Promise<{ sizeBytes: number; sha256: string }> {
  if (recipients.length === 0) throw new Error('BACKUP_RECIPIENTS is empty: backups are never written unencrypted');
  const e = new Encrypter();
  for (const r of recipients) e.addRecipient(r);
  const head = Buffer.from(`${MAGIC}${JSON.stringify(dump.header)}\n`, 'utf8');
  const plain = Readable.toWeb(Readable.from((async function* () {
    yield head;
    for await (const c of dump.body) yield c;
  })())) as ReadableStream<Uint8Array>;
  const encrypted = await e.encrypt(plain);
  const hash = createHash('sha256');
  let size = 0;
  const fh = await open(file, 'wx', 0o600);
  try {
    for await (const chunk of encrypted as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.length;
      await fh.write(chunk);
    }
    await dump.done;
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { sizeBytes: size, sha256: hash.digest('hex') };
}

/**
 * SHA-256 of a stream (a backup file as stored).
 * @param stream - the bytes
 * @returns hex digest and size
 */
export async function hashStream(stream: AsyncIterable<Uint8Array>): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const c of stream) {
    hash.update(c);
    size += c.length;
  }
  return { sha256: hash.digest('hex'), sizeBytes: size };
}

export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFileError';
  }
}

/**
 * Opens an encrypted backup: checks the age header against the identity and reads the backup header.
 * Errors in later chunks (a damaged file) surface while `body` is read, as BackupFileError.
 * @param encrypted - the file's bytes
 * @param identity - the operator's age secret key
 * @returns the header and the dump's bytes
 */
export async function openBackup(encrypted: Readable, identity: string): Promise<{ header: BackupHeader; body: AsyncIterable<Uint8Array> }> {
  const d = new Decrypter();
  d.addIdentity(identity);
  let plain: AsyncIterable<Uint8Array>;
  try {
    plain = (await d.decrypt(Readable.toWeb(encrypted) as ReadableStream<Uint8Array>)) as unknown as AsyncIterable<Uint8Array>;
  } catch (err) {
    throw new BackupFileError(`the backup cannot be decrypted with BACKUP_IDENTITY_FILE (not an age file for this key, or its header is damaged): ${(err as Error).message}`);
  }
  const it = plain[Symbol.asyncIterator]();
  let buf = Buffer.alloc(0);
  const next = async () => {
    try {
      return await it.next();
    } catch (err) {
      throw new BackupFileError(`the backup file is damaged (authentication of its encrypted data failed): ${(err as Error).message}`);
    }
  };
  // The header ends at the second newline.
  for (;;) {
    const first = buf.indexOf(0x0a);
    const second = first >= 0 ? buf.indexOf(0x0a, first + 1) : -1;
    if (second >= 0) break;
    if (buf.length > 16 * 1024 * 1024) throw new BackupFileError('not a Distansia backup (no header)');
    const r = await next();
    if (r.done) throw new BackupFileError('not a Distansia backup (truncated header)');
    buf = Buffer.concat([buf, Buffer.from(r.value)]);
  }
  const first = buf.indexOf(0x0a);
  const second = buf.indexOf(0x0a, first + 1);
  if (buf.subarray(0, first + 1).toString('utf8') !== MAGIC) throw new BackupFileError('not a Distansia backup (unknown format)');
  const header = JSON.parse(buf.subarray(first + 1, second).toString('utf8')) as BackupHeader;
  const rest = buf.subarray(second + 1);
  const body = (async function* () {
    if (rest.length) yield rest;
    for (;;) {
      const r = await next();
      if (r.done) return;
      yield r.value;
    }
  })();
  return { header, body };
}

/**
 * Restores a PostgreSQL dump into an existing, empty database with `pg_restore`.
 * @param body - the custom-format dump
 * @param url - the target database
 */
export async function pgRestore(body: AsyncIterable<Uint8Array>, url: string): Promise<void> {
  // --exit-on-error: a partial restore must never look like a good one.
  const r = run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${pgEnv(url).PGDATABASE}`], pgEnv(url), body);
  r.stdout.resume();
  await r.done;
}

/**
 * Collects a PGlite dump into a Blob (PGlite loads a data directory from one).
 * @param body - the gzipped tarball
 * @returns the blob
 */
export async function collectBlob(body: AsyncIterable<Uint8Array>): Promise<Blob> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.from(c));
  return new Blob([Uint8Array.from(Buffer.concat(parts))], { type: 'application/x-gzip' });
}
