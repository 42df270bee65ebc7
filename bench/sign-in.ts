/**
 * Sign-in throughput and latency: N concurrent users doing password + TOTP over HTTP against
 * `distansia serve` on PostgreSQL (a fresh database), each sign-in with a distinct account because a
 * TOTP code is accepted once per account and 30-second step (replay protection).
 *
 *   npx tsx bench/sign-in.ts [users=50] [rounds=8]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (default)
 *
 * Reports p50/p95/p99/max of one sign-in (POST /auth/login + POST /auth/mfa), throughput, and the cost of
 * one argon2id hash (m=19 MiB, t=2, p=1: OWASP's minimum) measured alone, because that cost dominates.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { generate } from 'otplib';
import { hash, verify } from '@node-rs/argon2';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { createDeps } from '../src/composition.js';
import { withTransaction } from '../src/platform/db/index.js';
import { systemCtx } from '../src/platform/auth/request-context.js';
import { ARGON2_OPTIONS } from '../src/modules/identity/index.js';
import { enrolTotpForDemo } from '../src/demo/enrol-totp.js';

const users = Number(process.argv[2] ?? 50);
const rounds = Number(process.argv[3] ?? 8);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'Bench-Correct-Horse-Battery-9';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

// 1. A fresh database and data directory (master keys).
const dbName = `distansia_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const u = new URL(adminUrl);
u.pathname = `/${dbName}`;
const dbUrl = u.toString();
const dataDir = await mkdtemp(join(tmpdir(), 'distansia-bench-signin-'));
const port = await freePort();
// Every virtual user signs in from this one address: the per-IP rate limits are raised for the measurement.
const env: Record<string, string> = { DATABASE_URL: dbUrl, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', OUTBOX_WORKER: 'false', RATE_LIMIT_AUTH_MAX: '1000000' };

let child: ReturnType<typeof spawn> | undefined;
try {
  // 2. Accounts with TOTP enrolled, through the real service (argon2 hashing included).
  const t0 = performance.now();
  const config = loadConfig(env);
  const deps = await createDeps(config, createLogger('warn'));
  const accounts: { email: string; secret: string }[] = [];
  const total = users * rounds;
  for (let i = 0; i < total; i += 25) {
    await withTransaction(deps.db, async (tx) => {
      for (let j = i; j < Math.min(total, i + 25); j += 1) {
        const email = `vu${j}@bench.distansia.test`;
        const id = await deps.identity.createAccount(tx, systemCtx('bench'), { email, password: PASSWORD, role: 'supervisor' });
        const { secret } = await enrolTotpForDemo(deps, tx, systemCtx('bench'), id);
        accounts.push({ email, secret });
      }
    });
  }
  await deps.close();
  console.log(`seeded ${total} accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 3. The server in its own process, as in production.
  child = spawn(process.execPath, ['bin/distansia.mjs', 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (i > 600) throw new Error('server did not become ready');
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }

  async function signIn(acct: { email: string; secret: string }): Promise<{ total: number; login: number; mfa: number }> {
    const a = performance.now();
    const r1 = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: acct.email, password: PASSWORD }) });
    const body = (await r1.json()) as { mfaToken?: string; code?: string };
    const b = performance.now();
    if (r1.status !== 200 || !body.mfaToken) throw new Error(`login ${r1.status} ${body.code}`);
    const r2 = await fetch(`${base}/api/v1/auth/mfa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mfaToken: body.mfaToken, code: await generate({ secret: acct.secret }) }),
    });
    const c = performance.now();
    if (r2.status !== 200) throw new Error(`mfa ${r2.status} ${((await r2.json()) as { code?: string }).code}`);
    await r2.arrayBuffer();
    return { total: c - a, login: b - a, mfa: c - b };
  }

  // 4. Warm-up with a separate small set (JIT, pools, data key cache).
  const warm = accounts.splice(0, Math.min(10, accounts.length));
  for (const acct of warm) await signIn(acct);

  // 5. The run: `users` concurrent loops, each signing in with its own accounts.
  const perUser = Math.floor(accounts.length / users);
  const results: { total: number; login: number; mfa: number }[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, ui) => {
      for (let k = 0; k < perUser; k += 1) {
        const acct = accounts[ui * perUser + k];
        if (acct) results.push(await signIn(acct));
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;

  // 6. argon2id alone, for context.
  const h = await hash(PASSWORD, ARGON2_OPTIONS);
  const single: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    const a = performance.now();
    await verify(h, PASSWORD);
    single.push(performance.now() - a);
  }
  single.sort((a, b) => a - b);

  const totals = results.map((r) => r.total).sort((a, b) => a - b);
  const logins = results.map((r) => r.login).sort((a, b) => a - b);
  const mfas = results.map((r) => r.mfa).sort((a, b) => a - b);
  console.log(`\nsign-in (password + TOTP) over HTTP, PostgreSQL, ${users} concurrent users, ${results.length} sign-ins`);
  console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
  console.log(`argon2id m=${ARGON2_OPTIONS.memoryCost} KiB t=${ARGON2_OPTIONS.timeCost} p=${ARGON2_OPTIONS.parallelism}: one verify alone p50 ${ms(pct(single, 50))}`);
  console.log(`sign-in total  p50 ${ms(pct(totals, 50))}  p95 ${ms(pct(totals, 95))}  p99 ${ms(pct(totals, 99))}  max ${ms(totals[totals.length - 1] ?? NaN)}`);
  console.log(`  login step   p50 ${ms(pct(logins, 50))}  p99 ${ms(pct(logins, 99))}`);
  console.log(`  mfa step     p50 ${ms(pct(mfas, 50))}  p99 ${ms(pct(mfas, 99))}`);
  console.log(`throughput     ${(results.length / elapsed).toFixed(1)} sign-ins/s (${elapsed.toFixed(1)} s)`);
  const capacity = (availableParallelism() * 1000) / (pct(single, 50) || 1);
  console.log(`target p99 < 100 ms at ${users} concurrent: ${pct(totals, 99) < 100 ? 'MET' : 'NOT MET'} (argon2 alone caps this machine near ${capacity.toFixed(0)} hashes/s)`);
} finally {
  child?.kill('SIGTERM');
  await sleep(500);
  const a = new pg.Client({ connectionString: adminUrl });
  await a.connect();
  await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await a.end();
  await rm(dataDir, { recursive: true, force: true });
}
