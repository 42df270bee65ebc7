import { Pool } from 'undici';

// Load generator for bench/directory.ts, run in its own process so it does not share the server's event
// loop: `connections` keep-alive connections, each sending the next request as soon as the last answered.
// Loopback only.

interface Job {
  origin: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  paths: string[];
}

// The job arrives over IPC (the path list is too long for argv).
const job = await new Promise<Job>((resolve) => process.once('message', (m) => resolve(m as Job)));
if (!job.origin.startsWith('http://127.0.0.1:')) throw new Error('loopback only');
const pool = new Pool(job.origin, { connections: job.connections, pipelining: 1 });
const latencies: number[] = [];
let errors = 0;
let n = 0;
const t0 = performance.now();
const warmEnd = t0 + job.warmupMs;
const end = warmEnd + job.durationMs;

async function worker(i: number): Promise<void> {
  let k = i;
  while (performance.now() < end) {
    const path = job.paths[(k += 7) % job.paths.length] as string;
    const start = performance.now();
    try {
      const res = await pool.request({ path, method: 'GET' });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) errors += 1;
    } catch {
      errors += 1;
    }
    const stop = performance.now();
    if (start >= warmEnd && stop <= end) {
      latencies.push(stop - start);
      n += 1;
    }
  }
}

await Promise.all(Array.from({ length: job.connections }, (_, i) => worker(i)));
await pool.close();
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.send?.({ requests: n, rps: n / (job.durationMs / 1000), p50: q(0.5), p90: q(0.9), p99: q(0.99), max: latencies[latencies.length - 1] ?? NaN, errors });
process.disconnect?.();
