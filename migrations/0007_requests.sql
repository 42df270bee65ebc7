-- Issue 5: telemedicine requests (Art. 8, 12, 14, 18), booking (FHIR Appointment), emergency routing
-- (Art. 14(3)) and notifications (STYLE C20).
--
-- Security: everything a person types into a request (recipient phone, other circumstances, the Art. 12
-- intake, reasons for cancelling or declining) and every attachment is clinical content: it is stored
-- encrypted with the providing facility's data key (keyring scope facility:<provider_facility_id>,
-- contexts request:<id>:form, request:<id>:attachment:<attachment id>, request_event:<id>:reason)
-- (DECISIONS.md item 13). Everything in clear here is ids, codes and instants.

-- ---------------------------------------------------------------------------------------------------
-- The facility's rules for changes (cancellation and rescheduling) and emergency acknowledgement.
-- A facility without a row uses the defaults of the columns.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE request_policy (
  facility_id uuid PRIMARY KEY REFERENCES facility (id),
  -- the requester side may cancel or reschedule until this many minutes before the start
  requester_change_min_minutes integer NOT NULL DEFAULT 1440 CHECK (requester_change_min_minutes BETWEEN 0 AND 43200),
  -- the provider side may cancel or reschedule until this many minutes before the start
  provider_change_min_minutes integer NOT NULL DEFAULT 60 CHECK (provider_change_min_minutes BETWEEN 0 AND 43200),
  -- how long one specialist on the rota has to acknowledge an emergency before it escalates
  emergency_ack_minutes smallint NOT NULL DEFAULT 3 CHECK (emergency_ack_minutes BETWEEN 1 AND 60),
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1
);

-- The emergency on-call rota of a facility per specialty (Art. 14(3)): emergencies go to these
-- specialists, in `position` order for escalation. The (practitioner, facility) foreign key keeps the
-- rota to people who work there (R-TM-01).
CREATE TABLE emergency_rota (
  facility_id uuid NOT NULL REFERENCES facility (id),
  specialty_code char(4) NOT NULL REFERENCES specialty (code),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  position smallint NOT NULL CHECK (position >= 1),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (facility_id, specialty_code, practitioner_id),
  UNIQUE (facility_id, specialty_code, position),
  FOREIGN KEY (practitioner_id, facility_id) REFERENCES practitioner_role (practitioner_id, facility_id)
);

-- ---------------------------------------------------------------------------------------------------
-- The request (Art. 18 form; FHIR ServiceRequest)
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE service_request (
  id uuid PRIMARY KEY,
  -- R-TM-09: exactly one urgency and one mode (Art. 14(1), (4))
  urgency text NOT NULL CHECK (urgency IN ('planned', 'emergency')),
  mode text NOT NULL CHECK (mode IN ('synchronous', 'asynchronous')),
  status text NOT NULL DEFAULT 'requested'
    CHECK (status IN ('requested', 'accepted', 'declined', 'scheduled', 'in_progress', 'completed', 'documented', 'cancelled', 'noshow')),
  -- Requester (заявител, Art. 8(1)) and recipient (получател, Art. 8(2)); DECISIONS.md item 2.
  requester_kind text NOT NULL CHECK (requester_kind IN ('patient', 'representative', 'specialist')),
  requester_account_id uuid NOT NULL REFERENCES user_account (id),
  requester_practitioner_id uuid REFERENCES practitioner (id),
  requester_facility_id uuid REFERENCES facility (id),
  recipient_kind text NOT NULL CHECK (recipient_kind IN ('patient', 'specialist')),
  recipient_practitioner_id uuid REFERENCES practitioner (id),
  recipient_facility_id uuid REFERENCES facility (id),
  -- the patient the service is about (always the recipient when the recipient is a patient)
  patient_id uuid REFERENCES patient (id),
  -- Art. 18 items 1-2: the providing facility, the specialty, the specialist (for emergencies: who accepted)
  provider_facility_id uuid NOT NULL REFERENCES facility (id),
  specialty_code char(4) NOT NULL REFERENCES specialty (code),
  service_id uuid REFERENCES facility_service (id),
  practitioner_id uuid REFERENCES practitioner (id),
  -- Art. 18 item 3: the slot of the published schedule (direct interaction only)
  slot_id uuid REFERENCES slot (id),
  -- Art. 18 items 4-5 and Art. 12: encrypted JSON {phone, circumstances, intake{...}}
  form_enc bytea NOT NULL,
  -- Retried POSTs are answered with the first result (STYLE C8 item 4).
  idempotency_key text,
  idempotency_hash text,
  -- emergency routing: the rota position currently alerted, and the acknowledgement
  escalation_position smallint,
  accepted_at timestamptz,
  accepted_by_account_id uuid REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT service_request_idempotency UNIQUE (requester_account_id, idempotency_key),
  -- R-TM-04: a patient recipient is the patient the request is for (and who, or whose representative, filed it)
  CONSTRAINT service_request_patient_recipient CHECK (recipient_kind <> 'patient' OR patient_id IS NOT NULL),
  CONSTRAINT service_request_patient_requester CHECK (requester_kind NOT IN ('patient', 'representative') OR (recipient_kind = 'patient' AND patient_id IS NOT NULL)),
  -- R-TM-03: a specialist requester acts from a facility
  CONSTRAINT service_request_specialist_requester CHECK (requester_kind <> 'specialist' OR (requester_practitioner_id IS NOT NULL AND requester_facility_id IS NOT NULL)),
  CONSTRAINT service_request_specialist_recipient CHECK (recipient_kind <> 'specialist' OR (recipient_practitioner_id IS NOT NULL AND recipient_facility_id IS NOT NULL)),
  -- R-TM-05, R-TM-07: emergencies are consultations between specialists only
  CONSTRAINT service_request_emergency_consultative CHECK (urgency <> 'emergency' OR (requester_kind = 'specialist' AND recipient_kind = 'specialist')),
  -- R-TM-08: planned care is requested against a published service
  CONSTRAINT service_request_planned_service CHECK (urgency <> 'planned' OR (service_id IS NOT NULL AND practitioner_id IS NOT NULL)),
  -- R-TM-30: a slot is required for planned care with direct interaction, and only there
  CONSTRAINT service_request_slot_mode CHECK (
    (urgency = 'planned' AND mode = 'synchronous' AND slot_id IS NOT NULL)
    OR (mode = 'asynchronous' AND slot_id IS NULL)
    OR (urgency = 'emergency' AND slot_id IS NULL))
);
CREATE INDEX service_request_requester_idx ON service_request (requester_account_id, created_at DESC);
CREATE INDEX service_request_patient_idx ON service_request (patient_id, created_at DESC) WHERE patient_id IS NOT NULL;
CREATE INDEX service_request_practitioner_idx ON service_request (practitioner_id, status) WHERE practitioner_id IS NOT NULL;
CREATE INDEX service_request_provider_open_idx ON service_request (provider_facility_id, specialty_code, urgency)
  WHERE status IN ('requested', 'accepted', 'scheduled', 'in_progress');

