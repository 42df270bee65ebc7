// A full X001 + X003 round trip against the bundled NHIS simulator over loopback HTTP, the live protocol
// end to end: token challenge (once), every message signed (enveloped XMLDSig, RSA-SHA256, 2048-bit
// key) and its signature checked against the test CA by the simulator. Target: p99 < 50 ms at 20
// concurrent (docs/nhis.md). The simulator runs in the same Node process as the client, so both share
// one event loop: a conservative setup.
// Usage: npx tsx bench/nhis-roundtrip.ts [round trips] [concurrency]
import { performance } from 'node:perf_hooks';
import { systemClock, toDate } from '../src/platform/clock.js';
import { systemIds } from '../src/platform/ids.js';
import { createHttpNhisTransport, createNhisClient, createTestPki, softwareXmlSigner, startNhisHttpSimulator } from '../src/modules/nhis/index.js';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 20);
const pki = await createTestPki({ notBefore: toDate(systemClock.now().subtract({ hours: 1 })) });
const sim = await startNhisHttpSimulator({ clock: systemClock, ids: systemIds, caPem: pki.caPem });
const signer = softwareXmlSigner(pki.doctor.keyPem, pki.doctor.certPem);
const transport = createHttpNhisTransport({ settings: { baseUrl: sim.url, timeoutMs: 10_000, attempts: 1, backoffMs: 100 }, signerFor: () => signer, clock: systemClock });
const client = createNhisClient({ transport, clock: systemClock, ids: systemIds });
const uin = '2300012345';
const subject = { identifierType: 'egn' as const, identifier: '7501020018', birthDate: '1975-01-02', gender: 'female' as const, givenName: 'Мария', familyName: 'Иванова' };
const performer = { uin, qualification: '1020', nhifCode: null, practiceNumber: '2201211001' };
const ignore = () => undefined;

async function roundTrip(i: number): Promise<number> {
  const t0 = performance.now();
  const { nrn } = await client.openExamination(uin, { lrn: `bench-${i}-${systemIds.uuid()}`, openDate: '2026-12-06T08:00:00Z', purpose: 'consultation', subject, performer }, ignore);
  await client.closeExamination(uin, { nrnExamination: nrn, closeDate: '2026-12-06T08:30:00Z', purpose: 'consultation', diagnoses: [{ code: 'I10', rank: 1, clinicalStatus: 'active', verificationStatus: 'confirmed' }], medicalHistory: 'Главоболие от 3 дни', conclusion: 'Контрол след 1 месец' }, ignore);
  return performance.now() - t0;
}

async function run(n: number): Promise<Float64Array> {
  const times = new Float64Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        times[i] = await roundTrip(i);
      }
    }),
  );
  return times.sort();
}

await run(Math.min(200, total)); // warm-up: JIT, the token, keep-alive connections
const started = performance.now();
const times = await run(total);
const seconds = (performance.now() - started) / 1000;
const q = (p: number) => times[Math.min(total - 1, Math.floor(p * total))]!.toFixed(1);
console.log(`X001+X003 over HTTP, signed and verified: ${total} round trips at ${concurrency} concurrent in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s)`);
console.log(`p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  p99 ${q(0.99)} ms  max ${times[total - 1]!.toFixed(1)} ms; tokens issued: ${sim.http.counts().tokens}`);
await transport.close();
await sim.close();
