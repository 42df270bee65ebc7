import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { one, rows } from '../../platform/db/rows.js';
import type { ParticipantSide } from '../../contracts/consultation.js';
import type { JudgedSample } from './quality.js';

// SQL only (STYLE C7). The request and its people are read from the requests and identity tables
// (migrations/0007, 0003) read-only: the consultation needs the participants in the same transaction as
// its own insert; it never writes those tables (the lifecycle goes through RequestLifecycle).


export interface RequestFacts {
  id: string;
  status: string;
  mode: 'synchronous' | 'asynchronous';
  provider_facility_id: string;
  practitioner_id: string | null;
  patient_id: string | null;
  requester_account_id: string;
  provider_account_id: string | null;
  patient_account_id: string | null;
  recipient_account_id: string | null;
}

/** The accounts of a request's people (identity's user_account, read-only); null where there is none. */
export function findAccountsOf(q: Queryable, p: { practitionerId: string | null; patientId: string | null; recipientPractitionerId: string | null }): Promise<Pick<RequestFacts, 'provider_account_id' | 'patient_account_id' | 'recipient_account_id'> | undefined> {
  return one(
    q,
    sql`SELECT (SELECT a.id FROM user_account a WHERE a.practitioner_id = ${p.practitionerId}) AS provider_account_id,
      (SELECT a.id FROM user_account a WHERE a.patient_id = ${p.patientId}) AS patient_account_id,
      (SELECT a.id FROM user_account a WHERE a.practitioner_id = ${p.recipientPractitionerId}) AS recipient_account_id`,
  );
}

export interface ConsultationRow {
  id: string;
  request_id: string;
  facility_id: string;
  patient_id: string | null;
  practitioner_id: string;
  mode: 'synchronous' | 'asynchronous';
  status: 'planned' | 'in-progress' | 'finished';
  started_at: Date | null;
  completed_at: Date | null;
  completed_by: string | null;
  quality_sample_count: number;
  latency_breach_count: number;
  av_sync_breach_count: number;
  max_latency_ms: number | null;
  max_av_sync_ms: number | null;
  created_at: Date;
}

const consultationColumns = sql`id, request_id, facility_id, patient_id, practitioner_id, mode, status, started_at, completed_at, completed_by,
  quality_sample_count, latency_breach_count, av_sync_breach_count, max_latency_ms, max_av_sync_ms, created_at`;

export function findConsultation(q: Queryable, id: string): Promise<ConsultationRow | undefined> {
  return one<ConsultationRow>(q, sql`SELECT ${consultationColumns} FROM consultation WHERE id = ${id}`);
}

export function findConsultationByRequest(q: Queryable, requestId: string): Promise<ConsultationRow | undefined> {
  return one<ConsultationRow>(q, sql`SELECT ${consultationColumns} FROM consultation WHERE request_id = ${requestId}`);
}

