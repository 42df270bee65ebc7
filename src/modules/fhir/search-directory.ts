import type { DirectoryResourceType, FhirDirectory } from '../directory/index.js';
import { parseSearch, type Query } from './search-params.js';

/**
 * Searches one public directory type and answers a `searchset` Bundle with `self` and `next` links
 * (FHIR R4 §3.1.1.5 paging; `_count` and `_offset`).
 * @param directory - the directory's FHIR read model
 * @param type - the resource type
 * @param q - the query string
 * @param base - the endpoint's base URL
 * @returns the Bundle
 * @throws {AppError} `request.invalid` for an unknown parameter or a malformed value
 */
export async function searchDirectory(directory: FhirDirectory, type: DirectoryResourceType, q: Query, base: string): Promise<Record<string, unknown>> {
  const { criteria, count, offset } = parseSearch(type, q);
  const { resources, hasMore } = criteria.impossible ? { resources: [], hasMore: false } : await directory.search(type, criteria, count, offset);
  const link = (off: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) {
      if (k === '_offset' || k === '_count' || v === undefined) continue;
      for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    }
    params.set('_count', String(count));
    if (off > 0) params.set('_offset', String(off));
    return `${base}/${type}?${params.toString()}`;
  };
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: [{ relation: 'self', url: link(offset) }, ...(hasMore ? [{ relation: 'next', url: link(offset + count) }] : []), ...(offset > 0 ? [{ relation: 'previous', url: link(Math.max(0, offset - count)) }] : [])],
    ...(resources.length ? { entry: resources.map((r) => ({ fullUrl: `${base}/${type}/${String(r.id)}`, resource: r, search: { mode: 'match' } })) } : {}),
  };
}
