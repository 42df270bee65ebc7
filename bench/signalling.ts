/**
 * Signalling capacity and relay latency: one server process (bench/signalling-server.ts) holds
 * `rooms` x 2 authenticated WebSocket connections (session cookie + origin check + a join through the
 * consultation service with its audit row each), then `active` rooms exchange signalling messages
 * (`rate` per direction per second, random phase) for `seconds`. Loopback only, bounded in time.
 *
 *   npx tsx bench/signalling.ts [rooms=2500] [active=1000] [seconds=20] [rate=2] [warmup=5]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test runs the server on PostgreSQL (LISTEN/NOTIFY
 *   bus) in a fresh database created there and dropped afterwards; default: embedded PGlite.
 *
 * Reports: connections held, join time, the server's resident memory idle and under load, messages
 * relayed, relay latency p50/p95/p99/max (sender timestamp → receiver, both in this process), losses,
 * and how the server relayed them (directly on the node, or through the bus to other processes).
 * Latency is reported for the whole run and for the run after the first `warmup` seconds of traffic
 * (JIT compilation of the hot path, the first GCs after 5,000 joins); the target is judged on the latter.
 * File descriptors: each side needs one per connection (ulimit -n ≥ 6000; it is 20000 here). If yours is
 * lower, run `ulimit -n 65536` in the shell first (hard limit permitting).
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { postgresCpu, postgresCpuSince } from './postgres-cpu.js';

const rooms = Number(process.argv[2] ?? 2500);
const active = Math.min(rooms, Number(process.argv[3] ?? 1000));
const seconds = Number(process.argv[4] ?? 20);
const rate = Number(process.argv[5] ?? 2);
const warmup = Number(process.argv[6] ?? 5);
const adminUrl = process.env.BENCH_DATABASE_URL;

interface Ready {
  port: number;
  rooms: { consultationId: string; tokens: readonly [string, string] }[];
  database: string;
}
interface Rss {
  rss: number;
  /** the server process's CPU time so far */
  cpuMs: number;
  /** the server's event-loop delay p99 and maximum since traffic started */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** the server's garbage-collection pauses since traffic started */
  gc: { count: number; totalMs: number; maxMs: number };
  /** The hub's counters: messages delivered on the node without the bus, sent to it, received from it. */
  hub: { connections: number; rooms: number; direct: number; published: number; fromBus: number };
}

interface Client {
  ws: WebSocket;
  connId: string;
  peer?: string;
}