/** Inserts the consultation unless the request already has one (two participants opening at once). */
export async function insertConsultation(
  q: Queryable,
  c: { id: string; requestId: string; facilityId: string; patientId: string | null; practitionerId: string; mode: string; now: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO consultation (id, request_id, facility_id, patient_id, practitioner_id, mode, status, created_at, updated_at)
    VALUES (${c.id}, ${c.requestId}, ${c.facilityId}, ${c.patientId}, ${c.practitionerId}, ${c.mode}, 'planned', ${c.now}, ${c.now})
    ON CONFLICT (request_id) DO NOTHING`);
}

export async function insertParticipant(q: Queryable, consultationId: string, accountId: string, side: ParticipantSide): Promise<void> {
  await q.execute(sql`INSERT INTO consultation_participant (consultation_id, account_id, side) VALUES (${consultationId}, ${accountId}, ${side})
    ON CONFLICT (consultation_id, account_id) DO NOTHING`);
}

export interface ParticipantRow {
  account_id: string;
  side: ParticipantSide;
  role: string;
  admitted_at: Date | null;
  last_joined_at: Date | null;
}

export function listParticipants(q: Queryable, consultationId: string): Promise<ParticipantRow[]> {
  return rows<ParticipantRow>(
    q,
    sql`SELECT p.account_id, p.side, a.role, p.admitted_at, p.last_joined_at FROM consultation_participant p
      JOIN user_account a ON a.id = p.account_id WHERE p.consultation_id = ${consultationId} ORDER BY p.side, p.account_id`,
  );
}

export function findParticipant(q: Queryable, consultationId: string, accountId: string): Promise<ParticipantRow | undefined> {
  return one<ParticipantRow>(
    q,
    sql`SELECT p.account_id, p.side, a.role, p.admitted_at, p.last_joined_at FROM consultation_participant p
      JOIN user_account a ON a.id = p.account_id WHERE p.consultation_id = ${consultationId} AND p.account_id = ${accountId}`,
  );
}

export async function markJoined(q: Queryable, consultationId: string, accountId: string, now: Date): Promise<void> {
  await q.execute(sql`UPDATE consultation_participant SET first_joined_at = COALESCE(first_joined_at, ${now}), last_joined_at = ${now}
    WHERE consultation_id = ${consultationId} AND account_id = ${accountId}`);
}

/** Admits a participant; an already admitted one keeps the first admission. */
export async function admitParticipant(q: Queryable, consultationId: string, accountId: string, by: string, now: Date): Promise<boolean> {
  const r = await rows(
    q,
    sql`UPDATE consultation_participant SET admitted_at = COALESCE(admitted_at, ${now}), admitted_by = COALESCE(admitted_by, ${by})
      WHERE consultation_id = ${consultationId} AND account_id = ${accountId} RETURNING account_id`,
  );
  return r.length === 1;
}

/** planned → in-progress (compare-and-swap; a started consultation stays as it is). */
export async function markStarted(q: Queryable, consultationId: string, now: Date): Promise<boolean> {
  const r = await rows(
    q,
    sql`UPDATE consultation SET status = 'in-progress', started_at = ${now}, updated_at = ${now}, version = version + 1
      WHERE id = ${consultationId} AND status = 'planned' RETURNING id`,
  );
  return r.length === 1;
}

/** → finished (compare-and-swap); returns nothing when it was already finished. */
export function markFinished(q: Queryable, consultationId: string, by: string, now: Date): Promise<{ completed_at: Date; from: string } | undefined> {
  return one(
    q,
    sql`UPDATE consultation c SET status = 'finished', completed_at = ${now}, completed_by = ${by}, updated_at = ${now}, version = c.version + 1
      FROM (SELECT id, status FROM consultation WHERE id = ${consultationId} FOR UPDATE) old
      WHERE c.id = old.id AND c.status <> 'finished' RETURNING c.completed_at, old.status AS "from"`,
  );
}

export interface MineRow {
  id: string;
  request_id: string;
  mode: 'synchronous' | 'asynchronous';
  status: 'planned' | 'in-progress' | 'finished';
  side: ParticipantSide;
  created_at: Date;
}

export function listMine(q: Queryable, accountId: string): Promise<MineRow[]> {
  return rows<MineRow>(
    q,
    sql`SELECT c.id, c.request_id, c.mode, c.status, p.side, c.created_at FROM consultation_participant p
      JOIN consultation c ON c.id = p.consultation_id WHERE p.account_id = ${accountId} ORDER BY c.created_at DESC LIMIT 200`,
  );
}

// ---- messages and files ----

export async function insertMessage(
  q: Queryable,
  m: { id: string; consultationId: string; sender: string; kind: string; bodyEnc: Buffer; fileId: string | null; now: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO consultation_message (id, consultation_id, sender_account_id, kind, body_enc, file_id, created_at)
    VALUES (${m.id}, ${m.consultationId}, ${m.sender}, ${m.kind}, ${m.bodyEnc}, ${m.fileId}, ${m.now})`);
}

