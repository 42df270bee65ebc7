import { z } from 'zod';
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
  /** The private calendar feed (docs/registration.md#calendar). */
  calendarFeedStatus(): Promise<{ createdAt: string | null }>;
  createCalendarFeed(): Promise<{ url: string; createdAt: string }>;
  revokeCalendarFeed(): Promise<void>;
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

export function createRequestsApi(http: Http): RequestsApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    searchFacilities: (specialty) => http.getJson(`/api/v1/directory/facilities?${new URLSearchParams({ specialty, mode: 'synchronous', limit: '20' }).toString()}`, DirectorySearchResultSchema),
    facilityPage: (facilityId) => http.getJson(`/api/v1/directory/facilities/${id(facilityId)}`, DirectoryFacilityPageSchema),
    freeSlots: (specialistId, serviceId, from, to) => http.getJson(`/api/v1/directory/slots?${new URLSearchParams({ specialistId, serviceId, from, to }).toString()}`, DirectorySlotListSchema),
    create: (body) => http.sendJson('POST', '/api/v1/requests', body, RequestWithAppointmentSchema),
    calendarFeedStatus: () => http.getJson('/api/v1/me/calendar-feed', z.object({ createdAt: z.string().nullable() })),
    createCalendarFeed: () => http.sendJson('POST', '/api/v1/me/calendar-feed', undefined, z.object({ url: z.string(), createdAt: z.string() })),
    revokeCalendarFeed: () => http.sendJson('DELETE', '/api/v1/me/calendar-feed', undefined, null),
    listMine: (when) => http.getJson(`/api/v1/requests?when=${when}`, RequestListSchema),
    worklist: () => http.getJson('/api/v1/requests/worklist', WorklistSchema),
    get: (requestId) => http.getJson(`/api/v1/requests/${id(requestId)}`, RequestDetailSchema),
    transition: (requestId, body) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/transitions`, body, RequestWithAppointmentSchema),
    uploadAttachment: (requestId, body, onProgress) => http.postJsonWithProgress(`/api/v1/requests/${id(requestId)}/attachments`, body, AttachmentMetaSchema, onProgress),
    emergencyTargets: () => http.getJson('/api/v1/emergency/targets', EmergencyTargetListSchema),
  };
}
