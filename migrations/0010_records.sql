-- Issue 8: clinical records (ambulatory sheets, written consultations, written information for the
-- patient), their signatures, the national record (NHIS) submissions, and the Art. 17 documentation
-- deadlines.
--
-- Security: everything a specialist writes (the document content, a complexity reason) is clinical
-- content: it is stored encrypted with the providing facility's data key (keyring scope
-- facility:<facility_id>, contexts clinical_document:<id>:content and documentation_deadline:<request
-- id>:complex_reason) (DECISIONS.md item 13). In clear here: ids, codes, instants, digests and
-- signatures over digests (a JWS here signs ids and a SHA-256 digest, never the content itself).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ---------------------------------------------------------------------------------------------------
-- ICD-10 (МКБ-10) as the NHIS nomenclature CL011. `source` says where a row came from: the demo subset
-- written by the team (short titles of our own) or an import of the NHIS CL011 export.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE icd10_code (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?[+*]?$'),
  title_bg text NOT NULL CHECK (length(title_bg) BETWEEN 1 AND 500),
  title_en text CHECK (title_en IS NULL OR length(title_en) BETWEEN 1 AND 500),
  is_chronic boolean,
  source text NOT NULL CHECK (source IN ('demo', 'cl011')),
  -- lower-case code, titles and the Latin transliteration of the Bulgarian title, for search as you type
  search_text text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX icd10_code_search_trgm_idx ON icd10_code USING gin (search_text gin_trgm_ops);
CREATE INDEX icd10_code_prefix_idx ON icd10_code (code text_pattern_ops);

-- ---------------------------------------------------------------------------------------------------
-- Signing keys of specialists (advanced electronic signature, JWS). One active key per specialist and
-- facility; retired keys stay so that old signatures keep verifying. `private_key_enc` is the PKCS#8
-- key encrypted with the facility's data key (context signing_key:<id>:private); it is NULL for keys
-- held outside Distansia (a qualified signature device through a PKCS#11 bridge or a cloud QES).
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE practitioner_signing_key (
  id uuid PRIMARY KEY,
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  alg text NOT NULL CHECK (alg IN ('EdDSA', 'ES256')),
  level text NOT NULL CHECK (level IN ('advanced', 'qualified')),
  public_jwk jsonb NOT NULL,
  private_key_enc bytea,
  created_at timestamptz NOT NULL,
  retired_at timestamptz,
  CONSTRAINT practitioner_signing_key_held CHECK (level = 'qualified' OR private_key_enc IS NOT NULL)
);
CREATE UNIQUE INDEX practitioner_signing_key_active_uq ON practitioner_signing_key (practitioner_id, facility_id) WHERE retired_at IS NULL;

-- ---------------------------------------------------------------------------------------------------
-- Clinical documents. One row per revision: a correction is a new row that `replaces` the signed one
-- (a linear chain: each revision is replaced at most once). Signed rows never change (trigger below).
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE clinical_document (
  id uuid PRIMARY KEY,
  -- R-TM-40: ambulatory sheet for a patient's request, written consultation for a specialist's (Art. 17(1),
  -- 20(1)); the written information the requesting specialist gives the patient (Art. 20(2))
  kind text NOT NULL CHECK (kind IN ('ambulatory_sheet', 'consultation_report', 'patient_information')),
  request_id uuid NOT NULL REFERENCES service_request (id),
  patient_id uuid REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  author_practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  author_account_id uuid NOT NULL REFERENCES user_account (id),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
  revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  replaces_id uuid UNIQUE REFERENCES clinical_document (id),
  -- keyring scope facility:<facility_id>, context clinical_document:<id>:content; JSON of the document
  content_enc bytea NOT NULL,
  -- SHA-256 (hex) of the RFC 8785 canonical form of the signed content
  content_sha256 char(64),
  -- compact JWS (or the external signer's signature) over {doc, revision, sha256, …}; see records/signing.ts
  signature text,
  signature_format text CHECK (signature_format IN ('jws')),
  signing_key_id uuid REFERENCES practitioner_signing_key (id),
  signed_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- optimistic lock of a draft (ETag / If-Match, STYLE C9)
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT clinical_document_signed_complete CHECK (
    status = 'draft' OR (content_sha256 IS NOT NULL AND signature IS NOT NULL AND signature_format IS NOT NULL AND signing_key_id IS NOT NULL AND signed_at IS NOT NULL)),
  CONSTRAINT clinical_document_revision_chain CHECK ((revision = 1) = (replaces_id IS NULL))
);
-- one open draft per request and kind
CREATE UNIQUE INDEX clinical_document_draft_uq ON clinical_document (request_id, kind) WHERE status = 'draft';
-- one first revision per request and kind; later revisions hang off it through replaces_id
CREATE UNIQUE INDEX clinical_document_first_uq ON clinical_document (request_id, kind) WHERE revision = 1;
CREATE INDEX clinical_document_patient_idx ON clinical_document (patient_id, signed_at DESC) WHERE status = 'signed';
CREATE INDEX clinical_document_request_idx ON clinical_document (request_id);

-- Regulatory: Art. 20(1) — a signed document is final. Corrections are new revisions; nothing may
-- update or delete a signed row, whichever code path tries.
CREATE FUNCTION clinical_document_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'signed' THEN
      RAISE EXCEPTION 'clinical_document % is signed and cannot be deleted', OLD.id USING ERRCODE = 'P0001', HINT = 'records.document_signed';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'clinical_document % is signed and cannot be changed', OLD.id USING ERRCODE = 'P0001', HINT = 'records.document_signed';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER clinical_document_immutable_trg BEFORE UPDATE OR DELETE ON clinical_document
  FOR EACH ROW EXECUTE FUNCTION clinical_document_immutable();

-- Regulatory: R-TM-41 (Art. 20(1)) and R-TM-40 (Art. 17(1)) — a request is closed (`documented`) only
-- with a signed ambulatory sheet (patient's request) or a signed written consultation (specialist's
-- request). The requests service checks first for a friendly error; this is the guarantee.
CREATE FUNCTION service_request_documented_requires_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  needed text := CASE WHEN NEW.requester_kind = 'specialist' THEN 'consultation_report' ELSE 'ambulatory_sheet' END;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM clinical_document d WHERE d.request_id = NEW.id AND d.kind = needed AND d.status = 'signed') THEN
    RAISE EXCEPTION 'service_request % cannot be documented without a signed %', NEW.id, needed USING ERRCODE = 'P0001', HINT = 'records.sheet_required';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER service_request_documented_requires_record_trg BEFORE UPDATE OF status ON service_request
  FOR EACH ROW WHEN (NEW.status = 'documented' AND OLD.status IS DISTINCT FROM 'documented')
  EXECUTE FUNCTION service_request_documented_requires_record();

-- ---------------------------------------------------------------------------------------------------
-- Recording in the national record (NHIS): one submission per signed revision, its national reference
-- number (NRN) and every attempt (evidence when the NHIS is down; S-02).
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE nhis_submission (
  id uuid PRIMARY KEY,
  document_id uuid NOT NULL UNIQUE REFERENCES clinical_document (id),
  request_id uuid NOT NULL REFERENCES service_request (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  -- open (X001) + close (X003) for a first revision; correct (X009) for a later one
  operation text NOT NULL CHECK (operation IN ('open_close', 'correct')),
  -- our local reference number (lrn) sent in X001
  lrn text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'opened', 'acknowledged', 'rejected')),
  nrn text,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  CONSTRAINT nhis_submission_ack CHECK ((status = 'acknowledged') = (acknowledged_at IS NOT NULL)),
  CONSTRAINT nhis_submission_nrn CHECK (status NOT IN ('opened', 'acknowledged') OR nrn IS NOT NULL)
);
CREATE INDEX nhis_submission_request_idx ON nhis_submission (request_id);
CREATE INDEX nhis_submission_status_idx ON nhis_submission (status) WHERE status <> 'acknowledged';

CREATE TABLE nhis_attempt (
  id uuid PRIMARY KEY,
  submission_id uuid NOT NULL REFERENCES nhis_submission (id),
  message_type text NOT NULL CHECK (message_type ~ '^[A-Z][0-9]{3}$'),
  message_id uuid NOT NULL,
  at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'error', 'unavailable')),
  -- the NHIS error reason code or a transport error class; never content
  error text,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0)
);
CREATE INDEX nhis_attempt_submission_idx ON nhis_attempt (submission_id, at);

