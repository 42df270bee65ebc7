import { z } from 'zod';
import { Instant } from './common.js';

// The consultation channel: calls, waiting room, chat, files, store-and-forward cases,
// recordings (Art. 19) and quality evidence (Art. 28(1) items 8-9). Shared by server and web; the
// signalling messages (WebSocket) are here too, so both ends agree on them.


export const ConsultationIdParamsSchema = z.object({ id: z.uuid() });
export const RequestIdParamsSchema = z.object({ requestId: z.uuid() });
export const ConsultationFileParamsSchema = z.object({ id: z.uuid(), fileId: z.uuid() });
export const ConsultationRecordingParamsSchema = z.object({ id: z.uuid(), recordingId: z.uuid() });
export const ConsultationAdmitParamsSchema = z.object({ id: z.uuid(), accountId: z.uuid() });

/** FHIR Encounter.status subset. */
export const ConsultationStatusSchema = z.enum(['planned', 'in-progress', 'finished']);
export type ConsultationStatus = z.infer<typeof ConsultationStatusSchema>;

/** Which side of the request a participant is on. */
export const ParticipantSideSchema = z.enum(['provider', 'recipient', 'requester']);
export type ParticipantSide = z.infer<typeof ParticipantSideSchema>;

export const ParticipantSchema = z.object({
  accountId: z.uuid(),
  side: ParticipantSideSchema,
  role: z.string(),
  admittedAt: Instant.nullable(),
  lastJoinedAt: Instant.nullable(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

/** Limits of Art. 28(1) items 8-9 and the running evidence of one consultation. */
export const QualitySummarySchema = z.object({
  latencyLimitMs: z.number(),
  avSyncLimitMs: z.number(),
  sampleCount: z.number().int(),
  latencyBreachCount: z.number().int(),
  avSyncBreachCount: z.number().int(),
  maxLatencyMs: z.number().nullable(),
  maxAvSyncMs: z.number().nullable(),
});
export type QualitySummary = z.infer<typeof QualitySummarySchema>;

export const ConsultationSchema = z
  .object({
    id: z.uuid(),
    requestId: z.uuid(),
    facilityId: z.uuid(),
    mode: z.enum(['synchronous', 'asynchronous']),
    status: ConsultationStatusSchema,
    startedAt: Instant.nullable(),
    completedAt: Instant.nullable(),
    /** The viewer's own side. */
    mySide: ParticipantSideSchema,
    myAccountId: z.uuid(),
    participants: z.array(ParticipantSchema),
    quality: QualitySummarySchema,
    /** Whether a recording consent currently allows recording (the record button is enabled only then). */
    recordingAllowed: z.boolean(),
  })
  .meta({ id: 'Consultation' });
export type Consultation = z.infer<typeof ConsultationSchema>;

export const ConsultationListSchema = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      requestId: z.uuid(),
      mode: z.enum(['synchronous', 'asynchronous']),
      status: ConsultationStatusSchema,
      mySide: ParticipantSideSchema,
      createdAt: Instant,
    }),
  ),
});
export type ConsultationList = z.infer<typeof ConsultationListSchema>;

/** chat: during or outside a call; case: the recipient's written description (store and forward); answer: the specialist's written answer. */
export const MessageKindSchema = z.enum(['chat', 'case', 'answer']);
export type MessageKind = z.infer<typeof MessageKindSchema>;

export const PostMessageBodySchema = z.object({
  kind: MessageKindSchema.default('chat'),
  text: z.string().trim().min(1).max(8000),
  fileId: z.uuid().optional(),
});
export type PostMessageBody = z.input<typeof PostMessageBodySchema>;

export const ConsultationMessageSchema = z.object({
  id: z.uuid(),
  kind: MessageKindSchema,
  senderAccountId: z.uuid(),
  senderSide: ParticipantSideSchema,
  text: z.string(),
  fileId: z.uuid().nullable(),
  createdAt: Instant,
});
export type ConsultationMessage = z.infer<typeof ConsultationMessageSchema>;
export const ConsultationMessageListSchema = z.object({ items: z.array(ConsultationMessageSchema) });

