/**
 * Restart time on an existing data directory: spawns `distansia serve` on a seeded embedded database
 * and measures the time until GET /health/ready answers 200 (process start → ready).
 *
 *   npx tsx bench/startup.ts [runs=7]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const runs = Number(process.argv[2] ?? 7);
const port = 3900 + Math.floor(Math.random() * 50);
const dataDir = await mkdtemp(join(tmpdir(), 'distansia-bench-startup-'));
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '' };

async function startAndTime(command: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/distansia.mjs', command], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = t0 + 120_000;
  try {
    for (;;) {
      if (performance.now() > deadline) throw new Error('server did not become ready in 120 s');
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await sleep(20);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

try {
  const first = await startAndTime('demo');
  console.log(`first start with demo seeding (initdb + migrations + seed): ${(first / 1000).toFixed(2)} s`);
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await startAndTime('serve'));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(`restart on existing data directory, ${runs} runs: median ${(median / 1000).toFixed(2)} s, min ${((times[0] ?? 0) / 1000).toFixed(2)} s, max ${((times.at(-1) ?? 0) / 1000).toFixed(2)} s`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
