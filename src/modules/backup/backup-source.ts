import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { openDatabase, type Database } from '../../platform/db/index.js';
import { collectBlob, hashStream, openBackup, pgRestore, BackupFileError, type BackupHeader } from './backup-archive.js';
import type { BackupManifest } from './backup-rules.js';
import type { BackupTarget } from './backup-target.js';

export interface BackupCopy {
  target: BackupTarget;
  manifest: BackupManifest;
}

/**
 * Every copy of the newest backup (or of the named one) at the destinations.
 * @param targets - the destinations
 * @param id - a backup id, or undefined for the newest found anywhere
 * @returns its copies, and what could not be listed
 */
export async function findBackup(targets: readonly BackupTarget[], id?: string): Promise<{ copies: BackupCopy[]; unreadable: { location: string; error: string }[] }> {
  const all: BackupCopy[] = [];
  const unreadable: { location: string; error: string }[] = [];
  for (const target of targets) {
    try {
      for (const manifest of await target.list()) all.push({ target, manifest });
    } catch (err) {
      unreadable.push({ location: target.location, error: (err as Error).message });
    }
  }
  const wanted = id ?? all.map((c) => c.manifest).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))[0]?.id;
  return { copies: all.filter((c) => c.manifest.id === wanted), unreadable };
}

/**
 * Whether a stored copy is the file its manifest describes (size and SHA-256).
 * @param copy - the copy
 * @returns undefined when intact, else what is wrong
 */
export async function copyDamage(copy: BackupCopy): Promise<string | undefined> {
  try {
    const { sha256, sizeBytes } = await hashStream(copy.target.open(copy.manifest.id));
    if (sha256 !== copy.manifest.sha256 || sizeBytes !== copy.manifest.sizeBytes) {
      return `backup ${copy.manifest.id} at ${copy.target.location} is corrupted: its SHA-256 or size differs from its manifest (${sizeBytes} bytes, manifest ${copy.manifest.sizeBytes})`;
    }
    return undefined;
  } catch (err) {
    return `backup ${copy.manifest.id} at ${copy.target.location} cannot be read: ${(err as Error).message}`;
  }
}

/**
 * Reads the operator's age identity.
 * @param file - BACKUP_IDENTITY_FILE
 * @returns the `AGE-SECRET-KEY-1…` line
 */
export async function readIdentity(file: string | undefined): Promise<string> {
  if (!file) throw new BackupFileError('BACKUP_IDENTITY_FILE is not set: restoring needs the operator\'s age secret key (docs/operations.md#backup-key)');
  const line = (await readFile(file, 'utf8')).split('\n').map((l) => l.trim()).find((l) => l.startsWith('AGE-SECRET-KEY-'));
  if (!line) throw new BackupFileError(`${file} holds no AGE-SECRET-KEY line`);
  return line;
}

/**
 * Restores a backup into a database that does not exist yet (PostgreSQL: created on the server of
 * `postgresUrl`) or into memory (a PGlite backup).
 * @param copy - the intact copy to restore
 * @param identity - the age secret key
 * @param into - the new database's URL (PostgreSQL backups)
 * @returns the open restored database and the backup's header
 */
export async function restoreInto(copy: BackupCopy, identity: string, into: { postgresUrl?: string; pgliteDataDir?: string }): Promise<{ database: Database; header: BackupHeader }> {
  const { header, body } = await openBackup(copy.target.open(copy.manifest.id), identity);
  if (header.id !== copy.manifest.id) throw new BackupFileError(`the file of backup ${copy.manifest.id} holds backup ${header.id}: the manifest does not belong to it`);
  if (header.databaseKind === 'pglite') {
    const blob = await collectBlob(body);
    if (into.pgliteDataDir) {
      const { openPglite } = await import('../../platform/db/pglite.js');
      const { mkdir, readdir } = await import('node:fs/promises');
      const { resolve } = await import('node:path');
      const dir = resolve(into.pgliteDataDir, 'pg');
      await mkdir(dir, { recursive: true });
      if ((await readdir(dir)).length > 0) throw new Error(`${dir} is not empty: restore goes into a new data directory`);
      const restored = await openPglite(dir, blob);
      await restored.close();
      return { database: await openDatabase({ kind: 'pglite', dataDir: into.pgliteDataDir }), header };
    }
    return { database: await openDatabase({ kind: 'pglite-memory', snapshot: blob }), header };
  }
  if (!into.postgresUrl) throw new Error('a PostgreSQL backup restores into PostgreSQL: give the new database\'s URL');
  await createEmptyDatabase(into.postgresUrl);
  await pgRestore(body, into.postgresUrl);
  return { database: await openDatabase({ kind: 'postgres', url: into.postgresUrl, poolSize: 4 }), header };
}

/**
 * Creates the database named in `url` on its server; refuses one that exists with tables in it.
 * @param url - postgres://…/newdb
 */
export async function createEmptyDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`"${name}" is not a plain database name (a-z, 0-9, _)`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return;
    }
  } finally {
    await c.end();
  }
  const t = new pg.Client({ connectionString: url });
  await t.connect();
  try {
    const tables = await t.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' LIMIT 1`);
    if ((tables.rowCount ?? 0) > 0) throw new Error(`database ${name} already has tables: restore goes into a new, empty database`);
  } finally {
    await t.end();
  }
}

/**
 * Drops a scratch database.
 * @param url - its URL
 */
export async function dropDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