export const FileTypeSchema = z.enum(['image/jpeg', 'image/png', 'application/pdf', 'application/dicom']);
export const ConsultationFileSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  contentType: FileTypeSchema,
  sizeBytes: z.number().int(),
  uploadedBy: z.uuid(),
  uploaderSide: ParticipantSideSchema,
  createdAt: Instant,
});
export type ConsultationFile = z.infer<typeof ConsultationFileSchema>;
export const ConsultationFileListSchema = z.object({ items: z.array(ConsultationFileSchema) });
/** Upload: the raw bytes are the body (application/octet-stream or the file's type); the name is a query parameter. */
export const UploadFileQuerySchema = z.object({ name: z.string().trim().min(1).max(255) });

/** One WebRTC statistics report from a browser (null: not measurable yet). */
export const QualityReportSchema = z.object({
  rttMs: z.number().min(0).max(60_000).nullable(),
  avSyncMs: z.number().min(-60_000).max(60_000).nullable(),
  jitterMs: z.number().min(0).max(60_000).nullable(),
  packetLossPct: z.number().min(0).max(100).nullable(),
  framesPerSecond: z.number().min(0).max(240).nullable(),
  bitrateKbps: z.number().min(0).max(1_000_000).nullable(),
});
export type QualityReport = z.infer<typeof QualityReportSchema>;

export const QualitySampleSchema = QualityReportSchema.extend({
  accountId: z.uuid(),
  measuredAt: Instant,
  latencyMs: z.number().nullable(),
  latencyBreach: z.boolean(),
  avSyncBreach: z.boolean(),
});
export type QualitySample = z.infer<typeof QualitySampleSchema>;
export const ConsultationQualitySchema = z.object({ summary: QualitySummarySchema, samples: z.array(QualitySampleSchema) });
export type ConsultationQuality = z.infer<typeof ConsultationQualitySchema>;

export const FacilityQualityQuerySchema = z.object({ from: Instant, to: Instant });
export const FacilityQualityParamsSchema = z.object({ facilityId: z.uuid() });
export const FacilityQualityReportSchema = z.object({
  /** The facility's id (machine-readable) and its registered name (for people). */
  facilityId: z.uuid(),
  facilityName: z.string(),
  from: Instant,
  to: Instant,
  latencyLimitMs: z.number(),
  avSyncLimitMs: z.number(),
  consultations: z.number().int(),
  samples: z.number().int(),
  latencyBreaches: z.number().int(),
  avSyncBreaches: z.number().int(),
  p95LatencyMs: z.number().nullable(),
  p95AvSyncMs: z.number().nullable(),
  /** Consultations with at least one breach: the flagged ones. */
  flagged: z.array(z.object({ consultationId: z.uuid(), latencyBreaches: z.number().int(), avSyncBreaches: z.number().int(), maxLatencyMs: z.number().nullable(), maxAvSyncMs: z.number().nullable() })),
});
export type FacilityQualityReport = z.infer<typeof FacilityQualityReportSchema>;

/** The facilities whose quality report the caller may open (their own), with names, by name. */
export const QualityReportFacilityListSchema = z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string() })) });
export type QualityReportFacilityList = z.infer<typeof QualityReportFacilityListSchema>;

export const IceServersSchema = z.object({
  iceServers: z.array(z.object({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() })),
  /** When the TURN credential stops working (fetch again on reconnect). */
  expiresAt: Instant.nullable(),
});
export type IceServers = z.infer<typeof IceServersSchema>;

