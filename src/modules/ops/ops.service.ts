import type { Database } from '../../platform/db/index.js';
import { pendingMigrations } from '../../platform/db/migrate.js';
import type { Readiness, Replication } from '../../contracts/ops.js';

/**
 * Operational checks: liveness, readiness and the second site's replication lag.
 * @param deps - the database
 * @returns the ops service
 */
export function createOpsService(deps: { database: Database }) {
  const ops = {
    /** Ready only when the database answers and every migration is applied; reports replication lag. */
    async readiness(): Promise<Readiness> {
      let database: Readiness['checks']['database'] = 'ok';
      let migrations: Readiness['checks']['migrations'] = 'ok';
      let replication: Replication | undefined;
      try {
        await deps.database.ping();
        if ((await pendingMigrations(deps.database.pool)).length > 0) migrations = 'pending';
        replication = await ops.replication();
      } catch {
        database = 'down';
        migrations = 'pending';
      }
      return { status: database === 'ok' && migrations === 'ok' ? 'ok' : 'unavailable', checks: { database, migrations }, ...(replication ? { replication } : {}) };
    },

    /**
     * Streaming replication as this server sees it (docs/operations.md#second-site). On the primary the
     * lag is PostgreSQL's own `replay_lag` (time from a commit to its replay on the standby) and the WAL
     * bytes not yet replayed; on a standby, the time since the last replayed commit.
     * @returns the role and lag
     */
    async replication(): Promise<Replication> {
      if (deps.database.kind === 'pglite') return { role: 'embedded', standbys: [] };
      const r = await deps.database.pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      if (r.rows[0]?.standby) {
        const d = await deps.database.pool.query<{ s: string | null }>(
          'SELECT EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp()))::text AS s',
        );
        const s = d.rows[0]?.s;
        return { role: 'standby', standbys: [], replayDelaySeconds: s === null || s === undefined ? null : Number(s) };
      }
      const rows = await deps.database.pool.query<{ name: string; state: string; sync_state: string; lag: string | null; bytes: string | null }>(
        `SELECT application_name AS name, state, sync_state, EXTRACT(EPOCH FROM replay_lag)::text AS lag,
                pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text AS bytes
           FROM pg_stat_replication ORDER BY application_name`,
      );
      return {
        role: 'primary',
        standbys: rows.rows.map((x) => ({ name: x.name, state: x.state, syncState: x.sync_state, replayLagSeconds: x.lag === null ? null : Number(x.lag), replayLagBytes: x.bytes === null ? null : Number(x.bytes) })),
      };
    },
  };
  return ops;
}
export type OpsService = ReturnType<typeof createOpsService>;
