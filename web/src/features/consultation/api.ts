import { z } from 'zod';
import {
  CompletionSchema,
  ConsultationFileListSchema,
  ConsultationFileSchema,
  ConsultationListSchema,
  ConsultationMessageListSchema,
  ConsultationMessageSchema,
  ConsultationQualitySchema,
  ConsultationSchema,
  FacilityQualityReportSchema,
  IceServersSchema,
  QualityReportFacilityListSchema,
  RecordingSchema,
  type Completion,
  type Consultation,
  type ConsultationFile,
  type ConsultationList,
  type ConsultationMessage,
  type ConsultationQuality,
  type FacilityQualityReport,
  type IceServers,
  type MessageKind,
  type QualityReportFacilityList,
  type Recording,
} from '../../../../src/contracts/consultation.js';
import type { Http } from '../../api/http.js';

export type { Completion, Consultation, ConsultationFile, ConsultationList, ConsultationMessage, ConsultationQuality, FacilityQualityReport, IceServers, MessageKind, QualityReportFacilityList, Recording };

/** The consultation channel (server module `consultation`, contract `src/contracts/consultation.ts`). */
export interface ConsultationApi {
  listMine(): Promise<ConsultationList>;
  /** `POST /api/v1/requests/:id/consultation`: opens it on first use. */
  openForRequest(requestId: string): Promise<Consultation>;
  get(id: string): Promise<Consultation>;
  admit(id: string, accountId: string): Promise<Consultation>;
  iceServers(id: string): Promise<IceServers>;
  messages(id: string): Promise<{ items: ConsultationMessage[] }>;
  postMessage(id: string, body: { kind?: MessageKind; text: string; fileId?: string }): Promise<ConsultationMessage>;
  files(id: string): Promise<{ items: ConsultationFile[] }>;
  /** Raw upload; the server checks the type from the bytes. */
  uploadFile(id: string, file: Blob, name: string): Promise<ConsultationFile>;
  quality(id: string): Promise<ConsultationQuality>;
  startRecording(id: string, media: 'audio' | 'video' | 'screen'): Promise<Recording>;
  uploadRecordingChunk(id: string, recordingId: string, seq: number, chunk: Blob): Promise<void>;
  stopRecording(id: string, recordingId: string): Promise<Recording>;
  complete(id: string): Promise<Completion>;
  /** Art. 28(1) items 8-9: the facility's report for a period. */
  facilityQuality(facilityId: string, from: string, to: string): Promise<FacilityQualityReport>;
  /** The facilities whose report the caller may open, with names. */
  qualityReportFacilities(): Promise<QualityReportFacilityList>;
}

/** The download/view URL of a file (same origin; the session cookie authorises it). */
export const fileUrl = (consultationId: string, fileId: string) => `/api/v1/consultations/${encodeURIComponent(consultationId)}/files/${encodeURIComponent(fileId)}`;

export function createConsultationApi(http: Http): ConsultationApi {
  const id = (v: string) => encodeURIComponent(v);
  const base = (c: string) => `/api/v1/consultations/${id(c)}`;
  return {
    listMine: () => http.getJson('/api/v1/consultations', ConsultationListSchema),
    openForRequest: (requestId) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/consultation`, undefined, ConsultationSchema),
    get: (c) => http.getJson(base(c), ConsultationSchema),
    admit: (c, accountId) => http.sendJson('POST', `${base(c)}/participants/${id(accountId)}/admit`, undefined, ConsultationSchema),
    iceServers: (c) => http.getJson(`${base(c)}/ice-servers`, IceServersSchema),
    messages: (c) => http.getJson(`${base(c)}/messages`, ConsultationMessageListSchema),
    postMessage: (c, body) => http.sendJson('POST', `${base(c)}/messages`, body, ConsultationMessageSchema),
    files: (c) => http.getJson(`${base(c)}/files`, ConsultationFileListSchema),
    uploadFile: (c, file, name) => http.sendBlob('POST', `${base(c)}/files?name=${encodeURIComponent(name)}`, file, file.type || 'application/octet-stream', ConsultationFileSchema),
    quality: (c) => http.getJson(`${base(c)}/quality`, ConsultationQualitySchema),
    startRecording: (c, media) => http.sendJson('POST', `${base(c)}/recordings`, { media }, RecordingSchema),
    uploadRecordingChunk: async (c, recordingId, seq, chunk) => {
      await http.sendBlob('PUT', `${base(c)}/recordings/${id(recordingId)}/chunks?seq=${seq}`, chunk, 'video/webm', z.object({ seq: z.number() }));
    },
    stopRecording: (c, recordingId) => http.sendJson('POST', `${base(c)}/recordings/${id(recordingId)}/stop`, undefined, RecordingSchema),
    complete: (c) => http.sendJson('POST', `${base(c)}/complete`, undefined, CompletionSchema),
    facilityQuality: (f, from, to) =>
      http.getJson(`/api/v1/facilities/${id(f)}/consultation-quality?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, FacilityQualityReportSchema),
    qualityReportFacilities: () => http.getJson('/api/v1/consultation-quality/facilities', QualityReportFacilityListSchema),
  };
}
