import { randomBytes, sign } from 'node:crypto';
import { writableServerUrl } from '../../platform/db/multi-host.js';
import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction, type Database } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { auditKeysFrom } from '../../platform/audit/audit-keys.js';
import { verifyAuditTrail } from '../../platform/audit/audit-verify.js';
import { createKeyring, facilityScope, type KeyScope } from '../../platform/crypto/keyring.js';
import { createPdf, PDF_FONTS } from '../../platform/pdf.js';
import { connectionUrlOf, countRows, keyFingerprint } from './backup-archive.js';
import { countMismatches, reportSigningText } from './backup-rules.js';
import { copyDamage, dropDatabase, findBackup, readIdentity, restoreInto } from './backup-source.js';
import { BACKUP_ALERT, type BackupAlert, type BackupDeps } from './backup.deps.js';
import * as repo from './backup.repo.js';

/** The signed report of one restore check (Art. 28(1) item 7). Persisted shape: counts and results, no personal data. */
export interface RestoreCheckReport {
  checkId: string;
  backupId: string | null;
  backupStartedAt: string | null;
  checkStartedAt: string;
  checkFinishedAt: string;
  durationMs: number;
  copies: { location: string; intact: boolean; problem?: string }[];
  restoredFrom: string | null;
  counts: { tables: number; rows: number; mismatches: { table: string; expected: number | null; restored: number | null }[] };
  chain: { ok: boolean; events: number; chains: number; exportedHeadsChecked: number; problems: string[] };
  keys: { needed: number; missing: string[] };
  sample: { checked: number; opened: number; failed: number; byKind: Record<string, number> };
  passed: boolean;
  failure: string | null;
}

/** Rows sampled per kind of encrypted record. */
const SAMPLE_PER_KIND = 5;

const SAMPLES: { kind: string; sql: string; scope: (r: Record<string, string>) => KeyScope; context: (r: Record<string, string>) => string; column: string }[] = [
  { kind: 'patient', sql: 'SELECT id, pii AS enc FROM patient ORDER BY random() LIMIT $1', scope: () => 'registry', context: (r) => `patient:${r.id}:pii`, column: 'enc' },
  { kind: 'service_request', sql: 'SELECT id, provider_facility_id AS f, form_enc AS enc FROM service_request ORDER BY random() LIMIT $1', scope: (r) => facilityScope(r.f ?? ''), context: (r) => `request:${r.id}:intake`, column: 'enc' },
  { kind: 'clinical_document', sql: 'SELECT id, facility_id AS f, content_enc AS enc FROM clinical_document ORDER BY random() LIMIT $1', scope: (r) => facilityScope(r.f ?? ''), context: (r) => `clinical_document:${r.id}:content`, column: 'enc' },
];

/**
 * The monthly restore check (docs/operations.md#restore-check): every copy of the newest backup is checked
 * against its manifest; an intact one is decrypted and restored into a scratch database, its audit chains
 * are verified against the heads exported before the backup, its row counts compared with the backup's,
 * and a random sample of encrypted records opened with the facility keys of KEY_DIR. The report is signed
 * with the audit head-signing key, stored with its PDF, and a failure alerts the operator.
 * @param deps - see BackupDeps
 * @param opts - a backup id (default: the newest), and who started it
 * @param opts.backupId - which backup
 * @param opts.trigger - the monthly job or the CLI
 * @returns the stored report and its id
 */
