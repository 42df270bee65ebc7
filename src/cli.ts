import { parseArgs } from 'node:util';
import { loadDemoConfig, loadConfig, ConfigError } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { openDatabase } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { startServer, closeOnSignals } from './main.js';
import { out, fail } from './platform/cli-output.js';

const HELP = `distansia — telemedicine for Bulgarian healthcare

Usage: distansia <command> [options]

Commands:
  serve            start the platform (HTTP API, web app, outbox worker)
  demo             start the platform with demo data on the embedded database (seeds on first start)
  migrate          apply database migrations and exit
  import icd10 F   import the NHIS CL011 (ICD-10) export from file F
  import specialties F
                   import the NHIS CL006 specialty list from file F (C002 XML, or a JSON array)
  import medicines F
                   import the medicines nomenclature (CSV code;name;inn;dosageForm;strength;pack;atc;nhifReimbursed;protocolRequired)
  slots extend     roll every schedule's free slots forward to the horizon now and prune past free ones (the server does it daily)
  accounts create-admin --facility ID --email E --name N
                   create a facility's first administrator: an activation link (72 h) is e-mailed to
                   E, where the person sets their own password and authenticator app
  audit verify     check the hash-chained audit trail and the exported heads (exit 1 if broken)
  audit export-heads  copy the audit chain heads to the second location now
  backup           take an encrypted backup to every BACKUP_DESTINATIONS now (the server does it daily)
  backup keygen    print a new operator backup key pair (age X25519)
  restore-check [ID]  restore the newest backup (or ID) into a scratch database, verify it, store a signed report
  restore ID|FILE --into URL | --data-dir DIR
                   restore a backup into a new database (docs/operations.md#restore)
  signer --module LIB --origin URL [--token-label L] [--pin-file F] [--port 17443]
                   the local signing agent for the doctor's card (КЕП, PKCS#11): listens on 127.0.0.1,
                   prints a pairing code for the browser (docs/records.md#the-local-signer)
  ops status       readiness, replication lag of the second site, last backup and restore check
  nhis-simulator [--port N] [--host H] [--dir D]
                   run the NHIS simulator as an HTTP server (token challenge, signed messages) with a
                   test CA and signer kept in D (DATA_DIR/nhis-simulator); prints the NHIS_* settings
  failover --standby URL
                   promote the standby at URL to primary (docs/operations.md#failover); servers whose
                   DATABASE_URL names both sites reconnect to it by themselves
  help             show this text

Configuration is read from the environment: PORT (3000), DATA_DIR (./data), DATABASE_URL (PostgreSQL;
embedded PGlite when absent), PUBLIC_URL, LOG_LEVEL (info). See README.md.
`;

type Command = (args: string[]) => Promise<number>;

