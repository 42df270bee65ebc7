import { readNomenclatureEntries } from '../nhis/index.js';

/**
 * ICD-10 (МКБ-10) helpers: search text, the Bulgarian→Latin transliteration used to find Bulgarian titles
 * typed in Latin, and the parsers of the NHIS nomenclature CL011 export. Pure.
 */

/** One code list entry, ready to store. */
export interface Icd10Row {
  code: string;
  titleBg: string;
  titleEn: string | null;
  isChronic: boolean | null;
}

// Regulatory: the Transliteration Act (Закон за транслитерацията, ДВ бр. 19/2009), Art. 3; ъ → a, щ → sht.
const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sht', ъ: 'a', ь: 'y', ю: 'yu', я: 'ya',
};

/**
 * Latin transliteration of Bulgarian text (lower case).
 * @param text - Bulgarian text
 * @returns the transliteration
 */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) out += TRANSLIT[ch] ?? ch;
  return out;
}

/**
 * The text the trigram index searches: code, both titles and the transliterated Bulgarian title.
 * @param row - the entry
 * @returns lower-case search text
 */
export function searchTextOf(row: Pick<Icd10Row, 'code' | 'titleBg' | 'titleEn'>): string {
  return [row.code, row.code.replace('.', ''), row.titleBg, row.titleEn ?? '', transliterate(row.titleBg)].join(' ').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A search query: a code prefix (`j06`, `J06.9`) or words. */
export type Icd10Query = { kind: 'code'; prefix: string } | { kind: 'text'; terms: string[] };

/**
 * Reads what the user typed.
 * @param q - the input
 * @returns a code-prefix query when it looks like a code, word terms otherwise
 */
export function parseIcd10Query(q: string): Icd10Query {
  const t = q.trim();
  if (/^[A-Za-z][0-9]{0,2}(\.[0-9A-Za-z]{0,4})?$/.test(t) && /[0-9]/.test(t)) return { kind: 'code', prefix: t.toUpperCase() };
  const terms = t
    .toLowerCase()
    .split(/[\s,;]+/)
    .map((w) => w.replace(/[%_\\]/g, ''))
    .filter((w) => w.length > 0)
    .slice(0, 5);
  return { kind: 'text', terms };
}

const CODE_RE = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?[+*]?$/;

export class Icd10ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Icd10ImportError';
  }
}

/**
 * Parses the NHIS CL011 export: the C002 reply XML (`nhis:nomenclature/nhis:entry` with `key`,
 * `description` and `meta` name/value pairs such as `DescriptionEn` and `is_chronic`), or a CSV/TSV with
 * a header row naming `key`/`code`, `description`/`title_bg` and optionally `descriptionEn`/`title_en`,
 * `is_chronic`. Entries that are not single codes (chapter or block ranges such as `A00-A09`) are skipped.
 * @param text - the file contents
 * @returns the rows and how many entries were skipped
 * @throws {Icd10ImportError} when the format is not recognised or no entry is valid
 */
export function parseCl011(text: string): { rows: Icd10Row[]; skipped: number } {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  const raw = trimmed.startsWith('<') ? fromXml(trimmed) : fromDelimited(trimmed);
  const rows: Icd10Row[] = [];
  let skipped = 0;
  const seen = new Set<string>();
  for (const r of raw) {
    const code = r.code.trim().toUpperCase();
    const titleBg = r.titleBg.trim();
    if (!CODE_RE.test(code) || !titleBg || seen.has(code)) {
      skipped += 1;
      continue;
    }
    seen.add(code);
    rows.push({ code, titleBg: titleBg.slice(0, 500), titleEn: r.titleEn?.trim() ? r.titleEn.trim().slice(0, 500) : null, isChronic: r.isChronic });
  }
  if (rows.length === 0) throw new Icd10ImportError('no ICD-10 entries found');
  return { rows, skipped };
}

const truthy = (s: string | undefined): boolean | null => (s === undefined || s === '' ? null : /^(1|true|yes|да)$/i.test(s.trim()));

function fromXml(xml: string): { code: string; titleBg: string; titleEn: string | null; isChronic: boolean | null }[] {
  const entries = readNomenclatureEntries(xml);
  if (!entries) throw new Icd10ImportError('no nhis:nomenclature element');
  return entries.map((e) => ({ code: e.key ?? '', titleBg: e.description ?? '', titleEn: e.meta.get('descriptionen') ?? null, isChronic: truthy(e.meta.get('is_chronic')) }));
}

function splitLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function fromDelimited(text: string): { code: string; titleBg: string; titleEn: string | null; isChronic: boolean | null }[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines[0] ?? '';
  const sep = head.includes('\t') ? '\t' : head.includes(';') ? ';' : ',';
  const cols = splitLine(head, sep).map((c) => c.trim().toLowerCase());
  const idx = (...names: string[]) => cols.findIndex((c) => names.includes(c));
  const iCode = idx('key', 'code', 'код');
  const iBg = idx('description', 'title_bg', 'description_bg', 'наименование');
  const iEn = idx('descriptionen', 'description_en', 'title_en');
  const iChronic = idx('is_chronic', 'chronic');
  if (iCode < 0 || iBg < 0) throw new Icd10ImportError('the header must name the code (key) and the Bulgarian title (description) columns');
  return lines.slice(1).map((l) => {
    const f = splitLine(l, sep);
    return { code: f[iCode] ?? '', titleBg: f[iBg] ?? '', titleEn: iEn >= 0 ? (f[iEn] ?? null) : null, isChronic: iChronic >= 0 ? truthy(f[iChronic]) : null };
  });
}

/** One searchable entry of the in-memory index. */
export interface Icd10IndexEntry extends Icd10Row {
  source: 'demo' | 'cl011';
  searchText: string;
}

/** Words of a title, space-separated with a leading space, so a word start is `includes(' ' + term)`. */
function wordsOf(...texts: string[]): string {
  return ` ${texts.join(' ').toLowerCase().replace(/[^\p{L}\p{N}.]+/gu, ' ')} `;
}

/**
 * The ranking key of a word hit, smaller first (docs/records.md#icd-10-search): a code that starts with a
 * term; then every term at the start of a word of the title ("хиперт" → "хипертония", not the middle of
 * "тиреотоксикоза"); then how often this doctor signed the code; then a title that starts with the
 * first term; then the shorter title.
 */
type RankKey = readonly [number, number, number, number];
function before(a: RankKey, b: RankKey): boolean {
  for (let i = 0; i < 4; i += 1) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  return false;
}

/**
 * An in-memory search index over the ICD-10 table (~12,000 CL011 codes fit in a few MB): as-you-type
 * searches then cost no database round trip, whatever the query length (trigram indexes cannot serve
 * one- and two-letter terms). Pure; the service rebuilds it after an import and every few minutes.
 * @param entries - all codes
 * @returns search by a parsed query, ranked with the doctor's uses per code
 */
export function createIcd10Index(entries: readonly Icd10IndexEntry[]) {
  const byCode = [...entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const prepared = byCode.map((e) => ({ e, bg: e.titleBg.toLowerCase(), en: (e.titleEn ?? '').toLowerCase(), words: wordsOf(e.titleBg, e.titleEn ?? '', transliterate(e.titleBg)), code: e.code.toLowerCase() }));
  const NO_USES: ReadonlyMap<string, number> = new Map();
  return {
    size: byCode.length,
    /**
     * @param query - a parsed query
     * @param limit - at most this many
     * @param uses - how often the searching doctor signed each code (ranks equal matches)
     * @returns the best matches, best first
     */
    search(query: Icd10Query, limit: number, uses: ReadonlyMap<string, number> = NO_USES): Icd10IndexEntry[] {
      if (query.kind === 'code') {
        // Binary search for the first code ≥ prefix, then walk while it matches.
        let lo = 0;
        let hi = byCode.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((byCode[mid]?.code ?? '') < query.prefix) lo = mid + 1;
          else hi = mid;
        }
        const out: Icd10IndexEntry[] = [];
        // Without uses the code order is the ranking: stop at the limit; with uses, rank the whole range.
        const cap = uses.size === 0 ? limit : Number.POSITIVE_INFINITY;
        for (let i = lo; i < byCode.length && out.length < cap; i += 1) {
          const e = byCode[i];
          if (!e?.code.startsWith(query.prefix)) break;
          out.push(e);
        }
        if (uses.size === 0) return out;
        // Stable sort: equal uses keep the code order.
        return out.sort((a, b) => (uses.get(b.code) ?? 0) - (uses.get(a.code) ?? 0)).slice(0, limit);
      }
      if (query.terms.length === 0) return [];
      const first = query.terms[0] ?? '';
      // Top-k selection with precomputed keys: no full sort of thousands of hits for a two-letter term.
      const top: { e: Icd10IndexEntry; key: RankKey }[] = [];
      for (let i = 0; i < prepared.length; i += 1) {
        const p = prepared[i] as (typeof prepared)[number];
        if (!query.terms.every((t) => p.e.searchText.includes(t))) continue;
        const key: RankKey = [
          query.terms.some((t) => p.code.startsWith(t)) ? 0 : query.terms.every((t) => p.words.includes(` ${t}`)) ? 1 : 2,
          -(uses.get(p.e.code) ?? 0),
          p.bg.startsWith(first) || p.en.startsWith(first) ? 0 : 1,
          p.e.titleBg.length,
        ];
        if (top.length === limit) {
          const last = top[top.length - 1] as (typeof top)[number];
          if (!before(key, last.key)) continue;
          top.pop();
        }
        let j = top.length;
        while (j > 0 && before(key, (top[j - 1] as (typeof top)[number]).key)) j -= 1;
        top.splice(j, 0, { e: p.e, key });
      }
      return top.map((x) => x.e);
    },
  };
}
