import { fixedClock } from '../src/platform/clock.js';
import { systemCtx } from '../src/platform/auth/request-context.js';
import { createTestApp } from '../src/test/app-harness.js';
import { buildAccessWorld } from '../src/test/access-world.js';
import { completedService, specialistIds, writeAndSign } from '../src/test/records-world.js';
import { seedIcd10Demo } from '../src/demo/icd10-demo.js';

// `Patient/$everything` for a patient with 50 signed documents (docs/fhir.md; target under 100 ms).
// The documents are written and signed through the HTTP app, as a specialist would; then the patient asks
// for `$everything` REQUESTS times, one after another, through the same app (no network: Fastify inject).
// Reports p50/p99 and the server's CPU per request (this process: app and PGlite, or app only with
// PostgreSQL, whose CPU is in its own processes).
//   PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/fhir-everything.ts
//   PGlite:     npx tsx bench/fhir-everything.ts
// Options (env): BENCH_DOCUMENTS (50), BENCH_REQUESTS (30).

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30);

const clock = fixedClock('2026-11-24T08:00:00Z');
const t = await createTestApp({ clock, env: { SESSION_IDLE_MINUTES: '1440', SESSION_ABSOLUTE_HOURS: '168' } });
try {
  const w = await buildAccessWorld(t);
  await seedIcd10Demo(t.deps.records, systemCtx('bench'));
  const { withCare, withGrant } = await specialistIds(t, w);
  const t0 = performance.now();
  for (let i = 0; i < DOCUMENTS; i += 1) {
    const requestId = await completedService(t, w, { practitionerId: withCare, otherPractitionerId: withGrant, completedAt: '2026-11-24T07:30:00Z', now: clock.now().toString() });
    await writeAndSign(w, clock, requestId);
  }
  console.log(`setup: ${DOCUMENTS} signed documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const url = `/fhir/R4/Patient/${w.patientA.id}/$everything`;
  const warm = await w.as('patientA', { method: 'GET', url });
  const entries = (warm.json<{ entry: unknown[] }>().entry ?? []).length;
  if (warm.statusCode !== 200 || entries < DOCUMENTS + 1) throw new Error(`$everything answered ${warm.statusCode} with ${entries} entries`);
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i += 1) {
    const s = performance.now();
    const res = await w.as('patientA', { method: 'GET', url });
    times.push(performance.now() - s);
    if (res.statusCode !== 200) throw new Error(`$everything answered ${res.statusCode}`);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`$everything, ${DOCUMENTS} documents (${entries} entries, ${(warm.body.length / 1024).toFixed(0)} KiB), ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, CPU of this process ${((cpu.user + cpu.system) / 1000 / REQUESTS).toFixed(1)} ms/request`);
} finally {
  await t.close();
}
