import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Which module owns which table of a domain process: only the owner's files name it in SQL. Another
// module reads through the owner's published port (e.g. requests' `readRequestFactsIn`). Registry and
// identity reference tables (facility, specialty, practitioner, user_account) are read-only reference
// data and not listed here.

const OWNERS: Record<string, readonly string[]> = {
  requests: ['service_request', 'service_request_event', 'request_attachment', 'appointment', 'emergency_alert'],
  consent: ['consent', 'consent_template', 'consent_presentation', 'identity_verification', 'admissibility_decision'],
  consultation: ['consultation', 'consultation_participant', 'consultation_file', 'consultation_message', 'consultation_recording', 'consultation_recording_chunk', 'consultation_quality_sample'],
  records: ['clinical_document', 'documentation_deadline', 'nhis_submission', 'nhis_attempt', 'practitioner_signing_key', 'icd10_code', 'national_record_fetch'],
  gp: ['gp_registration', 'gp_contract'],
};

/**
 * Foreign reads that stay, each with its reason: `file → table`.
 * - scheduling: a free slot is one no request or appointment holds; the anti-join is the directory's
 *   hot path (bench/README.md) and no port call per slot can replace it.
 * - records/deadlines.repo.ts: the backstop finds completed requests without a deadline row, an
 *   anti-join of the two modules' tables.
 * - records compliance report: counts of consultations and treatment consents for the Art. 17 report.
 */
const ALLOWED = new Set([
  'scheduling/scheduling.repo.ts → service_request',
  'scheduling/scheduling.repo.ts → appointment',
  'records/deadlines.repo.ts → service_request',
  'records/deadlines.repo.ts → service_request_event',
  'records/deadlines.repo.ts → consultation',
  'records/records.repo.ts → consent',
  // The restore check decrypts a random sample of every kind of record in the scratch copy: it reads
  // whatever tables hold ciphertext, by design (Art. 28(1) item 7).
  'backup/restore-check.ts → clinical_document',
  'backup/restore-check.ts → service_request',
]);

const root = join(import.meta.dirname, '../modules');
const owner = new Map(Object.entries(OWNERS).flatMap(([m, tables]) => tables.map((t) => [t, m] as const)));

/** `module/file → table` for every SQL use of a table that another module owns. */
export function foreignTableUses(files: { module: string; file: string; text: string }[]): string[] {
  const out: string[] = [];
  const re = /\b(?:FROM|JOIN|UPDATE|INTO)\s+([a-z_][a-z0-9_]*)\b/gi;
  for (const f of files) {
    for (const m of f.text.matchAll(re)) {
      const table = (m[1] ?? '').toLowerCase();
      const o = owner.get(table);
      if (o && o !== f.module) out.push(`${f.module}/${f.file} → ${table}`);
    }
  }
  return [...new Set(out)].sort();
}

function moduleSources() {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(root, d.name))
        .filter((f) => f.endsWith('.ts') && !/\.test\.ts$/.test(f))
        .map((f) => ({ module: d.name, file: f, text: readFileSync(join(root, d.name, f), 'utf8') })),
    );
}

describe('table ownership (STYLE C6: modules meet through ports)', () => {
  it('no module names another module’s table in SQL, except the listed reasons', () => {
    const uses = foreignTableUses(moduleSources());
    expect(uses.filter((u) => !ALLOWED.has(u))).toEqual([]);
  });

  it('every allowed exception still exists (a removed one is deleted from the list)', () => {
    const uses = new Set(foreignTableUses(moduleSources()));
    expect([...ALLOWED].filter((a) => !uses.has(a))).toEqual([]);
  });

  it('catches a foreign FROM and JOIN in a probe', () => {
    const probe = { module: 'consent', file: 'probe.repo.ts', text: 'sql`SELECT r.id FROM service_request r JOIN clinical_document d ON d.request_id = r.id`; sql`SELECT 1 FROM consent`' };
    expect(foreignTableUses([probe])).toEqual(['consent/probe.repo.ts → clinical_document', 'consent/probe.repo.ts → service_request']);
  });
});