function pct(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'distansia-bench-signal-'));
  let databaseUrl: string | undefined;
  const dbName = `distansia_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(statement);
    await c.end();
  };
  if (adminUrl) {
    await admin(`CREATE DATABASE ${dbName}`);
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const child = fork(new URL('./signalling-server.ts', import.meta.url).pathname, [dataDir, String(rooms), ...(databaseUrl ? [databaseUrl] : [])], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(msg: string, pred: (m: unknown) => boolean) =>
    new Promise<T>((resolve) => {
      const on = (m: unknown) => {
        if (pred(m)) {
          child.off('message', on);
          resolve(m as T);
        }
      };
      child.on('message', on);
      if (msg) child.send(msg);
    });
  const t0 = performance.now();
  const ready = await ask<Ready>('', (m) => typeof m === 'object' && m !== null && 'port' in m);
  console.log(`server ready on ${ready.database} with ${rooms} consultations (${((performance.now() - t0) / 1000).toFixed(1)} s incl. migrations and seed)`);
  const rss = () => ask<Rss>('rss', (m) => typeof m === 'object' && m !== null && 'rss' in m);
  const baseRss = await rss();

  const origin = `http://127.0.0.1:${ready.port}`;
  const clients: Client[][] = ready.rooms.map(() => []);
  const latencies = new Float64Array(Math.ceil(active * 2 * rate * (seconds + 2)) + 1000);
  const sentAtOf = new Float64Array(latencies.length);
  let received = 0;
  let sent = 0;

  function connect(roomIndex: number, side: 0 | 1): Promise<void> {
    const room = ready.rooms[roomIndex]!;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${ready.port}/api/v1/consultations/${room.consultationId}/signal`, {
        headers: { cookie: `distansia_session=${room.tokens[side]}`, origin },
        perMessageDeflate: false,
      });
      const client: Client = { ws, connId: '' };
      ws.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as { t: string; connId?: string; peer?: { connId: string }; data?: { sentAt?: number } };
        if (m.t === 'welcome') {
          client.connId = m.connId ?? '';
          clients[roomIndex]![side] = client;
          resolve();
        } else if (m.t === 'peer' && m.peer) client.peer = m.peer.connId;
        else if (m.t === 'signal' && typeof m.data?.sentAt === 'number') {
          if (received < latencies.length) {
            latencies[received] = performance.now() - m.data.sentAt;
            sentAtOf[received] = m.data.sentAt;
          }
          received += 1;
        }
      });
      ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.on('error', reject);
    });
  }

  // Join everyone, 64 upgrades at a time.
  const tj = performance.now();
  const jobs: (() => Promise<void>)[] = [];
  for (let i = 0; i < rooms; i += 1) jobs.push(() => connect(i, 0), () => connect(i, 1));
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        await job();
      }
    }),
  );
  const joinSeconds = (performance.now() - tj) / 1000;
  // Every active pair must know the other's connection before traffic starts.
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && clients.slice(0, active).some((c) => !c[0]?.peer || !c[1]?.peer)) await sleep(100);
  const idle = await rss();
  console.log(`connections held: ${idle.hub.connections} in ${idle.hub.rooms} rooms; joined in ${joinSeconds.toFixed(1)} s (${((rooms * 2) / joinSeconds).toFixed(0)}/s)`);
  console.log(`server resident memory: ${mb(baseRss.rss)} before connections, ${mb(idle.rss)} with ${idle.hub.connections} connections`);

  // Traffic: each side of each active room sends `rate` messages a second with a random phase.
  const timers: NodeJS.Timeout[] = [];
  const payload = 'a=candidate:1 1 udp 2122260223 192.168.1.20 50000 typ host generation 0 ufrag abcd network-id 1';
  for (const pair of clients.slice(0, active)) {
    for (const side of [0, 1] as const) {
      const me = pair[side]!;
      const to = me.peer!;
      const start = setTimeout(() => {
        timers.push(
          setInterval(() => {
            me.ws.send(JSON.stringify({ t: 'signal', to, data: { candidate: payload, sentAt: performance.now() } }));
            sent += 1;
          }, 1000 / rate),
        );
      }, Math.random() * (1000 / rate));
      timers.push(start);
    }
  }
  let peakRss = idle.rss;
  const tt = performance.now();
  const clientCpu0 = process.cpuUsage();
  const pgCpu0 = await postgresCpu();
  // Event-loop delay on both sides: a blocked loop (GC, other work, no CPU) delays every message.
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  child.send('eld-start');
  while (performance.now() - tt < seconds * 1000) {
    await sleep(2000);
    peakRss = Math.max(peakRss, (await rss()).rss);
  }
  for (const t of timers) clearInterval(t);
  const wall = performance.now() - tt;
  const after = await rss();
  const clientCpu = process.cpuUsage(clientCpu0);
  const pgCpu = postgresCpuSince(pgCpu0, await postgresCpu());
  await sleep(1000);
  const n = Math.min(received, latencies.length);
  const sorted = latencies.slice(0, n).sort();
  // The same figures per 5-second window, to tell warm-up and outside interference from steady state.
  const windows: string[] = [];
  for (let w = 0; w < seconds; w += 5) {
    const from = tt + w * 1000;
    const sel = latencies.slice(0, n).filter((_, i) => sentAtOf[i]! >= from && sentAtOf[i]! < from + 5000).sort();
    windows.push(`${w}-${w + 5} s: p50 ${pct(sel, 50).toFixed(1)} / p99 ${pct(sel, 99).toFixed(1)} ms`);
  }
  console.log(`traffic: ${active} rooms x 2 directions x ${rate}/s for ${seconds} s: sent ${sent}, relayed ${received} (${(received / seconds).toFixed(0)}/s), lost ${sent - received}`);
  console.log(`relay latency, whole run: p50 ${pct(sorted, 50).toFixed(2)} ms, p95 ${pct(sorted, 95).toFixed(2)} ms, p99 ${pct(sorted, 99).toFixed(2)} ms, max ${pct(sorted, 100).toFixed(2)} ms`);
  const steady = latencies.slice(0, n).filter((_, i) => sentAtOf[i]! >= tt + warmup * 1000).sort();
  console.log(`relay latency after ${warmup} s warm-up (${steady.length} messages): p50 ${pct(steady, 50).toFixed(2)} ms, p95 ${pct(steady, 95).toFixed(2)} ms, p99 ${pct(steady, 99).toFixed(2)} ms, max ${pct(steady, 100).toFixed(2)} ms`);
  console.log(`per window: ${windows.join('; ')}`);
  // Both parties of every room are on this one process: the relay must not touch the bus at all.
  console.log(`paths during traffic: ${after.hub.direct - idle.hub.direct} delivered on the node directly, ${after.hub.published - idle.hub.published} sent to the bus, ${after.hub.fromBus - idle.hub.fromBus} received from it`);
  // Tricky: one stall of a second is one sample of the histogram, so its p99 hides it; the maximum shows it.
  console.log(
    `event-loop delay during traffic: server p99 ${after.loopDelayP99Ms.toFixed(1)} ms, max ${after.loopDelayMaxMs.toFixed(0)} ms; benchmark clients p99 ${(eld.percentile(99) / 1e6).toFixed(1)} ms, max ${(eld.max / 1e6).toFixed(0)} ms`,
  );
  console.log(`server GC during traffic: ${after.gc.count} pauses, ${after.gc.totalMs.toFixed(0)} ms in all, longest ${after.gc.maxMs.toFixed(1)} ms`);
  console.log(`server resident memory under load: peak ${mb(peakRss)}`);
  console.log(`CPU during traffic: server ${((100 * (after.cpuMs - idle.cpuMs)) / wall).toFixed(0)} %, benchmark clients ${((100 * (clientCpu.user + clientCpu.system)) / 1000 / wall).toFixed(0)} %${adminUrl ? `, PostgreSQL ${((100 * pgCpu) / wall).toFixed(0)} %` : ''} of one core (2 cores shared with whatever else runs: load average ${loadavg()[0]?.toFixed(1)})`);
  const ok = idle.hub.connections >= 5000 && peakRss < 1024 ** 3 && pct(steady, 99) < 10 && sent === received;
  console.log(ok ? 'PASS: ≥ 5,000 connections, < 1 GB, p99 < 10 ms after warm-up, nothing lost' : 'FAIL: see the figures above (targets: ≥ 5,000 connections, < 1 GB, p99 < 10 ms)');

  for (const pair of clients) for (const c of pair) c?.ws.terminate();
  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });
  if (adminUrl) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
