import type { Database } from '../../platform/db/index.js';
import { pendingMigrations } from '../../platform/db/migrate.js';
import type { Readiness } from '../../contracts/ops.js';

/**
 * Operational checks: liveness and readiness.
 * @param deps - the database
 * @returns the ops service
 */
export function createOpsService(deps: { database: Database }) {
  return {
    /** Ready only when the database answers and every migration is applied. */
    async readiness(): Promise<Readiness> {
      let database: Readiness['checks']['database'] = 'ok';
      let migrations: Readiness['checks']['migrations'] = 'ok';
      try {
        await deps.database.ping();
        if ((await pendingMigrations(deps.database.pool)).length > 0) migrations = 'pending';
      } catch {
        database = 'down';
        migrations = 'pending';
      }
      return { status: database === 'ok' && migrations === 'ok' ? 'ok' : 'unavailable', checks: { database, migrations } };
    },
  };
}
export type OpsService = ReturnType<typeof createOpsService>;
