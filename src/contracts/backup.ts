import { z } from 'zod';

/** Backups and restore checks as the operator and the supervisor see them (docs/operations.md). */
export const BackupOverviewSchema = z
  .object({
    destinations: z.array(z.string()),
    backups: z.array(
      z.object({
        id: z.string(),
        startedAt: z.string(),
        finishedAt: z.string(),
        trigger: z.enum(['daily', 'cli']),
        status: z.enum(['ok', 'partial', 'failed']),
        sizeBytes: z.number().nullable(),
        rows: z.number(),
        destinations: z.array(z.object({ location: z.string(), ok: z.boolean(), error: z.string().nullable() })),
      }),
    ),
    restoreChecks: z.array(z.object({ id: z.uuid(), backupId: z.string(), startedAt: z.string(), passed: z.boolean(), failure: z.string().nullable() })),
  })
  .meta({ id: 'BackupOverview' });
export type BackupOverview = z.infer<typeof BackupOverviewSchema>;

export const RestoreCheckReportSchema = z
  .object({
    checkId: z.uuid(),
    backupId: z.string().nullable(),
    backupStartedAt: z.string().nullable(),
    checkStartedAt: z.string(),
    checkFinishedAt: z.string(),
    durationMs: z.number(),
    copies: z.array(z.object({ location: z.string(), intact: z.boolean(), problem: z.string().optional() })),
    restoredFrom: z.string().nullable(),
    counts: z.object({ tables: z.number(), rows: z.number(), mismatches: z.array(z.object({ table: z.string(), expected: z.number().nullable(), restored: z.number().nullable() })) }),
    chain: z.object({ ok: z.boolean(), events: z.number(), chains: z.number(), exportedHeadsChecked: z.number(), problems: z.array(z.string()) }),
    keys: z.object({ needed: z.number(), missing: z.array(z.string()) }),
    sample: z.object({ checked: z.number(), opened: z.number(), failed: z.number(), byKind: z.record(z.string(), z.number()) }),
    passed: z.boolean(),
    failure: z.string().nullable(),
  })
  .meta({ id: 'RestoreCheckReport' });

export const RestoreCheckDocumentSchema = z
  .object({
    report: RestoreCheckReportSchema,
    /** Ed25519 (base64) over `distansia restore check v1\n` + the report as JSON with sorted keys. */
    signature: z.string(),
    keyVersion: z.number().int(),
    publicKeyPem: z.string().nullable(),
  })
  .meta({ id: 'RestoreCheckDocument' });
export type RestoreCheckDocument = z.infer<typeof RestoreCheckDocumentSchema>;

/**
 * The text a restore-check report's signature covers: a fixed first line, then the report as JSON with
 * its keys sorted. Shared so the server signs and the browser verifies the same bytes.
 * @param report - the report
 * @returns the signed text (UTF-8 when signed)
 */
export function restoreCheckSigningText(report: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => [k, canonical(x)]),
      );
    }
    return v;
  };
  return `distansia restore check v1\n${JSON.stringify(canonical(report))}`;
}
