import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Icd10Entry } from '../../contracts/records.js';
import * as repo from './records.repo.js';
import { createIcd10Index, parseCl011, parseIcd10Query, searchTextOf, type Icd10Row } from './icd10.js';
import type { RecordsDeps } from './records.deps.js';

/**
 * The ICD-10 catalogue: search as you type, and imports (the NHIS CL011 export, or rows a caller
 * supplies, such as the demo subset).
 * @param deps - the records dependencies
 * @returns the ICD-10 use cases
 */
export function createIcd10Catalogue(deps: RecordsDeps) {
  const { db, clock, audit } = deps;
  // ICD-10 search index in memory, rebuilt after an import here and at most every 5 minutes otherwise
  // (another server process may have imported).
  let icdIndex: { index: ReturnType<typeof createIcd10Index>; loadedAt: number } | undefined;
  async function icd10Index() {
    const now = clock.now().epochMilliseconds;
    if (!icdIndex || now - icdIndex.loadedAt > 5 * 60_000) {
      const rows = await repo.listIcd10(db);
      icdIndex = { index: createIcd10Index(rows.map((r) => ({ code: r.code, titleBg: r.title_bg, titleEn: r.title_en, isChronic: r.is_chronic, source: r.source, searchText: r.search_text }))), loadedAt: now };
    }
    return icdIndex.index;
  }

  // Each doctor's uses per code, kept a minute: a keystroke then costs no database round trip (bench/README.md#records).
  const usesCache = new Map<string, { uses: Map<string, number>; loadedAt: number }>();
  async function usesOf(accountId: string): Promise<Map<string, number>> {
    const now = clock.now().epochMilliseconds;
    const cached = usesCache.get(accountId);
    if (cached && now - cached.loadedAt <= 60_000) return cached.uses;
    const uses = await repo.icd10UsesOf(db, accountId);
    usesCache.delete(accountId);
    // Bounded: the oldest entry goes first (a Map keeps insertion order).
    if (usesCache.size >= 2000) usesCache.delete(usesCache.keys().next().value as string);
    usesCache.set(accountId, { uses, loadedAt: now });
    return uses;
  }

  async function upsert(tx: Queryable, rows: readonly Icd10Row[], source: 'demo' | 'cl011'): Promise<number> {
    icdIndex = undefined;
    return repo.upsertIcd10(tx, rows.map((r) => ({ ...r, searchText: searchTextOf(r) })), source, toDate(clock.now()));
  }

  return {
    /**
     * ICD-10 search as you type: by code prefix, or every word in the Bulgarian/English title (or Latin
     * transliteration), ranked with the searching doctor's own uses (docs/records.md#icd-10-search).
     * @param q - what was typed
     * @param limit - at most this many
     * @param ctx - the searching user; a doctor's signed codes rank first among equal matches
     * @returns the entries, best first
     */
    async searchIcd10(q: string, limit: number, ctx?: RequestCtx): Promise<Icd10Entry[]> {
      const uses = ctx?.actor.type === 'user' && ctx.actor.role === 'specialist' ? await usesOf(ctx.actor.id) : undefined;
      const found = (await icd10Index()).search(parseIcd10Query(q), limit, uses);
      return found.map((r) => ({ code: r.code, titleBg: r.titleBg, titleEn: r.titleEn, isChronic: r.isChronic, source: r.source }));
    },

    /**
     * Imports the NHIS CL011 export (C002 XML or CSV) into the ICD-10 table (CLI `distansia import icd10`).
     * @returns counts
     */
    async importIcd10(ctx: RequestCtx, text: string): Promise<{ imported: number; skipped: number }> {
      const { rows, skipped } = parseCl011(text);
      return withTransaction(db, async (tx) => {
        const imported = await upsert(tx, rows, 'cl011');
        await audit.record(tx, ctx, { action: 'icd10.imported', data: { count: imported, skipped, source: 'cl011' } });
        return { imported, skipped };
      });
    },

    /**
     * Imports entries a caller already holds (the team-written demo subset in src/demo), marked `demo` so a
     * later CL011 import tells them apart.
     * @returns how many rows were written
     */
    async importIcd10Entries(ctx: RequestCtx, rows: readonly Icd10Row[]): Promise<number> {
      return withTransaction(db, async (tx) => {
        const n = await upsert(tx, rows, 'demo');
        await audit.record(tx, ctx, { action: 'icd10.imported', data: { count: n, source: 'demo' } });
        return n;
      });
    },
  };
}
