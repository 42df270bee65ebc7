import { z } from 'zod';

export const LivenessSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

/** The second site (docs/operations.md#second-site): streaming replication as the primary or a standby sees it. */
export const ReplicationSchema = z
  .object({
    role: z.enum(['primary', 'standby', 'embedded']),
    /** On the primary: each connected standby. Lag is the time its replay trails the primary's commits. */
    standbys: z.array(
      z.object({
        name: z.string(),
        state: z.string(),
        syncState: z.string(),
        replayLagSeconds: z.number().nullable(),
        replayLagBytes: z.number().nullable(),
      }),
    ),
    /** On a standby: seconds since the last replayed transaction's commit on the primary (null: none yet). */
    replayDelaySeconds: z.number().nullable().optional(),
  })
  .meta({ id: 'Replication' });
export type Replication = z.infer<typeof ReplicationSchema>;

export const ReadinessSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.object({
      database: z.enum(['ok', 'down']),
      migrations: z.enum(['ok', 'pending']),
    }),
    replication: ReplicationSchema.optional(),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof ReadinessSchema>;
