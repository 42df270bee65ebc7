import {
  DirectoryFacilityPageSchema,
  DirectorySearchResultSchema,
  DirectorySlotListSchema,
  type DirectoryFacilityPage,
  type DirectorySearchQuery,
  type DirectorySearchResult,
  type DirectorySlotList,
  type DirectorySlotsQuery,
} from '../../../../src/contracts/directory.js';
import { ReferenceDataSchema, type ReferenceData } from '../../../../src/contracts/registry.js';
import type { Http, RequestOptions } from '../../api/http.js';

export type { DirectoryFacilityPage, DirectorySearchQuery, DirectorySearchResult, DirectorySlotList, DirectorySlotsQuery, ReferenceData };
export type DirectoryFacilitySummary = DirectorySearchResult['items'][number];

type Options = Pick<RequestOptions, 'signal'>;

/** The public directory (server module `directory`, contract `src/contracts/directory.ts`); no sign-in. */
export interface DirectoryApi {
  /** `GET /api/v1/registry/reference`: specialties (CL006) and RHIF regions for the search form. */
  reference(options?: Options): Promise<ReferenceData>;
  /** `GET /api/v1/directory/facilities`: filters as query parameters. */
  search(query: DirectorySearchQuery, options?: Options): Promise<DirectorySearchResult>;
  /** `GET /api/v1/directory/facilities/:id`: the facility's Art. 15 page. */
  facility(id: string, options?: Options): Promise<DirectoryFacilityPage>;
  /** `GET /api/v1/directory/slots`: free slots of a specialist for a service (window ≤ 31 days). */
  slots(query: DirectorySlotsQuery, options?: Options): Promise<DirectorySlotList>;
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

export function createDirectoryApi(http: Http): DirectoryApi {
  return {
    reference: (options) => http.getJson('/api/v1/registry/reference', ReferenceDataSchema, options),
    search: (query, options) => http.getJson(`/api/v1/directory/facilities${toQueryString(query)}`, DirectorySearchResultSchema, options),
    facility: (id, options) => http.getJson(`/api/v1/directory/facilities/${encodeURIComponent(id)}`, DirectoryFacilityPageSchema, options),
    slots: (query, options) => http.getJson(`/api/v1/directory/slots${toQueryString(query)}`, DirectorySlotListSchema, options),
  };
}
