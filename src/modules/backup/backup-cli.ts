import { basename, dirname } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { out, fail } from '../../platform/cli-output.js';
import { countRows } from './backup-archive.js';
import { countMismatches } from './backup-rules.js';
import { copyDamage, findBackup, readIdentity, restoreInto } from './backup-source.js';
import { configuredTargets, directoryTarget } from './backup-target.js';

export const RESTORE_HELP = `Usage: distansia restore <backup id | path to distansia-<id>.age> (--into postgres://…/newdb | --data-dir DIR)

  Restores a backup into a NEW database (created when missing; refused when it has tables), checks its
  row counts against the manifest, and prints the next steps (docs/operations.md#restore).
  A backup id is looked up at BACKUP_DESTINATIONS; the key is BACKUP_IDENTITY_FILE.`;

/**
 * \`distansia backup keygen\`: a new operator backup key pair.
 * @returns 0
 */
export async function backupKeygen(): Promise<number> {
  const identity = await generateX25519Identity();
  out(`# Distansia backup key. Keep this file OFF the database host (a safe, a password manager):`);
  out(`# public key (BACKUP_RECIPIENTS): ${await identityToRecipient(identity)}`);
  out(identity);
  return 0;
}

/**
 * \`distansia restore\` (docs/operations.md#restore): needs no running server and opens no other database.
 * @param args - arguments after \`restore\`
 * @param env - BACKUP_DESTINATIONS and BACKUP_IDENTITY_FILE
 * @param env.destinations - where backups are looked up by id
 * @param env.identityFile - the age secret key file
 * @param opts - where to restore
 * @param opts.into - a PostgreSQL URL of the new database
 * @param opts.dataDir - a new PGlite DATA_DIR
 * @returns the exit code
 */
export async function runRestore(args: string[], env: { destinations: readonly string[]; identityFile: string | undefined }, opts: { into?: string; dataDir?: string }): Promise<number> {
  const source = args[0];
  if (!source || (!opts.into && !opts.dataDir)) {
    fail(RESTORE_HELP);
    return 2;
  }
  const fromFile = /distansia-(\d{8}T\d{6}Z-[0-9a-f]{8})\.age$/.exec(basename(source));
  const targets = fromFile ? [directoryTarget(dirname(source))] : configuredTargets(env.destinations);
  const { copies } = await findBackup(targets, fromFile?.[1] ?? source);
  if (copies.length === 0) {
    fail(`backup ${source} not found${fromFile ? ' (its manifest must lie beside it)' : ` at ${targets.map((t) => t.location).join(', ')}`}`);
    return 1;
  }
  let chosen;
  for (const copy of copies) {
    const damage = await copyDamage(copy);
    if (!damage) {
      chosen = copy;
      break;
    }
    fail(`skipping: ${damage}`);
  }
  if (!chosen) {
    fail('no intact copy of this backup: refusing to restore');
    return 1;
  }
  out(`restoring backup ${chosen.manifest.id} (taken ${chosen.manifest.startedAt}, ${chosen.manifest.databaseKind}) from ${chosen.target.location}`);
  const started = performance.now();
  const { database } = await restoreInto(chosen, await readIdentity(env.identityFile), { postgresUrl: opts.into, pgliteDataDir: opts.dataDir });
  try {
    const mismatches = countMismatches(chosen.manifest.rowCounts, await countRows(database.pool));
    if (mismatches.length > 0) {
      fail(`restored, but row counts differ from the manifest in ${mismatches.length} table(s): ${mismatches.slice(0, 5).map((m) => `${m.table} ${m.expected}≠${m.restored}`).join(', ')}`);
      return 1;
    }
    const rows = Object.values(chosen.manifest.rowCounts).reduce((a, b) => a + b, 0);
    out(`restored ${rows} rows in ${Object.keys(chosen.manifest.rowCounts).length} tables in ${((performance.now() - started) / 1000).toFixed(1)} s; row counts match the manifest.`);
    out(`next: point ${opts.into ? 'DATABASE_URL' : 'DATA_DIR'} at it with the same KEY_DIR, run \`distansia audit verify\`, then start the server (docs/operations.md#restore).`);
    return 0;
  } finally {
    await database.close();
  }
}