export interface MessageRow {
  id: string;
  sender_account_id: string;
  sender_side: ParticipantSide;
  kind: 'chat' | 'case' | 'answer';
  body_enc: Buffer;
  file_id: string | null;
  created_at: Date;
}

export function listMessages(q: Queryable, consultationId: string): Promise<MessageRow[]> {
  return rows<MessageRow>(
    q,
    sql`SELECT m.id, m.sender_account_id, p.side AS sender_side, m.kind, m.body_enc, m.file_id, m.created_at FROM consultation_message m
      JOIN consultation_participant p ON p.consultation_id = m.consultation_id AND p.account_id = m.sender_account_id
      WHERE m.consultation_id = ${consultationId} ORDER BY m.created_at, m.id LIMIT 2000`,
  );
}

export async function insertFile(
  q: Queryable,
  f: { id: string; consultationId: string; uploadedBy: string; nameEnc: Buffer; contentType: string; sizeBytes: number; contentEnc: Buffer; now: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO consultation_file (id, consultation_id, uploaded_by, name_enc, content_type, size_bytes, content_enc, created_at)
    VALUES (${f.id}, ${f.consultationId}, ${f.uploadedBy}, ${f.nameEnc}, ${f.contentType}, ${f.sizeBytes}, ${f.contentEnc}, ${f.now})`);
}

export interface FileRow {
  id: string;
  uploaded_by: string;
  uploader_side: ParticipantSide;
  name_enc: Buffer;
  content_type: 'image/jpeg' | 'image/png' | 'application/pdf' | 'application/dicom';
  size_bytes: number;
  created_at: Date;
}

export function listFiles(q: Queryable, consultationId: string): Promise<FileRow[]> {
  return rows<FileRow>(
    q,
    sql`SELECT f.id, f.uploaded_by, p.side AS uploader_side, f.name_enc, f.content_type, f.size_bytes, f.created_at FROM consultation_file f
      JOIN consultation_participant p ON p.consultation_id = f.consultation_id AND p.account_id = f.uploaded_by
      WHERE f.consultation_id = ${consultationId} ORDER BY f.created_at, f.id`,
  );
}

export function findFile(q: Queryable, consultationId: string, fileId: string): Promise<(FileRow & { content_enc: Buffer }) | undefined> {
  return one(
    q,
    sql`SELECT f.id, f.uploaded_by, p.side AS uploader_side, f.name_enc, f.content_type, f.size_bytes, f.created_at, f.content_enc FROM consultation_file f
      JOIN consultation_participant p ON p.consultation_id = f.consultation_id AND p.account_id = f.uploaded_by
      WHERE f.consultation_id = ${consultationId} AND f.id = ${fileId}`,
  );
}

// ---- quality ----

export async function insertSample(q: Queryable, s: { id: string; consultationId: string; accountId: string; at: Date; sample: JudgedSample }): Promise<void> {
  const x = s.sample;
  await q.execute(sql`INSERT INTO consultation_quality_sample (id, consultation_id, account_id, measured_at, rtt_ms, latency_ms, av_sync_ms,
      jitter_ms, packet_loss_pct, frames_per_second, bitrate_kbps, latency_breach, av_sync_breach)
    VALUES (${s.id}, ${s.consultationId}, ${s.accountId}, ${s.at}, ${x.rttMs}, ${x.latencyMs}, ${x.avSyncMs}, ${x.jitterMs}, ${x.packetLossPct},
      ${x.framesPerSecond}, ${x.bitrateKbps}, ${x.latencyBreach}, ${x.avSyncBreach})`);
  // Concurrency: the totals are incremented in one statement, so reports from both browsers add up.
  await q.execute(sql`UPDATE consultation SET quality_sample_count = quality_sample_count + 1,
      latency_breach_count = latency_breach_count + ${x.latencyBreach ? 1 : 0},
      av_sync_breach_count = av_sync_breach_count + ${x.avSyncBreach ? 1 : 0},
      max_latency_ms = GREATEST(max_latency_ms, ${x.latencyMs}::real),
      max_av_sync_ms = GREATEST(max_av_sync_ms, ${x.avSyncMs}::real)
    WHERE id = ${s.consultationId}`);
}

export interface SampleRow {
  account_id: string;
  measured_at: Date;
  rtt_ms: number | null;
  latency_ms: number | null;
  av_sync_ms: number | null;
  jitter_ms: number | null;
  packet_loss_pct: number | null;
  frames_per_second: number | null;
  bitrate_kbps: number | null;
  latency_breach: boolean;
  av_sync_breach: boolean;
}

export function listSamples(q: Queryable, consultationId: string): Promise<SampleRow[]> {
  return rows<SampleRow>(
    q,
    sql`SELECT account_id, measured_at, rtt_ms, latency_ms, av_sync_ms, jitter_ms, packet_loss_pct, frames_per_second, bitrate_kbps,
      latency_breach, av_sync_breach FROM consultation_quality_sample WHERE consultation_id = ${consultationId} ORDER BY measured_at DESC, id DESC LIMIT 2000`,
  );
}

export interface FacilityQualityRow {
  facility_name: string;
  consultations: number;
  samples: number;
  latency_breaches: number;
  av_sync_breaches: number;
  p95_latency_ms: number | null;
  p95_av_sync_ms: number | null;
}

/**
 * The facility's name and its quality totals for a period, in one query (the facility joined, so a
 * facility without samples still answers with its name and zeros).
 * @returns the totals, or undefined when there is no such facility
 */
export async function facilityQuality(q: Queryable, facilityId: string, from: Date, to: Date): Promise<FacilityQualityRow | undefined> {
  const r = await one<Record<string, unknown>>(
    q,
    sql`SELECT f.name AS facility_name, count(DISTINCT c.id)::int AS consultations, count(s.id)::int AS samples,
      count(s.id) FILTER (WHERE s.latency_breach)::int AS latency_breaches, count(s.id) FILTER (WHERE s.av_sync_breach)::int AS av_sync_breaches,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY s.latency_ms) AS p95_latency_ms,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY s.av_sync_ms) AS p95_av_sync_ms
    FROM facility f
    LEFT JOIN (consultation c JOIN consultation_quality_sample s ON s.consultation_id = c.id AND s.measured_at >= ${from} AND s.measured_at < ${to})
      ON c.facility_id = f.id
    WHERE f.id = ${facilityId}
    GROUP BY f.id, f.name`,
  );
  if (!r) return undefined;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    facility_name: String(r.facility_name),
    consultations: Number(r?.consultations ?? 0),
    samples: Number(r?.samples ?? 0),
    latency_breaches: Number(r?.latency_breaches ?? 0),
    av_sync_breaches: Number(r?.av_sync_breaches ?? 0),
    p95_latency_ms: num(r?.p95_latency_ms),
    p95_av_sync_ms: num(r?.p95_av_sync_ms),
  };
}

/** Names of the given facilities (one query), by name. */
export function facilityNames(q: Queryable, facilityIds: readonly string[]) {
  if (facilityIds.length === 0) return Promise.resolve([]);
  return rows<{ id: string; name: string }>(q, sql`SELECT id, name FROM facility WHERE id IN (${sql.join(facilityIds.map((f) => sql`${f}`), sql`, `)}) ORDER BY name, id`);
}

export function flaggedConsultations(q: Queryable, facilityId: string, from: Date, to: Date) {
  return rows<{ id: string; latency_breaches: number; av_sync_breaches: number; max_latency_ms: number | null; max_av_sync_ms: number | null }>(
    q,
    sql`SELECT c.id, count(*) FILTER (WHERE s.latency_breach)::int AS latency_breaches, count(*) FILTER (WHERE s.av_sync_breach)::int AS av_sync_breaches,
      max(s.latency_ms) AS max_latency_ms, max(s.av_sync_ms) AS max_av_sync_ms
    FROM consultation c JOIN consultation_quality_sample s ON s.consultation_id = c.id
    WHERE c.facility_id = ${facilityId} AND s.measured_at >= ${from} AND s.measured_at < ${to}
    GROUP BY c.id HAVING bool_or(s.latency_breach OR s.av_sync_breach) ORDER BY c.id LIMIT 1000`,
  );
}

// ---- recordings ----

export interface RecordingRow {
  id: string;
  consultation_id: string;
  media: 'audio' | 'video' | 'screen';
  status: 'recording' | 'stopped' | 'withdrawn';
  content_type: 'video/webm' | 'audio/webm';
  size_bytes: string | number;
  chunk_count: number;
  started_by: string;
  started_at: Date;
  stopped_at: Date | null;
}

const recordingColumns = sql`id, consultation_id, media, status, content_type, size_bytes, chunk_count, started_by, started_at, stopped_at`;

export async function insertRecording(
  q: Queryable,
  r: { id: string; consultationId: string; startedBy: string; consentId: string; media: string; contentType: string; now: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO consultation_recording (id, consultation_id, started_by, consent_id, media, status, content_type, started_at)
    VALUES (${r.id}, ${r.consultationId}, ${r.startedBy}, ${r.consentId}, ${r.media}, 'recording', ${r.contentType}, ${r.now})`);
}

