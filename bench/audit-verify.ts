/**
 * Audit verification time (docs/decisions.md#d12, docs/audit.md): fills a fresh PostgreSQL database (at
 * DATABASE_URL, default 127.0.0.1:5432/test; dropped after) with N events sealed as the application
 * seals them (HMAC-SHA-256 under an audit key held in memory, over 64 chains), in multi-row INSERT
 * batches that pass the database's position check, then times `verifyAuditTrail` over the whole trail.
 *
 *   npx tsx bench/audit-verify.ts [events=1000000] [batch=5000]
 */
import { readFile } from 'node:fs/promises';
import { systemIds } from '../src/platform/ids.js';
import { verifyAuditTrail } from '../src/platform/audit/audit-verify.js';
import { GENESIS_HASH, sealOfFields } from '../src/platform/audit/audit-chain.js';
import { auditKeysFrom } from '../src/platform/audit/audit-keys.js';
import { memoryKeyStore } from '../src/platform/crypto/key-store.js';
import { freshPostgres } from './audit-db.js';
import { processCpuMs } from './postgres-cpu.js';

const total = Number(process.argv[2] ?? 1_000_000);
const batch = Number(process.argv[3] ?? 5000);
const chains = 64;
const loaders = 2;

const { database, drop } = await freshPostgres(8);
try {
  const keys = auditKeysFrom(memoryKeyStore(), { create: true });
  const { version, key } = await keys.sealingKey();
  const actors = Array.from({ length: 50 }, () => systemIds.uuid());
  const patients = Array.from({ length: 1000 }, () => systemIds.uuid());
  const t0 = performance.now();
  const base = Date.parse('2026-01-01T00:00:00Z');
  // Work items: (chain, first seq, count); each chain is loaded in order by one loader.
  const perChain = Math.ceil(total / chains);
  const tails = Array.from({ length: chains }, () => GENESIS_HASH);
  let next = 0;
  await Promise.all(
    Array.from({ length: loaders }, async (_, loader) => {
      for (let chain = loader; chain < chains; chain += loaders) {
        const count = Math.max(0, Math.min(perChain, total - chain * perChain));
        for (let done = 0; done < count; done += batch) {
          const n = Math.min(batch, count - done);
          const cols: (string | null)[][] = Array.from({ length: 10 }, () => []);
          const prevs: string[] = [];
          const seals: string[] = [];
          for (let i = 0; i < n; i += 1) {
            const seq = done + i + 1;
            const k = next++;
            const id = systemIds.uuid();
            const micros = BigInt(base + k * 100) * 1000n;
            const actor = actors[k % actors.length] as string;
            const patient = patients[k % patients.length] as string;
            const data = JSON.stringify({ k });
            const prev = tails[chain] as Buffer;
            const seal = sealOfFields(key, prev, [String(chain), String(seq), id, String(micros), 'patient.read', 'success', 'user', actor, 'specialist', null, patient, null, 'patient', patient, 'request:bench', 'bench', '10.0.0.1', 'bench', data, '2', String(version)]);
            tails[chain] = seal;
            const row = [String(seq), id, new Date(base + k * 100).toISOString(), actor, patient, data];
            row.forEach((v, j) => cols[j]?.push(v));
            prevs.push(prev.toString('hex'));
            seals.push(seal.toString('hex'));
          }
          await database.pool.query(
            `INSERT INTO audit_event (chain, seq, prev_hash, hash, key_version, schema_version, id, recorded_at, action, outcome, actor_type, actor_id, actor_role, patient_id, subject_type, subject_id, reason, request_id, ip, user_agent, data)
             SELECT $1, s::bigint, decode(p, 'hex'), decode(h, 'hex'), $2, 2, id, at::timestamptz, 'patient.read', 'success', 'user', actor, 'specialist', patient, 'patient', patient::text, 'request:bench', 'bench', '10.0.0.1', 'bench', data::json
             FROM unnest($3::text[], $4::uuid[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY AS x(s, id, at, actor, patient, data, p, h, o)
             ORDER BY o`,
            [chain, version, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], prevs, seals],
          );
        }
      }
    }),
  );
  const loadSeconds = (performance.now() - t0) / 1000;
  await database.pool.query('VACUUM ANALYZE audit_event');
  console.log(`loaded ${total} sealed events in ${loadSeconds.toFixed(1)} s`);
  // CPU of the database's backends, read from /proc (PostgreSQL on this machine): less sensitive to
  // other load on the machine than the elapsed time.
  const backendCpu = async () => {
    const { rows } = await database.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
    const m = new Map<number, number>();
    for (const { pid } of rows) m.set(pid, (await processCpuMs(pid)) ?? 0);
    return m;
  };
  const before = await backendCpu();
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const result = await verifyAuditTrail({ pool: database.pool, keys, exportedHeads: [], concurrency: 4 });
  const verifySeconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  let serverMs = 0;
  for (const [pid, ms] of await backendCpu()) serverMs += ms - (before.get(pid) ?? 0);
  console.log(`audit verify: ${result.events} events in ${result.chains} chains verified in ${verifySeconds.toFixed(2)} s (${Math.round(result.events / verifySeconds)} events/s), ${result.problems.length} problem(s); rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  console.log(`CPU: verifier (Node) ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, PostgreSQL backends ${(serverMs / 1000).toFixed(2)} s; load average ${(await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0]} at the end`);
  if (result.problems.length || result.events !== total) {
    console.log(result.problems.slice(0, 3));
    process.exitCode = 1;
  }
} finally {
  await drop();
}