/** `distansia signer`: opens the card once (PIN from a file or typed), then serves the browser. */
async function runSigner(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, allowPositionals: true, options: { module: { type: 'string' }, origin: { type: 'string' }, 'token-label': { type: 'string' }, 'pin-file': { type: 'string' }, port: { type: 'string', default: '17443' } } });
  if (!values.module || !values.origin) {
    fail('distansia signer needs --module (the PKCS#11 library of the card reader) and --origin (the web app, e.g. https://distansia.example.bg)');
    return 2;
  }
  const { readFile } = await import('node:fs/promises');
  const { createInterface } = await import('node:readline/promises');
  const { openPkcs11Token, startSignerAgent } = await import('./modules/signing/index.js');
  let pin: string;
  if (values['pin-file']) pin = (await readFile(values['pin-file'], 'utf8')).trim();
  else {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    pin = (await rl.question('PIN of the signature device: ')).trim();
    rl.close();
  }
  const token = openPkcs11Token({ module: values.module, tokenLabel: values['token-label'], pin });
  const agent = await startSignerAgent({ token, appOrigin: new URL(values.origin).origin, port: Number(values.port) });
  out(`Distansia signer on ${agent.url} for ${new URL(values.origin).origin}, token "${token.label}".\nPairing code: ${agent.pairingCode}`);
  const stop = () => {
    void agent.close().then(() => {
      token.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

const commands: Record<string, Command> = {
  signer: runSigner,
  async serve() {
    const config = loadConfig();
    const log = createLogger(config.LOG_LEVEL);
    const server = await startServer(config, log);
    closeOnSignals(server, log);
    log.info({ url: server.url }, 'Distansia is listening');
    return -1;
  },
  async demo() {
    // The demo needs no mail server: messages are written to DATA_DIR/outbox/ as .eml files.
    const config = loadDemoConfig();
    const log = createLogger(config.LOG_LEVEL);
    const { seedDemo } = await import('./demo/index.js');
    let summary: Awaited<ReturnType<typeof seedDemo>> | undefined;
    const server = await startServer(config, log, async (deps) => {
      summary = await seedDemo(deps);
    });
    closeOnSignals(server, log);
    out(`\nDistansia demo is running at ${server.url}`);
    if (summary) {
      out(summary.created ? `Demo data seeded.` : `Demo data already present.`);
      out(`Demo accounts (e-mail, password, TOTP secret): ${summary.accountsFile}\n`);
    }
    return -1;
  },
  async migrate() {
    const config = loadConfig();
    const log = createLogger(config.LOG_LEVEL);
    const target = config.DATABASE_URL ? { kind: 'postgres' as const, url: config.DATABASE_URL.reveal() } : { kind: 'pglite' as const, dataDir: config.DATA_DIR };
    const database = await openDatabase(target, log);
    try {
      const applied = await migrate(database.pool);
      out(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'Database is up to date.');
      return 0;
    } finally {
      await database.close();
    }
  },
  async import(args) {
    // `distansia import icd10 <file>`: the NHIS CL011 export (C002 XML or CSV) into the ICD-10 table.
    const [what, file] = args;
    if (what === 'specialties' && file) return importSpecialties(file);
    if (what === 'medicines' && file) return importMedicines(file);
    if (what !== 'icd10' || !file) {
      fail('Usage: distansia import icd10 <file>   (the NHIS nomenclature CL011 export: C002 XML, or CSV with key;description;descriptionEn)');
      return 2;
    }
    const { readFile } = await import('node:fs/promises');
    const { systemCtx } = await import('./platform/auth/request-context.js');
    const { createDeps } = await import('./composition.js');
    const config = loadConfig();
    const log = createLogger(config.LOG_LEVEL);
    const deps = await createDeps(config, log);
    try {
      const r = await deps.records.importIcd10(systemCtx('cli.import'), await readFile(file, 'utf8'));
      out(`Imported ${r.imported} ICD-10 codes (${r.skipped} entries skipped: ranges, duplicates or invalid codes).`);
      return 0;
    } finally {
      await deps.close();
    }
  },
  async slots(args) {
    // `distansia slots extend`: what the server's daily job does, on demand. Idempotent.
    if (args[0] !== 'extend') {
      fail('Usage: distansia slots extend');
      return 2;
    }
    const { systemCtx } = await import('./platform/auth/request-context.js');
    const { createDeps } = await import('./composition.js');
    const config = loadConfig();
    const deps = await createDeps(config, createLogger(config.LOG_LEVEL));
    try {
      const r = await deps.scheduling.extendSlots(systemCtx('cli.slots-extend'));
      out(`Rolled ${r.schedules} schedule(s) forward ${config.SLOT_HORIZON_DAYS} days: ${r.inserted} slot(s) added, ${r.removed} removed, ${r.freeSlots} free in the horizon, ${r.pruned} past free slot(s) pruned` +
        `${r.skipped ? `, ${r.skipped} skipped (being edited)` : ''}${r.failed ? `, ${r.failed} failed (see the log)` : ''}.`);
      return r.failed > 0 ? 1 : 0;
    } finally {
      await deps.close();
    }
  },
  async accounts(args) {
    // `distansia accounts create-admin`: the one account the web app cannot create.
    const { values } = parseArgs({ args: args.slice(1), options: { facility: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } } });
    if (args[0] !== 'create-admin' || !values.facility || !values.email || !values.name) {
      fail('Usage: distansia accounts create-admin --facility <facility id> --email <e-mail> --name <display name>');
      return 2;
    }
    const { systemCtx } = await import('./platform/auth/request-context.js');
    const { createDeps } = await import('./composition.js');
    const { AppError } = await import('./platform/errors/app-error.js');
    const config = loadConfig();
    const deps = await createDeps(config, createLogger(config.LOG_LEVEL));
    try {
      // Security: nobody but the person chooses the password, the operator at the console included;
      // the activation link goes out through the outbox like the web path's (docs/identity.md).
      const account = await deps.staffAccounts.createFirstAdministrator(systemCtx('cli.accounts'), values.facility, { email: values.email, displayName: values.name });
      await deps.outbox.drain(50);
      out(`Created administrator ${account.id}. An activation link valid for 72 hours was sent to ${account.email}` +
        `${config.DEV_MAIL_SINK ? ` (development mail sink: ${config.DATA_DIR}/outbox/)` : ''}; they set their password and authenticator app there, then manage staff at /admin/staff.`);
      return 0;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      fail(`${err.code}: ${err.message}`);
      return 1;
    } finally {
      await deps.close();
    }
  },
  async audit(args) {
    const config = loadConfig();
    const log = createLogger(config.LOG_LEVEL);
    const { runAuditCommand } = await import('./platform/audit/audit-cli.js');
    return runAuditCommand(args, config, log);
  },
  // backups (docs/operations.md)
  async backup(args) {
    const { backupKeygen } = await import('./modules/backup/backup-cli.js');
    if (args[0] === 'keygen') return backupKeygen();
    const config = loadConfig();
    const { createDeps } = await import('./composition.js');
    const deps = await createDeps(config, createLogger(config.LOG_LEVEL));
    try {
      const r = await deps.backup.backupNow();
      out(`backup ${r.id}: ${r.status}${r.sizeBytes !== null ? `, ${r.sizeBytes} bytes encrypted` : ''}, ${(r.durationMs / 1000).toFixed(1)} s`);
      for (const d of r.destinations) (d.ok ? out : fail)(`  ${d.ok ? 'ok' : 'FAILED'}  ${d.location}${d.error ? `: ${d.error}` : ''}${d.pruned ? ` (${d.pruned} old backup(s) removed by retention)` : ''}`);
      if (r.error) fail(`backup failed: ${r.error}`);
      await deps.outbox.drain(10);
      return r.status === 'ok' ? 0 : 1;
    } finally {
      await deps.close();
    }
  },
  async 'restore-check'(args) {
    const config = loadConfig();
    const { createDeps } = await import('./composition.js');
    const deps = await createDeps(config, createLogger(config.LOG_LEVEL));
    try {
      const r = await deps.backup.restoreCheckNow(args[0]);
      out(`restore check ${r.checkId} of backup ${r.backupId ?? '(none)'}: ${r.passed ? 'PASSED' : 'FAILED'} in ${(r.durationMs / 1000).toFixed(1)} s`);
      for (const c of r.copies) (c.intact ? out : fail)(`  copy ${c.location}: ${c.intact ? 'intact' : c.problem}`);
      out(`  rows: ${r.counts.rows} in ${r.counts.tables} tables, ${r.counts.mismatches.length} mismatch(es); audit: ${r.chain.ok ? 'verified' : 'BROKEN'} (${r.chain.events} events); sample: ${r.sample.opened}/${r.sample.checked} decrypted`);
      if (!r.passed) fail(`restore check failed: ${r.failure ?? ''}`);
      out(`  signed report stored; operator and supervisor see it at /ops/backups (PDF: /api/v1/ops/restore-checks/${r.checkId}/pdf)`);
      await deps.outbox.drain(10);
      return r.passed ? 0 : 1;
    } finally {
      await deps.close();
    }
  },
  async restore(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { into: { type: 'string' }, 'data-dir': { type: 'string' } } });
    const config = loadConfig();
    const { runRestore } = await import('./modules/backup/backup-cli.js');
    return runRestore(positionals, { destinations: config.BACKUP_DESTINATIONS, identityFile: config.BACKUP_IDENTITY_FILE }, { into: values.into, dataDir: values['data-dir'] });
  },
  async ops(args) {
    if (args[0] !== 'status') {
      fail('Usage: distansia ops status');
      return 2;
    }
    const config = loadConfig();
    const { createOpsService } = await import('./modules/ops/index.js');
    const target = config.DATABASE_URL ? { kind: 'postgres' as const, url: config.DATABASE_URL.reveal() } : { kind: 'pglite' as const, dataDir: config.DATA_DIR };
    const database = await openDatabase(target, createLogger(config.LOG_LEVEL));
    try {
      const r = await createOpsService({ database }).readiness();
      out(`status: ${r.status} (database ${r.checks.database}, migrations ${r.checks.migrations})`);
      const rep = r.replication;
      if (rep?.role === 'primary') {
        if (rep.standbys.length === 0) out('replication: primary, NO standby connected (second site missing)');
        for (const s of rep.standbys) out(`replication: standby ${s.name} ${s.state}/${s.syncState}, lag ${s.replayLagSeconds ?? 0} s, ${s.replayLagBytes ?? 0} bytes behind`);
      } else if (rep?.role === 'standby') out(`replication: this is a standby, last commit replayed ${rep.replayDelaySeconds ?? '—'} s ago`);
      else out('replication: embedded database (no second site; use PostgreSQL for one)');
      const last = await database.pool.query<{ id: string; status: string; started_at: Date }>('SELECT id, status, started_at FROM backup_run ORDER BY started_at DESC LIMIT 1').catch(() => ({ rows: [] }));
      const check = await database.pool.query<{ id: string; passed: boolean; started_at: Date }>('SELECT id, passed, started_at FROM restore_check ORDER BY started_at DESC LIMIT 1').catch(() => ({ rows: [] }));
      const b = last.rows[0];
      const c = check.rows[0];
      out(b ? `last backup: ${b.id} ${b.status} at ${new Date(b.started_at).toISOString()}` : 'last backup: none');
      out(c ? `last restore check: ${c.passed ? 'passed' : 'FAILED'} at ${new Date(c.started_at).toISOString()} (${c.id})` : 'last restore check: none');
      return r.status === 'ok' ? 0 : 1;
    } finally {
      await database.close();
    }
  },
  async failover(args) {
    // Regulatory: Art. 28(1) item 5, the second site takes over (docs/operations.md#failover).
    const { values } = parseArgs({ args, options: { standby: { type: 'string' } }, strict: true });
    if (!values.standby) {
      fail('Usage: distansia failover --standby postgres://user@standby-host:5432/db');
      return 2;
    }
    const { promoteStandby } = await import('./modules/ops/index.js');
    const r = await promoteStandby(values.standby);
    out(`promoted in ${r.seconds.toFixed(1)} s (last WAL received from the old primary: ${r.receivedLsn ?? 'none'}).`);
    out('next: fence the old primary (it must not start as a primary again), rebuild it as a standby of this one with pg_basebackup -R, and check `distansia ops status`.');
    return 0;
  },
  async help() {
    out(HELP);
    return 0;
  },
  async 'nhis-simulator'(args) {
    // The simulator as its own process, for a Distansia server configured with NHIS_BASE_URL (docs/nhis.md).
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, dir: { type: 'string' } } });
    const { mkdir, readFile, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { systemClock, toDate } = await import('./platform/clock.js');
    const { systemIds } = await import('./platform/ids.js');
    const { createTestPki, startNhisHttpSimulator } = await import('./modules/nhis/index.js');
    const config = loadConfig();
    const dir = values.dir ?? join(config.DATA_DIR, 'nhis-simulator');
    const caFile = join(dir, 'ca.pem');
    const signerFile = join(dir, 'signer.pem');
    let caPem: string;
    try {
      caPem = await readFile(caFile, 'utf8');
    } catch {
      // First start: a throw-away CA and a signer it issued; reused on later starts so the signer file stays valid.
      const pki = await createTestPki({ notBefore: toDate(systemClock.now().subtract({ hours: 24 })), days: 3650, doctorName: 'Distansia simulator signer' });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(caFile, pki.caPem);
      await writeFile(signerFile, `${pki.doctor.keyPem}${pki.doctor.certPem}`, { mode: 0o600 });
      caPem = pki.caPem;
    }
    const port = values.port ? Number(values.port) : 8700;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      fail('Usage: distansia nhis-simulator [--port N] [--host H] [--dir D]');
      return 2;
    }
    const sim = await startNhisHttpSimulator({ clock: systemClock, ids: systemIds, caPem, host: values.host ?? '127.0.0.1', port });
    out(`NHIS simulator listening at ${sim.url} (CA ${caFile})\nPoint Distansia at it with:\n  NHIS_BASE_URL=${sim.url} NHIS_SIGNER_FILE=${signerFile}`);
    const stop = () => {
      void sim.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  },
};