export function findRecording(q: Queryable, consultationId: string, recordingId: string): Promise<RecordingRow | undefined> {
  return one<RecordingRow>(q, sql`SELECT ${recordingColumns} FROM consultation_recording WHERE id = ${recordingId} AND consultation_id = ${consultationId}`);
}

export function listRecordings(q: Queryable, consultationId: string): Promise<RecordingRow[]> {
  return rows<RecordingRow>(q, sql`SELECT ${recordingColumns} FROM consultation_recording WHERE consultation_id = ${consultationId} ORDER BY started_at`);
}

/**
 * Appends a chunk only while the recording runs (compare-and-swap on its status): after a withdrawal
 * no further byte is stored.
 */
export async function appendChunk(q: Queryable, recordingId: string, seq: number, contentEnc: Buffer, plainSize: number, now: Date): Promise<boolean> {
  const r = await rows(
    q,
    sql`UPDATE consultation_recording SET chunk_count = chunk_count + 1, size_bytes = size_bytes + ${plainSize}
      WHERE id = ${recordingId} AND status = 'recording' RETURNING id`,
  );
  if (r.length !== 1) return false;
  await q.execute(sql`INSERT INTO consultation_recording_chunk (recording_id, seq, content_enc, created_at) VALUES (${recordingId}, ${seq}, ${contentEnc}, ${now})`);
  return true;
}

export function stopRecording(q: Queryable, recordingId: string, status: 'stopped' | 'withdrawn', now: Date): Promise<RecordingRow | undefined> {
  return one<RecordingRow>(
    q,
    sql`UPDATE consultation_recording SET status = ${status}, stopped_at = ${now} WHERE id = ${recordingId} AND status = 'recording' RETURNING ${recordingColumns}`,
  );
}

export function stopLiveRecordings(q: Queryable, consultationId: string, status: 'stopped' | 'withdrawn', now: Date): Promise<RecordingRow[]> {
  return rows<RecordingRow>(
    q,
    sql`UPDATE consultation_recording SET status = ${status}, stopped_at = ${now} WHERE consultation_id = ${consultationId} AND status = 'recording' RETURNING ${recordingColumns}`,
  );
}

export function listChunks(q: Queryable, recordingId: string): Promise<{ seq: number; content_enc: Buffer }[]> {
  return rows(q, sql`SELECT seq, content_enc FROM consultation_recording_chunk WHERE recording_id = ${recordingId} ORDER BY seq`);
}
