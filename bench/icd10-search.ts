/**
 * Performance: ICD-10 search as you type, p99 under 10 ms, over a CL011-sized list (the demo
 * subset plus ~12,000 generated codes with Bulgarian and English titles), through the records service.
 * Run: npx tsx bench/icd10-search.ts            (embedded PGlite)
 *      DATABASE_URL=… npx tsx bench/icd10-search.ts   (PostgreSQL)
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../src/platform/db/testing.js';
import { fixedClock } from '../src/platform/clock.js';
import { systemIds } from '../src/platform/ids.js';
import { systemCtx, type RequestCtx } from '../src/platform/auth/request-context.js';
import { createRecordsService, searchTextOf } from '../src/modules/records/index.js';
import { seedIcd10Demo } from '../src/demo/icd10-demo.js';

const database = await createTestDatabase();
const db = database.db;
const clock = fixedClock('2026-11-25T08:00:00Z');
const unused = new Proxy({}, { get: () => () => { throw new Error('not used by search'); } }) as never;
const audit = { record: async () => undefined, recordStandalone: async () => undefined, appendWith: () => Promise.reject(new Error('not used by search')) };
const records = createRecordsService({ db, clock, ids: systemIds, keyring: unused, audit, policy: unused, patients: unused, outbox: unused, stepUp: unused, nationalRecord: unused });
try {
  await seedIcd10Demo(records, systemCtx('bench'));
  const words = ['остър', 'хроничен', 'инфекция', 'болест', 'синдром', 'нарушение', 'увреждане', 'тумор', 'възпаление', 'травма', 'дихателни', 'сърце', 'бъбрек', 'кожа', 'става'];
  const en = ['acute', 'chronic', 'infection', 'disease', 'syndrome', 'disorder', 'injury', 'tumour', 'inflammation', 'trauma', 'respiratory', 'heart', 'kidney', 'skin', 'joint'];
  const rows = [];
  for (let i = 0; i < 12_000; i += 1) {
    const letter = String.fromCharCode(65 + (i % 26));
    const code = `${letter}${String(Math.floor(i / 26) % 100).padStart(2, '0')}.${i % 10}${Math.floor(i / 2600)}`;
    const a = i % words.length;
    const b = (i * 7) % words.length;
    const r = { code, titleBg: `${words[a]} ${words[b]} ${i}`, titleEn: `${en[a]} ${en[b]} ${i}` };
    rows.push(sql`(${r.code}, ${r.titleBg}, ${r.titleEn}, NULL, 'cl011', ${searchTextOf(r)}, now())`);
  }
  for (let i = 0; i < rows.length; i += 1000) await db.execute(sql`INSERT INTO icd10_code (code, title_bg, title_en, is_chronic, source, search_text, updated_at) VALUES ${sql.join(rows.slice(i, i + 1000), sql`, `)} ON CONFLICT DO NOTHING`);
  await db.execute(sql`ANALYZE icd10_code`);
  const count = (await db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM icd10_code`)).rows[0]?.n;

  // What a specialist types, one keystroke at a time.
  const typed = ['хипертония', 'остър фарингит', 'J06.9', 'I10', 'glavobolie', 'hypertension', 'пневмония', 'диабет тип', 'K29', 'болка в кръста'];
  const queries = typed.flatMap((t) => Array.from({ length: t.length }, (_, k) => t.slice(0, k + 1)).filter((q) => q.trim().length >= 2));
  // A specialist searches: each keystroke also reads the doctor's signed uses per code (the ranking).
  const doctor: RequestCtx = { ...systemCtx('bench'), actor: { type: 'user', id: systemIds.uuid(), role: 'specialist', sessionId: 'bench', facilityIds: [] } };
  for (const q of queries) await records.searchIcd10(q, 15, doctor); // warm-up
  const times: number[] = [];
  for (let round = 0; round < 10; round += 1) {
    for (const q of queries) {
      const s = performance.now();
      await records.searchIcd10(q, 15, doctor);
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]?.toFixed(2);
  console.log(`${database.kind}: ${count} codes, ${times.length} as-you-type searches: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${times.at(-1)?.toFixed(2)} ms`);
  if (Number(pct(99)) >= 10) process.exitCode = 1;
} finally {
  await database.close();
}
