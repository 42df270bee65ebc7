import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { systemClock } from '../clock.js';
import { openDatabase, type DatabaseTarget } from '../db/index.js';
import { out, fail } from '../cli-output.js';
import { configuredHeadExporters, createHeadExport, type AuditHeadExporter, type ExportedHead } from './audit-heads.js';
import { verifyAuditTrail } from './audit-verify.js';
import { auditKeysFrom } from './audit-keys.js';
import { fileKeyStore } from '../crypto/key-store.js';

export const AUDIT_HELP = `Usage: distansia audit <verify|export-heads>

  verify         check every event's seal (HMAC under the audit key in KEY_DIR) and link, and the
                 signed heads exported to the second location(s); prints "verified N events" and
                 exits 0, or names the first broken or missing event of each broken chain and exits 1
  export-heads   copy the current chain heads to AUDIT_HEAD_EXPORT_DIR (and AUDIT_HEAD_EXPORT_DATABASE_URL)`;

async function readExported(exporters: readonly AuditHeadExporter[]): Promise<ExportedHead[]> {
  const all: ExportedHead[] = [];
  for (const e of exporters) all.push(...(await e.readAll()));
  return all;
}

/**
 * `distansia audit …` (docs/decisions.md#d12). Verification only reads: it can run against a replica.
 * @param args - arguments after `audit`
 * @param config - parsed configuration
 * @param log - for pool errors
 * @returns the exit code: 0 intact, 1 broken or missing events, 2 usage
 */
export async function runAuditCommand(args: string[], config: Config, log: Logger): Promise<number> {
  const sub = args[0];
  if (sub !== 'verify' && sub !== 'export-heads') {
    fail(AUDIT_HELP);
    return 2;
  }
  const target: DatabaseTarget = config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL.reveal() } : { kind: 'pglite', dataDir: config.DATA_DIR };
  const database = await openDatabase(target, log);
  // Verification never creates a key: a missing key is an error, not a fresh key that verifies nothing.
  const keys = auditKeysFrom(fileKeyStore(config.KEY_DIR), { create: sub === 'export-heads' });
  const exporters = configuredHeadExporters({ dir: config.AUDIT_HEAD_EXPORT_DIR, databaseUrl: config.AUDIT_HEAD_EXPORT_DATABASE_URL?.reveal() });
  try {
    if (sub === 'export-heads') {
      const n = await createHeadExport({ pool: database.pool, clock: systemClock, exporters, keys }).exportNow();
      out(`exported ${n} chain head(s) to ${exporters.map((e) => e.location).join(', ')}`);
      return 0;
    }
    const exportedHeads = await readExported(exporters);
    const result = await verifyAuditTrail({ pool: database.pool, keys, exportedHeads, concurrency: database.kind === 'postgres' ? 4 : 1 });
    if (result.problems.length === 0) {
      out(`verified ${result.events} events`);
      out(`(${result.chains} chain(s), ${result.exportedHeadsChecked} exported head(s) checked${result.unsignedHeads ? `, ${result.unsignedHeads} of them unsigned (exported before heads were signed)` : ''}${result.legacyEvents ? `; ${result.legacyEvents} event(s) from before seals, vouched for by later seals or signed heads` : ''})`);
      return 0;
    }
    const [first, ...rest] = result.problems;
    fail(`audit trail BROKEN: ${first?.message}`);
    for (const p of rest) fail(`also: ${p.message}`);
    fail(`${result.events} events verified intact before the breaks`);
    return 1;
  } finally {
    for (const e of exporters) await e.close();
    await database.close();
  }
}
