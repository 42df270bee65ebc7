import { Temporal } from 'temporal-polyfill';
import { restoreCheckSigningText } from '../../contracts/backup.js';
import { z } from 'zod';

/**
 * What sits beside each encrypted backup file, in clear: counts and hashes, never personal data.
 * Persisted shape: changes need a `format` bump (docs/operations.md#backups).
 */
export const BackupManifestSchema = z.object({
  format: z.literal(1),
  id: z.string().regex(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/),
  databaseKind: z.enum(['postgres', 'pglite']),
  trigger: z.enum(['daily', 'cli']),
  /** ISO instants: the snapshot's start and the end of encryption. */
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Size and SHA-256 (hex) of the encrypted file. */
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Rows per table in the snapshot. */
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  /** The age recipients it was encrypted to (public keys). */
  recipients: z.array(z.string()),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

/**
 * Parses a manifest read from a destination.
 * @param value - the parsed JSON
 * @returns the manifest
 * @throws when it is not one
 */
export function parseManifest(value: unknown): BackupManifest {
  return BackupManifestSchema.parse(value);
}

/**
 * A backup's id: its start instant (UTC, sortable) and a random suffix.
 * @param startedAt - the snapshot's start
 * @param random8hex - 8 lower-case hex digits
 * @returns e.g. `20261206T013000Z-1a2b3c4d`
 */
export function backupId(startedAt: Temporal.Instant, random8hex: string): string {
  const s = startedAt.toString({ smallestUnit: 'second' }); // 2026-12-06T01:30:00Z
  return `${s.replace(/[-:]/g, '')}-${random8hex}`;
}

/**
 * Which backups a destination drops (docs/operations.md#retention): it keeps the newest backup of each of
 * the `keepDaily` most recent days that have one, and the first backup of each of the `keepMonthly` most
 * recent months that have one, days and months in the organisation's zone. Everything else goes.
 * @param backups - the destination's complete backups
 * @param policy - counts and the zone
 * @param policy.keepDaily - days kept
 * @param policy.keepMonthly - months kept
 * @param policy.zone - IANA zone of the organisation
 * @returns the ids to delete
 */
export function retentionDrops(backups: readonly Pick<BackupManifest, 'id' | 'startedAt'>[], policy: { keepDaily: number; keepMonthly: number; zone: string }): string[] {
  const local = backups
    .map((b) => ({ id: b.id, at: Temporal.Instant.from(b.startedAt), day: Temporal.Instant.from(b.startedAt).toZonedDateTimeISO(policy.zone).toPlainDate() }))
    .sort((a, b) => Temporal.Instant.compare(b.at, a.at));
  const keep = new Set<string>();
  const days = new Set<string>();
  for (const b of local) {
    const day = b.day.toString();
    if (days.has(day)) continue;
    if (days.size >= policy.keepDaily) break;
    days.add(day);
    keep.add(b.id); // newest of its day
  }
  const months = new Map<string, string>(); // month → id of its first backup
  for (const b of [...local].reverse()) {
    const month = b.day.toPlainYearMonth().toString();
    if (!months.has(month)) months.set(month, b.id);
  }
  [...months.entries()]
    .sort((a, b) => (a[0] < b[0] ? 1 : -1))
    .slice(0, policy.keepMonthly)
    .forEach(([, id]) => keep.add(id));
  return local.filter((b) => !keep.has(b.id)).map((b) => b.id);
}

/**
 * Compares the restored database's row counts with those recorded at backup time.
 * @param expected - the manifest's counts
 * @param actual - counted in the restored database
 * @returns the tables that differ (an empty list when all match)
 */
export function countMismatches(expected: Record<string, number>, actual: Record<string, number>): { table: string; expected: number | null; restored: number | null }[] {
  const tables = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return tables
    .filter((t) => expected[t] !== actual[t])
    .map((t) => ({ table: t, expected: expected[t] ?? null, restored: actual[t] ?? null }));
}

/**
 * The text a restore-check report's signature covers: the report as JSON with keys sorted at every level,
 * so the same report always gives the same bytes.
 * @param report - the report
 * @returns the signed bytes
 */
export function reportSigningText(report: unknown): Buffer {
  return Buffer.from(restoreCheckSigningText(report), 'utf8');
}

/**
 * When today's daily run is due (Time zone: a local time in the spring-forward gap moves forward).
 * @param now - the instant
 * @param zone - the organisation's zone
 * @param at - local `HH:MM`
 * @returns the local date and whether its time has come
 */
export function dailyDue(now: Temporal.Instant, zone: string, at: string): { runOn: string; due: boolean } {
  const today = now.toZonedDateTimeISO(zone).toPlainDate();
  const due = today.toPlainDateTime(Temporal.PlainTime.from(at)).toZonedDateTime(zone, { disambiguation: 'compatible' }).toInstant();
  return { runOn: today.toString(), due: Temporal.Instant.compare(now, due) >= 0 };
}

/**
 * When this month's restore check is due: from `at` on the 1st, for the rest of the month (a server
 * down on the 1st catches up).
 * @param now - the instant
 * @param zone - the organisation's zone
 * @param at - local `HH:MM`
 * @returns the month's first day (the run's key) and whether it is due
 */
export function monthlyDue(now: Temporal.Instant, zone: string, at: string): { runOn: string; due: boolean } {
  const first = now.toZonedDateTimeISO(zone).toPlainDate().with({ day: 1 });
  const due = first.toPlainDateTime(Temporal.PlainTime.from(at)).toZonedDateTime(zone, { disambiguation: 'compatible' }).toInstant();
  return { runOn: first.toString(), due: Temporal.Instant.compare(now, due) >= 0 };
}
