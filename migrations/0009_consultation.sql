-- Issue 7: the consultation channel (FHIR Encounter, class VR): real-time calls, the waiting room,
-- chat and files, store-and-forward cases, recordings (Art. 19) and the quality evidence of
-- Art. 28(1) items 8-9 (DECISIONS.md items 6, 16).
--
-- Security: chat text, file names, file contents and recordings are clinical content. They are stored
-- encrypted with the providing facility's data key (keyring scope facility:<consultation.facility_id>,
-- contexts consultation:<id>:message:<message id>, consultation:<id>:file:<file id>:name|content,
-- consultation:<id>:recording:<recording id>:<seq>) (DECISIONS.md item 13). Everything in clear here is
-- ids, codes, sizes, instants and measurements.

-- One consultation per request; opened by the first participant who asks for it.
CREATE TABLE consultation (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL UNIQUE REFERENCES service_request (id),
  -- the providing facility: its keys encrypt everything below, its quality report counts this call
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid REFERENCES patient (id),
  -- the providing specialist, who admits from the waiting room and completes the service
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  mode text NOT NULL CHECK (mode IN ('synchronous', 'asynchronous')),
  -- FHIR Encounter.status subset
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in-progress', 'finished')),
  started_at timestamptz,
  -- Art. 17(2): the documentation deadline runs from here (R-TM-39)
  completed_at timestamptz,
  completed_by uuid REFERENCES user_account (id),
  -- Art. 28(1) items 8-9 (DECISIONS.md item 16): running totals of the quality samples below
  quality_sample_count integer NOT NULL DEFAULT 0,
  latency_breach_count integer NOT NULL DEFAULT 0,
  av_sync_breach_count integer NOT NULL DEFAULT 0,
  max_latency_ms real,
  max_av_sync_ms real,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT consultation_finished_has_completion CHECK (status <> 'finished' OR (completed_at IS NOT NULL AND completed_by IS NOT NULL))
);
CREATE INDEX consultation_facility_idx ON consultation (facility_id, created_at);
CREATE INDEX consultation_practitioner_idx ON consultation (practitioner_id, status);

-- Who takes part, from the request: the providing specialist, the recipient (patient, representative or
-- the other facility's specialist) and the requester. Admission by the specialist is kept here, so a
-- participant who reconnects after a network drop does not wait again.
CREATE TABLE consultation_participant (
  consultation_id uuid NOT NULL REFERENCES consultation (id),
  account_id uuid NOT NULL REFERENCES user_account (id),
  side text NOT NULL CHECK (side IN ('provider', 'recipient', 'requester')),
  admitted_at timestamptz,
  admitted_by uuid REFERENCES user_account (id),
  first_joined_at timestamptz,
  last_joined_at timestamptz,
  PRIMARY KEY (consultation_id, account_id)
);
CREATE INDEX consultation_participant_account_idx ON consultation_participant (account_id);

-- Files: chat attachments, store-and-forward submissions and answers. The type is the one detected from
-- the content's magic bytes, never only the declared one.
CREATE TABLE consultation_file (
  id uuid PRIMARY KEY,
  consultation_id uuid NOT NULL REFERENCES consultation (id),
  uploaded_by uuid NOT NULL REFERENCES user_account (id),
  name_enc bytea NOT NULL,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf', 'application/dicom')),
  size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 52428800),
  content_enc bytea NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX consultation_file_consultation_idx ON consultation_file (consultation_id, created_at);

-- Messages: chat during and outside calls, the recipient's case description (store and forward) and
-- the specialist's written answer.
CREATE TABLE consultation_message (
  id uuid PRIMARY KEY,
  consultation_id uuid NOT NULL REFERENCES consultation (id),
  sender_account_id uuid NOT NULL REFERENCES user_account (id),
  kind text NOT NULL CHECK (kind IN ('chat', 'case', 'answer')),
  body_enc bytea NOT NULL,
  file_id uuid REFERENCES consultation_file (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX consultation_message_consultation_idx ON consultation_message (consultation_id, created_at);

-- Art. 28(1) items 8-9: WebRTC statistics each browser reports every few seconds during a call.
CREATE TABLE consultation_quality_sample (
  id uuid PRIMARY KEY,
  consultation_id uuid NOT NULL REFERENCES consultation (id),
  account_id uuid NOT NULL REFERENCES user_account (id),
  measured_at timestamptz NOT NULL,
  -- the selected candidate pair's currentRoundTripTime; latency is half of it
  rtt_ms real,
  latency_ms real,
  -- audio minus video estimatedPlayoutTimestamp (absolute value)
  av_sync_ms real,
  jitter_ms real,
  packet_loss_pct real,
  frames_per_second real,
  bitrate_kbps real,
  latency_breach boolean NOT NULL,
  av_sync_breach boolean NOT NULL
);
CREATE INDEX consultation_quality_sample_idx ON consultation_quality_sample (consultation_id, measured_at);

-- Recordings (Art. 19, DECISIONS.md item 6): only under a valid recording consent, recorded in the
-- browser and uploaded in encrypted chunks; withdrawal stops it at once.
CREATE TABLE consultation_recording (
  id uuid PRIMARY KEY,
  consultation_id uuid NOT NULL REFERENCES consultation (id),
  started_by uuid NOT NULL REFERENCES user_account (id),
  -- the recording consent the gate accepted (consent module id)
  consent_id uuid NOT NULL,
  media text NOT NULL CHECK (media IN ('audio', 'video', 'screen')),
  status text NOT NULL DEFAULT 'recording' CHECK (status IN ('recording', 'stopped', 'withdrawn')),
  content_type text NOT NULL CHECK (content_type IN ('video/webm', 'audio/webm')),
  size_bytes bigint NOT NULL DEFAULT 0,
  chunk_count integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL,
  stopped_at timestamptz,
  CHECK (status = 'recording' OR stopped_at IS NOT NULL)
);
CREATE INDEX consultation_recording_consultation_idx ON consultation_recording (consultation_id);
-- Concurrency: one running recording per consultation.
CREATE UNIQUE INDEX consultation_recording_live_uq ON consultation_recording (consultation_id) WHERE status = 'recording';

CREATE TABLE consultation_recording_chunk (
  recording_id uuid NOT NULL REFERENCES consultation_recording (id),
  seq integer NOT NULL CHECK (seq >= 0),
  content_enc bytea NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (recording_id, seq)
);

-- Signalling between server processes (PostgreSQL LISTEN/NOTIFY): a NOTIFY payload is limited to
-- 8000 bytes, so a larger message (an SDP offer with many codecs) is parked here and the notification
-- carries its id. Rows live for seconds; the bus deletes them after a minute.
CREATE TABLE signal_spill (
  id uuid PRIMARY KEY,
  payload text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX signal_spill_created_idx ON signal_spill (created_at);
