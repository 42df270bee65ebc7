import {
  DirectorySlotListSchema,
  type DirectoryFacilityPage,
  type DirectorySearchQuery,
  type DirectorySearchResult,
  type DirectorySlotList,
  type DirectorySlotsQuery,
} from '../../../../src/contracts/directory.js';
import type { ReferenceData } from '../../../../src/contracts/registry.js';
import type { Http, RequestOptions } from '../../api/http.js';
import { createDirectorySearchApi, toQueryString, type DirectorySearchApi } from './search-api.js';

export { toQueryString };
export type { DirectoryFacilityPage, DirectorySearchQuery, DirectorySearchResult, DirectorySlotList, DirectorySlotsQuery, ReferenceData };
export type DirectoryFacilitySummary = DirectorySearchResult['items'][number];

type Options = Pick<RequestOptions, 'signal'>;

/** The public directory (server module `directory`, contract `src/contracts/directory.ts`); no sign-in. */
export interface DirectoryApi extends DirectorySearchApi {
  /** `GET /api/v1/directory/slots`: free slots of a specialist for a service (window ≤ 31 days). */
  slots(query: DirectorySlotsQuery, options?: Options): Promise<DirectorySlotList>;
}

export function createDirectoryApi(http: Http): DirectoryApi {
  return {
    ...createDirectorySearchApi(http),
    slots: (query, options) => http.getJson(`/api/v1/directory/slots${toQueryString(query)}`, DirectorySlotListSchema, options),
  };
}
