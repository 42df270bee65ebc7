import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

// The second site in tests and benchmarks (docs/operations.md#second-site): a primary and a streaming
// standby, each its own PostgreSQL cluster on a free port in a temporary directory, made with Debian's
// initdb/pg_basebackup/pg_ctl. The shared cluster on 5432 is never touched. Fails loudly when they
// cannot be made: the failover test must not pass by not running.

const run = promisify(execFile);

export interface ReplicaPair {
  primaryUrl: string;
  standbyUrl: string;
  /** Both hosts: what DATABASE_URL holds at a site with a standby. */
  multiHostUrl: string;
  primaryPort: number;
  standbyPort: number;
  /** Stops the primary the way a crash does (`pg_ctl stop -m immediate`: no shutdown checkpoint). */
  crashPrimary(): Promise<void>;
  /** Stops both clusters and deletes their directories. */
  destroy(): Promise<void>;
}

/** The PostgreSQL binaries: PG_BIN, else the newest Debian installation. */
async function pgBin(): Promise<string> {
  // eslint-disable-next-line no-restricted-syntax -- test fixture: where the binaries are
  const fromEnv = process.env.PG_BIN;
  const candidates = fromEnv ? [fromEnv] : ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
  for (const dir of candidates) {
    try {
      await stat(join(dir, 'initdb'));
      return dir;
    } catch {
      // next
    }
  }
  throw new Error(`PostgreSQL server binaries not found in ${candidates.join(', ')}: install them (apt-get install -y postgresql) or set PG_BIN. The second-site tests need initdb, pg_basebackup and pg_ctl.`);
}

/**
 * Runs a tool to its exit. Tricky: the postmaster that `pg_ctl start` leaves running inherits the
 * caller's pipes, so waiting for them to close (execFile) would wait for the server to stop.
 */
function tool(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.includes('--') ? args[args.indexOf('--') + 1] ?? cmd : cmd} exited ${code}: ${err.trim()}`))));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a primary and a standby streaming from it.
 * @param opts - `synchronous`: the primary waits for the standby's flush before acknowledging a commit
 * @param opts.synchronous - synchronous_standby_names = the standby (RPO 0), else asynchronous
 * @param opts.database - a database created on the primary before the standby is copied
 * @returns the pair; call destroy() in afterAll
 */
export async function startReplicaPair(opts: { synchronous: boolean; database: string }): Promise<ReplicaPair> {
  const bin = await pgBin();
  const root = await mkdtemp(join(tmpdir(), 'distansia-pair-'));
  // initdb refuses root: run the clusters as the postgres user, who must own the directory.
  const asRoot = userInfo().uid === 0;
  let uid = userInfo().uid;
  let gid = userInfo().gid;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('running as root, and there is no postgres user to run the test clusters as (apt-get install -y postgresql)');
    });
    uid = Number(stdout.trim());
    gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    await chown(root, uid, gid);
  }
  await chmod(root, 0o700);
  const pgRun = (cmd: string, args: string[]) => (asRoot ? tool('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : tool(join(bin, cmd), args));
  const primaryDir = join(root, 'primary');
  const standbyDir = join(root, 'standby');
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stop = async (dir: string, mode: 'fast' | 'immediate') => {
    await pgRun('pg_ctl', ['-D', dir, '-m', mode, '-w', 'stop']).catch(() => undefined);
  };
  const destroy = async () => {
    for (const dir of started.splice(0).reverse()) await stop(dir, 'immediate');
    await rm(root, { recursive: true, force: true });
  };
  const start = async (dir: string, port: number, name: string) => {
    await pgRun('pg_ctl', ['-D', dir, '-l', join(root, `${name}.log`), '-w', '-t', '60', '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c cluster_name=${name}`, 'start']);
    started.push(dir);
  };
  try {
    await pgRun('initdb', ['-D', primaryDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
    // Small and quick: this machine is shared. wal_level=replica and the replication lines of initdb's
    // pg_hba.conf (trust on 127.0.0.1) are PostgreSQL's defaults.
    const base = ['shared_buffers = 32MB', 'max_connections = 60', 'wal_keep_size = 64MB'];
    await writeFile(join(primaryDir, 'postgresql.auto.conf'), `${base.join('\n')}\n`);
    if (asRoot) await chown(join(primaryDir, 'postgresql.auto.conf'), uid, gid);
    await start(primaryDir, primaryPort, 'site_a');
    const admin = new pg.Client({ host: '127.0.0.1', port: primaryPort, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(opts.database)}`);
    await admin.end();
    // -R writes standby.signal and primary_conninfo; the standby's cluster_name becomes its
    // application_name on the primary (what synchronous_standby_names names).
    await pgRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '-c', 'fast']);
    await writeFile(join(standbyDir, 'postgresql.auto.conf'), `${[...base, `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=site_b'`].join('\n')}\n`);
    await start(standbyDir, standbyPort, 'site_b');
    await waitForStreaming(primaryPort);
    if (opts.synchronous) {
      // Tricky: only now. Set before the standby streams, the primary's commits (CREATE DATABASE) would
      // wait for it forever; set before the copy, the promoted standby would wait for a standby of its own.
      const c = new pg.Client({ host: '127.0.0.1', port: primaryPort, user: 'postgres', database: 'postgres' });
      await c.connect();
      await c.query(`ALTER SYSTEM SET synchronous_standby_names = 'site_b'`);
      await c.query(`ALTER SYSTEM SET synchronous_commit = 'on'`);
      await c.query('SELECT pg_reload_conf()');
      for (let i = 0; i < 50; i += 1) {
        const r = await c.query(`SELECT 1 FROM pg_stat_replication WHERE application_name = 'site_b' AND sync_state = 'sync'`);
        if ((r.rowCount ?? 0) > 0) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      await c.end();
    }
  } catch (err) {
    const log = await run('sh', ['-c', `tail -n 20 ${root}/*.log 2>/dev/null || true`]).then((r) => r.stdout, () => '');
    await destroy();
    throw new Error(`could not start the primary/standby PostgreSQL pair: ${(err as Error).message}\n${log}`);
  }
  const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/${opts.database}`;
  return {
    primaryUrl: url(primaryPort),
    standbyUrl: url(standbyPort),
    multiHostUrl: `postgres://postgres@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/${opts.database}`,
    primaryPort,
    standbyPort,
    crashPrimary: () => stop(primaryDir, 'immediate'),
    destroy,
  };
}

async function waitForStreaming(primaryPort: number): Promise<void> {
  const c = new pg.Client({ host: '127.0.0.1', port: primaryPort, user: 'postgres', database: 'postgres' });
  await c.connect();
  try {
    for (let i = 0; i < 150; i += 1) {
      const r = await c.query(`SELECT 1 FROM pg_stat_replication WHERE application_name = 'site_b' AND state = 'streaming'`);
      if ((r.rowCount ?? 0) > 0) return;
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error('the standby did not start streaming within 30 s');
  } finally {
    await c.end();
  }
}