-- The lifecycle as seen by both sides: one row per transition (the request's history).
CREATE TABLE service_request_event (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES service_request (id),
  action text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  -- which side acted: requester (patient, representative, requesting specialist), provider, system
  side text NOT NULL CHECK (side IN ('requester', 'provider', 'system')),
  actor_account_id uuid REFERENCES user_account (id),
  -- scope facility:<provider>, context request_event:<id>:reason
  reason_enc bytea,
  at timestamptz NOT NULL
);
CREATE INDEX service_request_event_request_idx ON service_request_event (request_id, at);

-- Attachments (documents and images), encrypted at rest.
CREATE TABLE request_attachment (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES service_request (id),
  -- scope facility:<provider>, context request:<request id>:attachment:<id>:name / :content
  name_enc bytea NOT NULL,
  content_type text NOT NULL CHECK (content_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  content_enc bytea NOT NULL,
  created_by uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX request_attachment_request_idx ON request_attachment (request_id);

-- Emergency alerts sent along the rota (who was alerted when; who acknowledged).
CREATE TABLE emergency_alert (
  request_id uuid NOT NULL REFERENCES service_request (id),
  position smallint NOT NULL,
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  alerted_at timestamptz NOT NULL,
  escalated_at timestamptz,
  PRIMARY KEY (request_id, position)
);

-- ---------------------------------------------------------------------------------------------------
-- Appointments (FHIR Appointment) and the no-overlap guarantee (STYLE C8)
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE appointment (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES service_request (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  slot_id uuid REFERENCES slot (id),
  start timestamptz NOT NULL,
  "end" timestamptz NOT NULL,
  -- the visit plus buffers; stored because index expressions must be immutable
  block_start timestamptz NOT NULL,
  block_end timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CHECK ("end" > start),
  CHECK (block_start <= start AND block_end >= "end"),
  -- Concurrency: the database, not the application, guarantees that a specialist is never booked twice
  -- (STYLE C8); the service maps 23P01 to appointment.slot_taken.
  CONSTRAINT appointment_practitioner_no_overlap EXCLUDE USING gist (
    practitioner_id WITH =, tstzrange(block_start, block_end, '[)') WITH &&
  ) WHERE (status NOT IN ('cancelled', 'noshow', 'entered-in-error'))
);
-- one live appointment per request (a reschedule cancels the old one and books a new one)
CREATE UNIQUE INDEX appointment_request_live_uq ON appointment (request_id) WHERE status NOT IN ('cancelled', 'noshow', 'entered-in-error');
CREATE INDEX appointment_practitioner_start_idx ON appointment (practitioner_id, start);

-- ---------------------------------------------------------------------------------------------------
-- Notifications (STYLE C20): one row per message and channel, written by the outbox handlers. Messages
-- carry no clinical content; addresses are resolved at send time and never stored here.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE notification (
  id uuid PRIMARY KEY,
  -- idempotency of the handler: <outbox id>:<recipient account>:<channel>
  dedupe_key text NOT NULL UNIQUE,
  kind text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  request_id uuid REFERENCES service_request (id),
  recipient_account_id uuid REFERENCES user_account (id),
  facility_id uuid REFERENCES facility (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX notification_status_idx ON notification (status, created_at);
CREATE INDEX notification_facility_idx ON notification (facility_id, created_at);

-- The development sink (config DEV_MAIL_SINK): what would have been sent, shown at /dev/outbox.
-- Demo only: holds the addresses and text of demo messages (no clinical content by construction).
CREATE TABLE dev_message (
  id uuid PRIMARY KEY,
  notification_id uuid REFERENCES notification (id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  to_address text NOT NULL,
  subject text,
  body text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX dev_message_created_idx ON dev_message (created_at DESC);