export const RecordingMediaSchema = z.enum(['audio', 'video', 'screen']);
export const StartRecordingBodySchema = z.object({ media: RecordingMediaSchema });
export const RecordingSchema = z.object({
  id: z.uuid(),
  media: RecordingMediaSchema,
  status: z.enum(['recording', 'stopped', 'withdrawn']),
  contentType: z.enum(['video/webm', 'audio/webm']),
  sizeBytes: z.number().int(),
  startedBy: z.uuid(),
  startedAt: Instant,
  stoppedAt: Instant.nullable(),
});
export type Recording = z.infer<typeof RecordingSchema>;
export const RecordingListSchema = z.object({ items: z.array(RecordingSchema) });
export const RecordingChunkQuerySchema = z.object({ seq: z.coerce.number().int().min(0).max(100_000) });

export const CompletionSchema = z.object({ id: z.uuid(), status: ConsultationStatusSchema, completedAt: Instant });

// ---- Signalling (WebSocket /api/v1/consultations/:id/signal) ----

/**
 * What the WebSocket is for: `call` (default) joins the call; `chat` only receives the messages, file
 * notices and the end of the consultation (outside a call, or on a store-and-forward case).
 */
export const SignalQuerySchema = z.object({ mode: z.enum(['call', 'chat']).default('call') });

/** Where a connection is: in the waiting room, or in the call. */
export const PresenceStateSchema = z.enum(['waiting', 'in-call']);
export type PresenceState = z.infer<typeof PresenceStateSchema>;

export const PeerSchema = z.object({ connId: z.string(), accountId: z.uuid(), side: ParticipantSideSchema, state: PresenceStateSchema });
export type Peer = z.infer<typeof PeerSchema>;

/** Messages a browser sends. */
export const ClientSignalSchema = z.discriminatedUnion('t', [
  // an SDP description or ICE candidate for one peer connection
  z.object({ t: z.literal('signal'), to: z.string().max(64), data: z.record(z.string(), z.unknown()) }),
  // WebRTC statistics every few seconds (Art. 28(1) items 8-9)
  z.object({ t: z.literal('stats'), report: QualityReportSchema }),
  // microphone, camera and screen-share state, shown to the other side
  z.object({ t: z.literal('media'), audio: z.boolean(), video: z.boolean(), screen: z.boolean() }),
  z.object({ t: z.literal('ping'), n: z.number().optional() }),
]);
export type ClientSignal = z.infer<typeof ClientSignalSchema>;

/** Events about the consultation pushed to every connection of the room. */
export type RoomEvent =
  | { kind: 'message'; message: ConsultationMessage }
  | { kind: 'file'; file: ConsultationFile }
  | { kind: 'admitted'; accountId: string }
  | { kind: 'quality'; accountId: string; sample: QualitySample }
  | { kind: 'recording'; recordingId: string; status: 'recording' | 'stopped' | 'withdrawn' }
  | { kind: 'media'; connId: string; audio: boolean; video: boolean; screen: boolean }
  | { kind: 'finished'; completedAt: string };

/** Messages the server sends. */
export type ServerSignal =
  | { t: 'welcome'; connId: string; accountId: string; side: ParticipantSide; state: PresenceState }
  /** A chat connection (`?mode=chat`) is open: `event`s of kind message, file and finished follow. */
  | { t: 'watching'; connId: string }
  /** `initiate`: this connection is the newcomer and makes the offer to that peer (no glare). */
  | { t: 'peer'; peer: Peer; initiate: boolean }
  | { t: 'peer-left'; connId: string }
  | { t: 'signal'; from: string; data: Record<string, unknown> }
  | { t: 'admitted' }
  | { t: 'event'; event: RoomEvent }
  | { t: 'pong'; n?: number }
  | { t: 'error'; code: string };

/** WebSocket close codes the server uses (4000-4999 are for applications). */
export const SignalCloseCodes = {
  /** the consultation was completed */
  finished: 4001,
  /** the consent module's gates refused, or the account is not a participant */
  forbidden: 4003,
  /** the message was malformed */
  invalid: 4000,
  /** the server is shutting down; reconnect */
  restart: 4012,
} as const;
export type Completion = z.infer<typeof CompletionSchema>;