export async function runRestoreCheck(deps: BackupDeps, opts: { backupId?: string; trigger: 'monthly' | 'cli' }): Promise<RestoreCheckReport> {
  const started = deps.clock.now();
  const checkId = deps.ids.uuid();
  const report: RestoreCheckReport = {
    checkId,
    backupId: null,
    backupStartedAt: null,
    checkStartedAt: started.toString(),
    checkFinishedAt: started.toString(),
    durationMs: 0,
    copies: [],
    restoredFrom: null,
    counts: { tables: 0, rows: 0, mismatches: [] },
    chain: { ok: false, events: 0, chains: 0, exportedHeadsChecked: 0, problems: [] },
    keys: { needed: 0, missing: [] },
    sample: { checked: 0, opened: 0, failed: 0, byKind: {} },
    passed: false,
    failure: null,
  };
  let scratch: Database | undefined;
  let scratchUrl: string | undefined;
  try {
    const { copies, unreadable } = await findBackup(deps.targets, opts.backupId);
    for (const u of unreadable) report.copies.push({ location: u.location, intact: false, problem: `destination unreadable: ${u.error}` });
    const first = copies[0];
    if (!first) throw new Error(opts.backupId ? `backup ${opts.backupId} is at no destination` : 'no backup found at BACKUP_DESTINATIONS');
    report.backupId = first.manifest.id;
    report.backupStartedAt = first.manifest.startedAt;
    const intact = [];
    for (const copy of copies) {
      const problem = await copyDamage(copy);
      report.copies.push({ location: copy.target.location, intact: !problem, ...(problem ? { problem } : {}) });
      if (!problem) intact.push(copy);
    }
    for (const t of deps.targets) {
      if (!report.copies.some((c) => c.location === t.location)) report.copies.push({ location: t.location, intact: false, problem: `backup ${first.manifest.id} is missing here` });
    }
    const source = intact[0];
    if (!source) throw new Error(report.copies.map((c) => c.problem).filter(Boolean).join('; '));
    report.restoredFrom = source.target.location;

    const identity = await readIdentity(deps.identityFile);
    if (source.manifest.databaseKind === 'postgres') {
      const base = deps.databaseUrl ?? connectionUrlOf(deps.database);
      if (!base) throw new Error('a PostgreSQL backup is checked on a PostgreSQL server: DATABASE_URL is not set');
      // The scratch database goes on the server that takes writes now (DATABASE_URL may name two sites).
      const u = new URL(await writableServerUrl(base));
      u.pathname = `/distansia_restorecheck_${randomBytes(4).toString('hex')}`;
      scratchUrl = u.toString();
    }
    const restored = await restoreInto(source, identity, { postgresUrl: scratchUrl });
    scratch = restored.database;

    // Row counts: the restored database against the counts taken in the backup's snapshot.
    const counts = await countRows(scratch.pool);
    report.counts = { tables: Object.keys(counts).length, rows: Object.values(counts).reduce((a, b) => a + b, 0), mismatches: countMismatches(source.manifest.rowCounts, counts) };
    const headerMismatch = countMismatches(source.manifest.rowCounts, restored.header.rowCounts);
    if (headerMismatch.length > 0) report.counts.mismatches.push(...headerMismatch.map((m) => ({ ...m, table: `${m.table} (manifest vs encrypted header)` })));

    // Audit chains: against the heads exported before the backup began (later heads name later events).
    const heads = (await deps.exportedHeads()).filter((h) => Temporal.Instant.compare(Temporal.Instant.from(h.exportedAt), Temporal.Instant.from(source.manifest.startedAt)) <= 0);
    const verification = await verifyAuditTrail({ pool: scratch.pool, keys: auditKeysFrom(deps.store, { create: false }), exportedHeads: heads, concurrency: scratch.kind === 'postgres' ? 2 : 1 });
    report.chain = { ok: verification.problems.length === 0, events: verification.events, chains: verification.chains, exportedHeadsChecked: verification.exportedHeadsChecked, problems: verification.problems.slice(0, 10).map((p) => p.message) };

    // Keys: every master key the backup's data keys are wrapped under must be in KEY_DIR, unchanged.
    report.keys.needed = restored.header.keys.length;
    for (const k of restored.header.keys) {
      const key = await deps.store.get(k.scope, k.version).catch(() => undefined);
      if (!key || (k.fingerprint && keyFingerprint(key) !== k.fingerprint)) report.keys.missing.push(`${k.scope} v${k.version}`);
    }

    // A random sample of encrypted records, opened with the facility keys; the plaintext is dropped at once.
    const keyring = createKeyring({ store: deps.store, clock: deps.clock, ids: deps.ids });
    const ctx = systemCtx('backup.restore-check');
    for (const s of SAMPLES) {
      const rows = await scratch.pool.query<Record<string, string> & { enc: Buffer }>(s.sql, [SAMPLE_PER_KIND]);
      report.sample.byKind[s.kind] = rows.rows.length;
      for (const row of rows.rows) {
        report.sample.checked += 1;
        try {
          await keyring.decrypt(ctx, scratch.db, s.scope(row), row.enc, s.context(row));
          report.sample.opened += 1;
        } catch {
          report.sample.failed += 1;
        }
      }
    }
    const problems = [
      ...(report.copies.some((c) => !c.intact) ? ['a copy is damaged or missing'] : []),
      ...(report.counts.mismatches.length ? [`row counts differ in ${report.counts.mismatches.length} table(s)`] : []),
      ...(report.chain.ok ? [] : ['the audit trail does not verify']),
      ...(report.keys.missing.length ? [`${report.keys.missing.length} master key(s) missing from KEY_DIR`] : []),
      ...(report.sample.failed ? [`${report.sample.failed} sampled record(s) did not decrypt`] : []),
    ];
    report.passed = problems.length === 0;
    report.failure = problems.length ? problems.join('; ') : null;
  } catch (err) {
    report.passed = false;
    report.failure = (err as Error).message;
    deps.log.error({ err, checkId }, 'restore check failed');
  } finally {
    await scratch?.close().catch(() => undefined);
    if (scratchUrl) await dropDatabase(scratchUrl).catch((err: unknown) => deps.log.error({ err }, 'could not drop the restore-check scratch database'));
  }
  const finished = deps.clock.now();
  report.checkFinishedAt = finished.toString();
  report.durationMs = finished.epochMilliseconds - started.epochMilliseconds;
  const { version, privateKey } = await deps.auditKeys.signingKey();
  const signature = sign(null, reportSigningText(report), privateKey).toString('base64');
  const pdf = await reportPdf(report, signature, version, toDate(finished));
  await withTransaction(deps.database.db, async (tx) => {
    await repo.insertRestoreCheck(tx, { id: checkId, backup_id: report.backupId ?? '', started_at: toDate(started), finished_at: toDate(finished), passed: report.passed, report: report as unknown as Record<string, unknown>, signature, key_version: version, pdf });
    await deps.audit.record(tx, systemCtx(`backup.restore-check.${opts.trigger}`), {
      action: 'backup.restore_checked',
      outcome: report.passed ? 'success' : 'failure',
      subject: { type: 'restore_check', id: checkId },
      data: { backupId: report.backupId, passed: report.passed, sampled: report.sample.checked },
    });
    if (!report.passed) {
      await deps.outbox.enqueue(tx, BACKUP_ALERT, {
        what: 'restore_check',
        reference: report.backupId ?? '—',
        detail: `Check ${checkId}: ${report.failure ?? ''}\nThe signed report is on the Backups page (docs/operations.md#restore-check).`,
      } satisfies BackupAlert);
    }
  });
  return report;
}

