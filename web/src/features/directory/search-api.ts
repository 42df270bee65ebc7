import {
  DirectoryFacilityPageSchema,
  DirectorySearchResultSchema,
  type DirectoryFacilityPage,
  type DirectorySearchResult,
} from '../../../../src/contracts/directory-public.js';
import type { DirectorySearchQuery } from '../../../../src/contracts/directory.js';
import { ReferenceDataSchema, type ReferenceData } from '../../../../src/contracts/registry-reference.js';
import type { Http, RequestOptions } from '../../api/http.js';

type Options = Pick<RequestOptions, 'signal'>;

/**
 * What the directory search page calls, in the first load (performance: their contracts are `zod/mini`,
 * bench/README.md); the rest of the directory group (`api.ts`: free slots) loads on its first call.
 */
export interface DirectorySearchApi {
  /** `GET /api/v1/registry/reference`: specialties (CL006) and RHIF regions for the search form. */
  reference(options?: Options): Promise<ReferenceData>;
  /** `GET /api/v1/directory/facilities`: filters as query parameters. */
  search(query: DirectorySearchQuery, options?: Options): Promise<DirectorySearchResult>;
  /** `GET /api/v1/directory/facilities/:id`: the facility's Art. 15 page (each search result shows its services). */
  facility(id: string, options?: Options): Promise<DirectoryFacilityPage>;
}

/** Query string of the defined, non-empty values, in a stable order. */
export function toQueryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as [string, unknown][]) {
    if (typeof value === 'string' ? value !== '' : typeof value === 'number') params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function createDirectorySearchApi(http: Http): DirectorySearchApi {
  return {
    reference: (options) => http.getJson('/api/v1/registry/reference', ReferenceDataSchema, options),
    search: (query, options) => http.getJson(`/api/v1/directory/facilities${toQueryString(query)}`, DirectorySearchResultSchema, options),
    facility: (id, options) => http.getJson(`/api/v1/directory/facilities/${encodeURIComponent(id)}`, DirectoryFacilityPageSchema, options),
  };
}