-- ---------------------------------------------------------------------------------------------------
-- Art. 17 documentation deadlines: one row per completed service (DECISIONS.md items 9-11).
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE documentation_deadline (
  request_id uuid PRIMARY KEY REFERENCES service_request (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  practitioner_id uuid REFERENCES practitioner (id),
  urgency text NOT NULL CHECK (urgency IN ('planned', 'emergency')),
  mode text NOT NULL CHECK (mode IN ('synchronous', 'asynchronous')),
  -- what closes it (R-TM-40)
  document_kind text NOT NULL CHECK (document_kind IN ('ambulatory_sheet', 'consultation_report')),
  time_zone text NOT NULL,
  -- R-TM-39: the clock starts at completion
  completed_at timestamptz NOT NULL,
  base_due_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  -- when 80% of the time to due_at has passed: the facility is alerted
  escalate_at timestamptz NOT NULL,
  -- R-TM-43: only the providing specialist, before base_due_at, with a reason
  complex boolean NOT NULL DEFAULT false,
  complex_kind text CHECK (complex_kind IN ('complex_case', 'image_processing', 'mutual_consultation')),
  complex_reason_enc bytea,
  complex_set_at timestamptz,
  complex_set_by uuid REFERENCES user_account (id),
  -- open until the NHIS acknowledges the record; met/missed by comparing the acknowledgement to due_at
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'missed')),
  recorded_at timestamptz,
  nrn text,
  escalated_at timestamptz,
  -- when the breach was detected, and why (not signed yet / waiting for the NHIS / NHIS refused it)
  breached_at timestamptz,
  breach_cause text CHECK (breach_cause IN ('not_signed', 'nhis_pending', 'nhis_unavailable', 'nhis_rejected', 'recorded_late')),
  created_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT documentation_deadline_order CHECK (base_due_at > completed_at AND due_at >= base_due_at AND escalate_at > completed_at AND escalate_at <= due_at),
  CONSTRAINT documentation_deadline_complex CHECK (
    complex = (complex_kind IS NOT NULL) AND complex = (complex_reason_enc IS NOT NULL) AND complex = (complex_set_at IS NOT NULL)),
  CONSTRAINT documentation_deadline_recorded CHECK ((status = 'met') <= (recorded_at IS NOT NULL AND recorded_at <= due_at))
);
-- The deadline scan: open rows past due (breaches) and open rows past 80% not yet escalated.
CREATE INDEX documentation_deadline_open_due_idx ON documentation_deadline (due_at) WHERE status = 'open';
CREATE INDEX documentation_deadline_escalate_idx ON documentation_deadline (escalate_at) WHERE status = 'open' AND escalated_at IS NULL;
CREATE INDEX documentation_deadline_practitioner_idx ON documentation_deadline (practitioner_id, due_at) WHERE status = 'open';
CREATE INDEX documentation_deadline_facility_idx ON documentation_deadline (facility_id, completed_at);