/**
 * The report as a PDF for the inspector: the same facts as the JSON, with the signature.
 * @param r - the report
 * @param signature - base64 Ed25519 signature
 * @param keyVersion - the `auditsign` key version
 * @param at - the creation date
 * @returns the PDF bytes
 */
async function reportPdf(r: RestoreCheckReport, signature: string, keyVersion: number, at: Date): Promise<Buffer> {
  const { doc, finish } = createPdf({ title: `Restore check ${r.checkId}`, subject: 'Art. 28(1) item 7: monthly restore check' }, at);
  doc.font(PDF_FONTS.bold).fontSize(16).text('Проверка на възстановяване от резервно копие / Restore check');
  doc.moveDown(0.5).font(PDF_FONTS.regular).fontSize(10);
  const line = (k: string, v: string) => doc.text(`${k}: ${v}`);
  line('Result', r.passed ? 'PASSED' : `FAILED — ${r.failure ?? ''}`);
  line('Check', r.checkId);
  line('Backup', `${r.backupId ?? '—'} (taken ${r.backupStartedAt ?? '—'})`);
  line('Started / finished', `${r.checkStartedAt} / ${r.checkFinishedAt} (${(r.durationMs / 1000).toFixed(1)} s)`);
  doc.moveDown(0.5).font(PDF_FONTS.bold).text('Copies');
  doc.font(PDF_FONTS.regular);
  for (const c of r.copies) line(c.location, c.intact ? 'intact (SHA-256 matches the manifest)' : (c.problem ?? 'damaged'));
  line('Restored from', r.restoredFrom ?? '—');
  doc.moveDown(0.5).font(PDF_FONTS.bold).text('Checks');
  doc.font(PDF_FONTS.regular);
  line('Row counts', `${r.counts.tables} tables, ${r.counts.rows} rows, ${r.counts.mismatches.length} mismatch(es)`);
  for (const m of r.counts.mismatches.slice(0, 20)) line(`  ${m.table}`, `expected ${m.expected ?? '—'}, restored ${m.restored ?? '—'}`);
  line('Audit trail', `${r.chain.ok ? 'verified' : 'BROKEN'}: ${r.chain.events} events in ${r.chain.chains} chain(s), ${r.chain.exportedHeadsChecked} exported head(s)`);
  for (const p of r.chain.problems) line('  problem', p);
  line('Master keys', `${r.keys.needed} needed, ${r.keys.missing.length} missing${r.keys.missing.length ? `: ${r.keys.missing.join(', ')}` : ''}`);
  line('Sample decrypted', `${r.sample.opened} of ${r.sample.checked} opened (${Object.entries(r.sample.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  doc.moveDown(0.5).font(PDF_FONTS.bold).text('Signature');
  doc.font(PDF_FONTS.mono).fontSize(8).text(`Ed25519, audit head-signing key "auditsign" v${keyVersion}, over the JSON report (docs/operations.md#restore-check):`);
  doc.text(signature);
  return finish();
}
