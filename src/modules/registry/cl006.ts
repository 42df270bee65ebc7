import { readNomenclatureEntries } from '../nhis/index.js';

/**
 * Parses the NHIS specialty nomenclature CL006 for `distansia import specialties <file>`. Pure.
 *
 * Accepted inputs:
 *  - the C002 reply of NHIS C001 (`/v1/nomenclatures/all/get` with `nomenclatureId` CL006): one
 *    `nhis:entry` per code with `nhis:key@value`, `nhis:description@value` and `nhis:meta` pairs
 *    (`nhis:name@value`, `nhis:value@value`); the metas `nhif code` and `DescriptionEn` are read
 *    (domain digest §2.5, §3 [3P]);
 *  - a JSON array of `{ code, name | nameBg, nameEn?, nhifCode?, doc? }` (the OpenPrescription shape).
 *
 * Regulatory: dentist qualifications are the 2xxx and 3xxx codes (OpenPrescription `doc: 2`); an
 * existing `dental` flag is never cleared by an import (1080 "Dental imaging" is a physician code).
 */

export interface Cl006Entry {
  code: string;
  nameBg: string;
  nameEn: string | null;
  nhifCode: string | null;
  dental: boolean;
}

function normaliseCode(raw: string | number): string | undefined {
  const s = String(raw).trim();
  if (!/^\d{1,4}$/.test(s)) return undefined;
  return s.padStart(4, '0');
}

function normaliseNhif(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const s = String(raw).trim();
  return /^\d{1,2}$/.test(s) ? s.padStart(2, '0') : null;
}

const isDentalCode = (code: string) => code.startsWith('2') || code.startsWith('3');

/**
 * @param text - file content (XML C002 reply or JSON)
 * @returns the entries, unique by code, sorted
 * @throws {Error} when the content has no entries or an entry has no usable code or name
 */
export function parseCl006(text: string): Cl006Entry[] {
  const trimmed = text.trim();
  const entries: Cl006Entry[] = [];
  if (trimmed.startsWith('[')) {
    const rows = JSON.parse(trimmed) as unknown;
    if (!Array.isArray(rows)) throw new Error('Expected a JSON array');
    for (const [i, r] of rows.entries()) {
      const row = r as Record<string, unknown>;
      const code = normaliseCode(row.code as string | number);
      const name = String(row.nameBg ?? row.name ?? '').trim();
      if (!code || !name) throw new Error(`Entry ${i + 1}: needs a 4-digit code and a name`);
      entries.push({ code, nameBg: name, nameEn: typeof row.nameEn === 'string' ? row.nameEn : null, nhifCode: normaliseNhif(row.nhifCode), dental: String(row.doc) === '2' || isDentalCode(code) });
    }
  } else {
    for (const [i, e] of (readNomenclatureEntries(trimmed) ?? []).entries()) {
      const code = normaliseCode(e.key ?? '');
      const name = e.description?.trim();
      if (!code || !name) throw new Error(`Entry ${i + 1}: needs a key and a description`);
      entries.push({ code, nameBg: name, nameEn: e.meta.get('descriptionen') ?? null, nhifCode: normaliseNhif(e.meta.get('nhif code')), dental: isDentalCode(code) });
    }
  }
  if (entries.length === 0) throw new Error('No CL006 entries found');
  const byCode = new Map(entries.map((e) => [e.code, e]));
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}
