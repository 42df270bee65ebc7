export { ApiProvider, useApi } from './api-context.js';
export { createApiClient } from './client.js';
export type { ApiClient } from './client.js';
export { createHttp } from './http.js';
export type { FetchLike, Http, HttpOptions, RequestOptions } from './http.js';
export { ProblemAlert, problemMessage } from './problem-alert.js';
export {
  ApiError,
  clientProblemCodes,
  isApiError,
  isProblemResponse,
  problemFromError,
  problemFromStatus,
  readProblem,
} from './problem.js';
export type { FieldIssue, Problem } from './problem.js';
