import {
  AttachmentMetaSchema,
  EmergencyTargetListSchema,
  RequestDetailSchema,
  RequestListSchema,
  RequestWithAppointmentSchema,
  WorklistSchema,
  type AttachmentBody,
  type AttachmentMeta,
  type CreateRequestBody,
  type EmergencyTargetList,
  type RequestDetail,
  type RequestList,
  type RequestWithAppointment,
  type TransitionBody,
  type Worklist,
} from '../../../../src/contracts/requests.js';
import { DirectoryFacilityPageSchema, DirectorySearchResultSchema, DirectorySlotListSchema, type DirectoryFacilityPage, type DirectorySearchResult, type DirectorySlotList } from '../../../../src/contracts/directory.js';
import type { Http } from '../../api/http.js';
import { ApiError, clientProblemCodes, networkProblem, readProblem } from '../../api/problem.js';

export type { AttachmentBody, AttachmentMeta, CreateRequestBody, DirectoryFacilityPage, DirectorySearchResult, DirectorySlotList, EmergencyTargetList, RequestDetail, RequestList, RequestWithAppointment, TransitionBody, Worklist };

/** Requests and booking (server modules `requests`, `notifications`; the directory reads booking needs). */
export interface RequestsApi {
  /** `GET /api/v1/directory/facilities`: facilities offering a specialty in real time. */
  searchFacilities(specialty: string): Promise<DirectorySearchResult>;
  /** `GET /api/v1/directory/facilities/:id`: services, specialists and schedules. */
  facilityPage(id: string): Promise<DirectoryFacilityPage>;
  /** `GET /api/v1/directory/slots`: free slots of a specialist for a service. */
  freeSlots(specialistId: string, serviceId: string, from: string, to: string): Promise<DirectorySlotList>;
  create(body: CreateRequestBody): Promise<RequestWithAppointment>;
  listMine(when: 'upcoming' | 'past' | 'all'): Promise<RequestList>;
  worklist(): Promise<Worklist>;
  get(id: string): Promise<RequestDetail>;
  transition(id: string, body: TransitionBody): Promise<RequestWithAppointment>;
  /**
   * `POST /api/v1/requests/:id/attachments`: one document or image (base64, encrypted at rest).
   * `onProgress` gets the share of the body sent so far (0-1).
   */
  uploadAttachment(id: string, body: AttachmentBody, onProgress?: (sent: number) => void): Promise<AttachmentMeta>;
  emergencyTargets(): Promise<EmergencyTargetList>;
}

/** The download URL of a request's attachment (same origin; the session cookie authorises it, every read is audited). */
export const attachmentUrl = (requestId: string, attachmentId: string) => `/api/v1/requests/${encodeURIComponent(requestId)}/attachments/${encodeURIComponent(attachmentId)}`;

function csrfToken(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const match = /(?:^|;\s*)csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/**
 * POSTs JSON with upload progress. Tricky: `fetch` reports no upload progress, so this one call uses
 * XMLHttpRequest; errors come back as the same `ApiError` the rest of the client throws.
 */
function postJsonWithProgress(path: string, body: unknown, onProgress?: (sent: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    const csrf = csrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
    if (lang) xhr.setRequestHeader('accept-language', lang);
    if (onProgress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
      };
    }
    xhr.onerror = () => reject(new ApiError(networkProblem()));
    xhr.onload = () => {
      const contentType = xhr.getResponseHeader('content-type') ?? '';
      if (xhr.status < 200 || xhr.status > 599) {
        reject(new ApiError(networkProblem()));
        return;
      }
      if (xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch (error) {
          reject(new ApiError({ type: 'about:blank', title: 'Response is not JSON', status: xhr.status, code: clientProblemCodes.responseInvalid }, { cause: error }));
        }
        return;
      }
      void readProblem(new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': contentType } })).then((p) => reject(new ApiError(p)));
    };
    xhr.send(JSON.stringify(body));
  });
}

export function createRequestsApi(http: Http): RequestsApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    searchFacilities: (specialty) => http.getJson(`/api/v1/directory/facilities?${new URLSearchParams({ specialty, mode: 'synchronous', limit: '20' }).toString()}`, DirectorySearchResultSchema),
    facilityPage: (facilityId) => http.getJson(`/api/v1/directory/facilities/${id(facilityId)}`, DirectoryFacilityPageSchema),
    freeSlots: (specialistId, serviceId, from, to) => http.getJson(`/api/v1/directory/slots?${new URLSearchParams({ specialistId, serviceId, from, to }).toString()}`, DirectorySlotListSchema),
    create: (body) => http.sendJson('POST', '/api/v1/requests', body, RequestWithAppointmentSchema),
    listMine: (when) => http.getJson(`/api/v1/requests?when=${when}`, RequestListSchema),
    worklist: () => http.getJson('/api/v1/requests/worklist', WorklistSchema),
    get: (requestId) => http.getJson(`/api/v1/requests/${id(requestId)}`, RequestDetailSchema),
    transition: (requestId, body) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/transitions`, body, RequestWithAppointmentSchema),
    uploadAttachment: async (requestId, body, onProgress) => {
      const answer = AttachmentMetaSchema.safeParse(await postJsonWithProgress(`/api/v1/requests/${id(requestId)}/attachments`, body, onProgress));
      if (!answer.success) throw new ApiError({ type: 'about:blank', title: 'Response does not match the contract', status: 201, code: clientProblemCodes.responseInvalid }, { cause: answer.error });
      return answer.data;
    },
    emergencyTargets: () => http.getJson('/api/v1/emergency/targets', EmergencyTargetListSchema),
  };
}
