/**
 * Unauthenticated memory amplification (docs/security-input.md): N concurrent anonymous uploads of a
 * large body to the consultation file route, against `distansia serve` on a fresh embedded database,
 * loopback only. Prints the server's resident memory (VmRSS from /proc) before, at its peak and after,
 * and how many bytes each client managed to send before the server answered.
 *
 *   npx tsx bench/body-flood.ts [clients=16] [megabytes=49] [seconds=30]
 *
 * Bounded: one upload per client, each stops at its answer, at the socket's close or after `seconds`.
 */
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const clients = Math.min(Number(process.argv[2] ?? 16), 64);
const megabytes = Math.min(Number(process.argv[3] ?? 49), 200);
const seconds = Math.min(Number(process.argv[4] ?? 30), 120);
const port = 3950 + Math.floor(Math.random() * 40);
const host = '127.0.0.1';
const dataDir = await mkdtemp(join(tmpdir(), 'distansia-bench-flood-'));
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: host, LOG_LEVEL: 'warn', DATABASE_URL: '', OUTBOX_WORKER: 'false' };
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

/** Waits for the socket to drain or close, at most 200 ms, leaving no listener behind. */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket.off('drain', done).off('close', done);
      resolve();
    };
    const timer = setTimeout(done, 200);
    socket.once('drain', done).once('close', done);
  });
}

/** One anonymous upload: headers, then the body in 1 MB writes (respecting backpressure) until the server answers. */
async function flood(path: string, total: number, deadline: number): Promise<{ status: string; sent: number }> {
  const socket = connect(port, host);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  let status = '';
  let closed = false;
  socket.once('data', (d: Buffer) => {
    status = d.toString('latin1').split('\r\n')[0] ?? '';
  });
  socket.once('close', () => {
    closed = true;
  });
  socket.write(`POST ${path} HTTP/1.1\r\nhost: ${host}:${port}\r\ncontent-type: application/dicom\r\ncontent-length: ${total}\r\n\r\n`);
  const block = Buffer.alloc(1024 * 1024, 0x41);
  let sent = 0;
  while (sent < total && !status && !closed && performance.now() < deadline) {
    const n = Math.min(block.length, total - sent);
    const ok = socket.write(n === block.length ? block : block.subarray(0, n));
    sent += n;
    if (!ok) await drained(socket);
  }
  while (!status && !closed && performance.now() < deadline) await sleep(10);
  socket.destroy();
  return { status: status || (closed ? 'closed without answer' : 'no answer'), sent };
}

const child = spawn(process.execPath, ['bin/distansia.mjs', 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  const ready = performance.now() + 120_000;
  for (;;) {
    if (performance.now() > ready) throw new Error('server did not become ready in 120 s');
    try {
      if ((await fetch(`http://${host}:${port}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await sleep(1000);
  const pid = child.pid ?? 0;
  const before = await rssOf(pid);
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssOf(pid));
      await sleep(10);
    }
  })();
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  // A consultation id nobody takes part in: an anonymous caller must be refused before its body is read.
  const results = await Promise.all(Array.from({ length: clients }, () => flood('/api/v1/consultations/0190aaaa-0000-7000-8000-0000000000ff/files?name=x.dcm', megabytes * 1024 * 1024, deadline)));
  const elapsed = (performance.now() - t0) / 1000;
  await sleep(1000);
  sampling = false;
  await sampler;
  const after = await rssOf(pid);
  const statuses = [...new Set(results.map((r) => r.status))].join(', ');
  const maxSent = Math.max(...results.map((r) => r.sent));
  console.log(`${clients} concurrent anonymous ${megabytes} MB uploads in ${elapsed.toFixed(2)} s: answers "${statuses}"; at most ${mb(maxSent)} sent by one client before its answer`);
  console.log(`server resident memory: before ${mb(before)}, peak ${mb(peak)} (+${mb(peak - before)}), after ${mb(after)}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });
}
