import type { Query } from './search-params.js';

type Json = Record<string, unknown>;

/**
 * `self`, `next` and `previous` links of a page (FHIR R4 §3.1.1.5 paging with `_count` and `_offset`).
 * @param url - the search URL without query (`{base}/{type}`)
 * @param q - the query as asked
 * @param count - the page size
 * @param offset - where this page starts
 * @param hasMore - whether another page follows
 * @returns the Bundle links
 */
export function pageLinks(url: string, q: Query, count: number, offset: number, hasMore: boolean): { relation: string; url: string }[] {
  const link = (off: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) {
      if (k === '_offset' || k === '_count' || v === undefined) continue;
      for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    }
    params.set('_count', String(count));
    if (off > 0) params.set('_offset', String(off));
    return `${url}?${params.toString()}`;
  };
  return [{ relation: 'self', url: link(offset) }, ...(hasMore ? [{ relation: 'next', url: link(offset + count) }] : []), ...(offset > 0 ? [{ relation: 'previous', url: link(Math.max(0, offset - count)) }] : [])];
}

/**
 * One page of matches already in memory (a patient's resources: tens, not thousands) as a `searchset`.
 * @param url - the search URL without query
 * @param q - the query as asked
 * @param matches - every match, in the order to page
 * @param count - the page size
 * @param offset - where this page starts
 * @returns the Bundle (no `total`: counting is not promised, docs/fhir.md)
 */
export function searchsetOf(url: string, q: Query, matches: readonly { fullUrl?: string; resource: Json }[], count: number, offset: number): Json {
  const page = matches.slice(offset, offset + count);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: pageLinks(url, q, count, offset, offset + count < matches.length),
    ...(page.length ? { entry: page.map((e) => ({ ...e, search: { mode: 'match' } })) } : {}),
  };
}
