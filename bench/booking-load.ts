import { Pool } from 'undici';

// Load generator for bench/booking.ts, in its own process so it does not share the server's event
// loop. Each connection books with its own authenticated session. Loopback only.

interface Job {
  origin: string;
  mode: 'distinct' | 'contend' | 'mixed';
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** slot ids: consumed in order (distinct), all on one (contend), or picked at random (mixed) */
  slots: string[];
  sessions: Record<string, string>[];
  body: Record<string, unknown>;
}

const job = await new Promise<Job>((resolve) => process.once('message', (m) => resolve(m as Job)));
if (!job.origin.startsWith('http://127.0.0.1:')) throw new Error('loopback only');
const pool = new Pool(job.origin, { connections: job.connections, pipelining: 1 });
const latencies: number[] = [];
const statuses: Record<string, number> = {};
const codes: Record<string, number> = {};
let next = 0;
const t0 = performance.now();
const warmEnd = t0 + job.warmupMs;
const end = warmEnd + job.durationMs;

async function post(i: number, slotId: string): Promise<void> {
  const start = performance.now();
  let status = 0;
  let code: string | undefined;
  try {
    const res = await pool.request({
      path: '/api/v1/requests',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...job.sessions[i % job.sessions.length] },
      body: JSON.stringify({ ...job.body, slotId }),
    });
    status = res.statusCode;
    const text = await res.body.text();
    if (status !== 201) code = (JSON.parse(text) as { code?: string }).code ?? 'unknown';
  } catch {
    status = -1;
  }
  const stop = performance.now();
  if (job.mode === 'contend' || (start >= warmEnd && stop <= end)) {
    latencies.push(stop - start);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (code) codes[code] = (codes[code] ?? 0) + 1;
  }
}

async function worker(i: number): Promise<void> {
  while (performance.now() < end) {
    if (job.mode === 'distinct') {
      const slot = job.slots[next++];
      if (!slot) break;
      await post(i, slot);
    } else {
      await post(i, job.slots[Math.floor(Math.random() * job.slots.length)] as string);
    }
  }
}

if (job.mode === 'contend') {
  await Promise.all(Array.from({ length: job.connections }, (_, i) => post(i, job.slots[0] as string)));
} else {
  await Promise.all(Array.from({ length: job.connections }, (_, i) => worker(i)));
}
await pool.close();
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
const ok = statuses['201'] ?? 0;
process.send?.({ cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000, requests: latencies.length, ok, okPerSecond: ok / (job.durationMs / 1000), statuses, codes, p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] ?? NaN, usedSlots: next });
process.disconnect?.();