/** `distansia import medicines <file>`: the medicines nomenclature (docs/referrals.md#medicines); all or nothing. */
async function importMedicines(file: string): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const { basename } = await import('node:path');
  const { systemCtx } = await import('./platform/auth/request-context.js');
  const { createDeps } = await import('./composition.js');
  const config = loadConfig();
  const deps = await createDeps(config, createLogger(config.LOG_LEVEL));
  try {
    const r = await deps.referrals.importMedicines(systemCtx('cli.import'), await readFile(file, 'utf8'), `import:${basename(file)}`);
    out(`Imported ${r.imported} medicines.`);
    return 0;
  } finally {
    await deps.close();
  }
}

/** `distansia import specialties <file>`: the NHIS CL006 specialty nomenclature. */
async function importSpecialties(file: string): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const { createDeps } = await import('./composition.js');
  const { parseCl006 } = await import('./modules/registry/index.js');
  const { systemCtx } = await import('./platform/auth/request-context.js');
  const entries = parseCl006(await readFile(file, 'utf8'));
  const config = loadConfig();
  const deps = await createDeps(config, createLogger(config.LOG_LEVEL));
  try {
    const n = await deps.registry.importSpecialties(systemCtx('cli.import'), entries, `NHIS CL006 import: ${file}`);
    out(`Imported ${entries.length} CL006 entries (${n} rows inserted or updated).`);
    return 0;
  } finally {
    await deps.close();
  }
}

/**
 * Runs one CLI command.
 * @param argv - arguments after the program name
 * @returns the exit code, or -1 for a command that keeps running (serve)
 */
export async function runCli(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const name = positionals[0] ?? 'help';
  if (argv.includes('--help') || argv.includes('-h')) return commands.help?.([]) ?? 0;
  const command = commands[name];
  if (!command) {
    fail(`Unknown command "${name}".\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(argv.slice(1));
  } catch (err) {
    if (err instanceof ConfigError) {
      fail(err.message);
      return 78;
    }
    throw err;
  }
}

const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exit(code);
