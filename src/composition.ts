import type { Logger } from 'pino';
import type { Config } from './platform/config.js';
import { systemClock, type Clock } from './platform/clock.js';
import { systemIds, type IdGen } from './platform/ids.js';
import { openDatabase, type Database, type DatabaseTarget } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { createOutbox, type Outbox } from './platform/outbox/outbox.js';
import { createOpsService } from './modules/ops/index.js';
import { createAuditLog, type AuditLog } from './platform/audit/audit-log.js';
import { configuredHeadExporters, createHeadExport } from './platform/audit/audit-heads.js';
import { fileKeyStore } from './platform/crypto/key-store.js';
import { createKeyring } from './platform/crypto/keyring.js';
import { loadWorkingCalendar } from './platform/calendar-store.js';
import { createPatientsService } from './modules/patients/index.js';
import { createAccessPolicy, createAccessService } from './modules/access/index.js';
import { createRegistryService } from './modules/registry/index.js';
import { createSchedulingService } from './modules/scheduling/index.js';
import { createDirectoryService } from './modules/directory/index.js';
import { createIdentityService } from './modules/identity/index.js';
import { createAuditTrailService } from './modules/audit-trail/index.js';

export interface DepsOverrides {
  clock?: Clock;
  ids?: IdGen;
  /** A database opened by the caller (tests); it is not closed by `close()`. */
  database?: Database;
}

/**
 * The composition root: the only place that wires the database, clock, audit and services (STYLE C6).
 * @param config - parsed configuration
 * @param log - the process logger
 * @param overrides - test doubles
 * @returns every dependency the app needs, and `close()`
 */
export async function createDeps(config: Config, log: Logger, overrides: DepsOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? systemIds;
  const target: DatabaseTarget = config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL.reveal() } : { kind: 'pglite', dataDir: config.DATA_DIR };
  const database = overrides.database ?? (await openDatabase(target, log));
  if (config.MIGRATE_ON_START && !overrides.database) {
    const applied = await migrate(database.pool);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  }
  const db = database.db;
  const outbox: Outbox = createOutbox({ db, clock, ids, log });
  const audit: AuditLog = createAuditLog({ db, clock, ids });
  // Regulatory: chain heads go to the second location (DECISIONS.md item 12); started by the server.
  const auditHeads = createHeadExport({
    pool: database.pool,
    clock,
    exporters: configuredHeadExporters({ dir: config.AUDIT_HEAD_EXPORT_DIR, databaseUrl: config.AUDIT_HEAD_EXPORT_DATABASE_URL?.reveal() }),
  });

  const keyring = createKeyring({ store: fileKeyStore(config.KEY_DIR), clock, ids });
  const calendar = await loadWorkingCalendar(db);

  const ops = createOpsService({ database });
  const accessPolicy = createAccessPolicy({ clock, audit });
  const patients = createPatientsService({ db, clock, ids, keyring, audit, policy: accessPolicy });
  const access = createAccessService({ db, clock, ids, keyring, audit, policy: accessPolicy, patients });
  const auditTrail = createAuditTrailService({ db, clock, audit, policy: accessPolicy });
  const registry = createRegistryService({ db, clock, ids, audit, defaultTimeZone: config.DEFAULT_TIME_ZONE });
  // Art. 15 item 4: slots are materialised eight weeks ahead and rolled forward daily.
  const scheduling = createSchedulingService({ db, clock, ids, audit, calendar, horizonDays: 56 });
  const directory = createDirectoryService({ db, clock });
  const identity = createIdentityService({ db, clock, ids, keyring, audit, config });

  return {
    config,
    log,
    clock,
    ids,
    database,
    db,
    outbox,
    audit,
    auditHeads,
    keyring,
    calendar,
    ops,
    patients,
    accessPolicy,
    access,
    auditTrail,
    registry,
    scheduling,
    directory,
    identity,
    async close() {
      await outbox.stop();
      await auditHeads.stop();
      if (!overrides.database) await database.close();
    },
  };
}

export type Deps = Awaited<ReturnType<typeof createDeps>>;
