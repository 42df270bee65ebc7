import { createOpsApi, type OpsApi } from '../features/ops/api.js';
import { createHttp, type HttpOptions } from './http.js';

/**
 * The typed API client, one group per server module (STYLE C19). Components get it from
 * `useApi()`, so tests render them with a fake that implements only what they call.
 */
export interface ApiClient {
  ops: OpsApi;
}

export function createApiClient(options: HttpOptions = {}): ApiClient {
  const http = createHttp(options);
  return { ops: createOpsApi(http) };
}
