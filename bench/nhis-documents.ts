// Build and parse time of the NHIS e-referral and e-prescription messages (R001/R002, P001/P002), the
// target being under 1 ms each (docs/referrals.md). Pure CPU, no database.
// Usage: npx tsx bench/nhis-documents.ts [iterations]
import { performance } from 'node:perf_hooks';
import { fixedClock } from '../src/platform/clock.js';
import { sequentialIds } from '../src/platform/ids.js';
import { buildP001, buildR001, createNhisSimulator, EPRESCRIPTION_PATHS, EREFERRAL_PATHS, parsePrescriptionReply, parseReferralReply } from '../src/modules/nhis/index.js';

const n = Number(process.argv[2] ?? 20000);
const header = { messageId: '0193a000-0000-7000-8000-000000000001', createdOn: '2026-12-07T08:00:00Z', senderId: '0300012345', senderISName: 'Distansia' };
const subject = { identifierType: 'egn' as const, identifier: '7501020018', birthDate: '1975-01-02', gender: 'female' as const, givenName: 'Мария', familyName: 'Иванова' };
const requester = { uin: '0300012345', qualification: '0000', practiceNumber: '2201111001', rhifAreaNumber: '2201' };
const referral = { lrn: header.messageId, authoredOn: '2026-12-07', category: '3' as const, financingSource: '2' as const, qualification: '1020', diagnosisCode: 'I10', note: 'Консултация с кардиолог: ЕКГ и ехокардиография', subject, requester };
const prescription = {
  lrn: header.messageId,
  authoredOn: '2026-12-07',
  category: 'T1' as const,
  financingSource: '2' as const,
  isProtocolBased: false,
  diagnosisCode: 'I10',
  medications: [1, 2, 3].map((i) => ({ medicationCode: `DEMO000${i}`, name: `Лекарство ${i}`, quantity: 1, dosageText: '1 таблетка сутрин', days: 30, substitutionAllowed: true })),
  subject,
  requester,
};
// Real replies, as the bundled simulator answers them.
const sim = createNhisSimulator({ clock: fixedClock(header.createdOn), ids: sequentialIds('be') });
const r002 = (await sim.transport.post(EREFERRAL_PATHS.R001, buildR001(header, referral))).body;
const p002 = (await sim.transport.post(EPRESCRIPTION_PATHS.P001, buildP001(header, prescription))).body;

function measure(label: string, f: () => unknown) {
  for (let i = 0; i < 1000; i += 1) f();
  const times = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    f();
    times[i] = performance.now() - t0;
  }
  times.sort();
  const q = (p: number) => times[Math.min(n - 1, Math.floor(p * n))]!.toFixed(3);
  console.log(`${label.padEnd(12)} p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  max ${times[n - 1]!.toFixed(3)} ms  (${n} runs)`);
}

measure('build R001', () => buildR001(header, referral));
measure('parse R002', () => parseReferralReply(r002));
measure('build P001', () => buildP001(header, prescription));
measure('parse P002', () => parsePrescriptionReply(p002));
