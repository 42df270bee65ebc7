/**
 * The medicines nomenclature (NHIS CL009 with the NHIF positive-list flags). A small subset written by the
 * Distansia team ships for the demo and the tests (codes `DEMO…`, not NHIS keys); the full list is
 * imported with `distansia import medicines <file>` from the NHIS nomenclature export converted to CSV
 * (docs/referrals.md#medicines). Pure.
 */

/** One medicine, as stored. */
export interface MedicineRow {
  code: string;
  name: string;
  inn: string;
  dosage_form: string;
  strength: string | null;
  pack: string | null;
  atc: string | null;
  nhif_reimbursed: boolean;
  protocol_required: boolean;
  source: string;
}

const DEMO_SOURCE = 'Distansia demo subset (team-written; not the NHIS list)';
const demo = (code: string, name: string, inn: string, form: string, strength: string, pack: string, atc: string, reimbursed: boolean, protocol = false): MedicineRow => ({
  code,
  name,
  inn,
  dosage_form: form,
  strength,
  pack,
  atc,
  nhif_reimbursed: reimbursed,
  protocol_required: protocol,
  source: DEMO_SOURCE,
});

/** The demo subset: common outpatient medicines, with the reimbursement flags the rules need. */
export const MEDICINES_DEMO: readonly MedicineRow[] = [
  demo('DEMO0001', 'Амлодипин 5 mg таблетки x 30', 'amlodipine', 'таблетка', '5 mg', '30', 'C08CA01', true),
  demo('DEMO0002', 'Бизопролол 5 mg таблетки x 30', 'bisoprolol', 'таблетка', '5 mg', '30', 'C07AB07', true),
  demo('DEMO0003', 'Метформин 1000 mg таблетки x 60', 'metformin', 'таблетка', '1000 mg', '60', 'A10BA02', true),
  demo('DEMO0004', 'Аторвастатин 20 mg таблетки x 30', 'atorvastatin', 'таблетка', '20 mg', '30', 'C10AA05', true),
  demo('DEMO0005', 'Лизиноприл 10 mg таблетки x 30', 'lisinopril', 'таблетка', '10 mg', '30', 'C09AA03', true),
  demo('DEMO0006', 'Левотироксин 50 µg таблетки x 50', 'levothyroxine', 'таблетка', '50 µg', '50', 'H03AA01', true),
  demo('DEMO0007', 'Салбутамол 100 µg/доза инхалатор', 'salbutamol', 'суспензия под налягане за инхалация', '100 µg/доза', '200 дози', 'R03AC02', true),
  demo('DEMO0008', 'Парацетамол 500 mg таблетки x 20', 'paracetamol', 'таблетка', '500 mg', '20', 'N02BE01', false),
  demo('DEMO0009', 'Ибупрофен 400 mg таблетки x 20', 'ibuprofen', 'таблетка', '400 mg', '20', 'M01AE01', false),
  demo('DEMO0010', 'Амоксицилин 500 mg капсули x 16', 'amoxicillin', 'капсула', '500 mg', '16', 'J01CA04', false),
  demo('DEMO0011', 'Адалимумаб 40 mg инжекционен разтвор x 2', 'adalimumab', 'инжекционен разтвор', '40 mg', '2', 'L04AB04', true, true),
  demo('DEMO0012', 'Амлодипин 10 mg таблетки x 30', 'amlodipine', 'таблетка', '10 mg', '30', 'C08CA01', true),
];

/** A line the importer could not read. */
export interface ImportIssue {
  line: number;
  problem: string;
}

const TRUE = new Set(['1', 'true', 'да', 'yes', 'y']);

/**
 * Parses the CSV import: `code;name;inn;dosageForm;strength;pack;atc;nhifReimbursed;protocolRequired`
 * (UTF-8, `;`-separated, first line a header). Bad lines are reported, never half-imported.
 * @param text - the file
 * @param source - where it came from (stored with each row)
 * @returns the rows and the problems
 */
export function parseMedicinesCsv(text: string, source: string): { rows: MedicineRow[]; issues: ImportIssue[] } {
  const rows: MedicineRow[] = [];
  const issues: ImportIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const seen = new Set<string>();
  lines.forEach((raw, i) => {
    if (i === 0 || raw.trim() === '') return;
    const f = raw.split(';').map((x) => x.trim());
    const [code = '', name = '', inn = '', form = '', strength = '', pack = '', atc = '', reimbursed = '', protocol = ''] = f;
    if (f.length < 8) return void issues.push({ line: i + 1, problem: 'expected at least 8 fields' });
    if (!/^[0-9A-Za-z-]{1,40}$/.test(code)) return void issues.push({ line: i + 1, problem: 'invalid code' });
    if (!name || !inn || !form) return void issues.push({ line: i + 1, problem: 'name, INN and dosage form are required' });
    if (atc && !/^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$/.test(atc)) return void issues.push({ line: i + 1, problem: 'invalid ATC code' });
    if (seen.has(code)) return void issues.push({ line: i + 1, problem: 'duplicate code' });
    seen.add(code);
    rows.push({ code, name, inn: inn.toLowerCase(), dosage_form: form, strength: strength || null, pack: pack || null, atc: atc || null, nhif_reimbursed: TRUE.has(reimbursed.toLowerCase()), protocol_required: TRUE.has(protocol.toLowerCase()), source });
  });
  return { rows, issues };
}
