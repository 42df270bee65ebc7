-- Issue 6: consent (Art. 10, 11, 19), identity verification (Art. 7(1) item 5) and the admissibility
-- decision (Art. 7, 9). DECISIONS.md items 5-8.
--
-- Security: free text written about a case (recording reason and purpose, decline reasons, verification
-- notes, withdrawal reasons) and uploaded consent documents are encrypted with the providing facility's
-- data key (keyring scope facility:<facility_id>; contexts consent:<id>:reason|purpose|document|withdrawal,
-- admissibility:<id>:reasons, identity_verification:<id>:note). Template texts are the facility's
-- published forms, not patient data, and are stored in clear.

-- ---------------------------------------------------------------------------------------------------
-- Consent templates (Art. 19(3), R-TM-27): the facility's own forms, versioned, bilingual.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE consent_template (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  -- treatment: written informed consent (Art. 10); recording: consent to record (Art. 19)
  kind text NOT NULL CHECK (kind IN ('treatment', 'recording')),
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
  title_bg text NOT NULL CHECK (length(title_bg) BETWEEN 1 AND 200),
  title_en text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 200),
  body_bg text NOT NULL CHECK (length(body_bg) BETWEEN 1 AND 20000),
  body_en text NOT NULL CHECK (length(body_en) BETWEEN 1 AND 20000),
  -- sha256 (hex) of the canonical texts, fixed at publication
  text_sha256 text CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
  created_by uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  published_by uuid REFERENCES user_account (id),
  published_at timestamptz,
  retired_at timestamptz,
  UNIQUE (facility_id, kind, version),
  CONSTRAINT consent_template_published_complete CHECK (status = 'draft' OR (text_sha256 IS NOT NULL AND published_at IS NOT NULL AND published_by IS NOT NULL))
);
-- one published version per facility and kind; publishing a new one retires the old one
CREATE UNIQUE INDEX consent_template_published_uq ON consent_template (facility_id, kind) WHERE status = 'published';

-- Regulatory: a published version is immutable (its text is what people signed). Only the move
-- published → retired is allowed; nothing is ever deleted once published.
CREATE FUNCTION consent_template_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'consent_template % is published and cannot be deleted', OLD.id USING ERRCODE = 'P0001', HINT = 'consent.template_published';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND (
       NEW.title_bg IS DISTINCT FROM OLD.title_bg OR NEW.title_en IS DISTINCT FROM OLD.title_en
    OR NEW.body_bg IS DISTINCT FROM OLD.body_bg OR NEW.body_en IS DISTINCT FROM OLD.body_en
    OR NEW.version IS DISTINCT FROM OLD.version OR NEW.kind IS DISTINCT FROM OLD.kind
    OR NEW.facility_id IS DISTINCT FROM OLD.facility_id OR NEW.text_sha256 IS DISTINCT FROM OLD.text_sha256
    OR NEW.published_at IS DISTINCT FROM OLD.published_at
    OR NOT (NEW.status = OLD.status OR (OLD.status = 'published' AND NEW.status = 'retired'))) THEN
    RAISE EXCEPTION 'consent_template % is published and cannot be changed', OLD.id USING ERRCODE = 'P0001', HINT = 'consent.template_published';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consent_template_immutable_trg BEFORE UPDATE OR DELETE ON consent_template
  FOR EACH ROW EXECUTE FUNCTION consent_template_immutable();

-- ---------------------------------------------------------------------------------------------------
-- "Shown first" (Art. 11, R-TM-24): one row each time a published template was shown to a person for a
-- request. A signature must reference a presentation that precedes it.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE consent_presentation (
  id uuid PRIMARY KEY,
  template_id uuid NOT NULL REFERENCES consent_template (id),
  request_id uuid NOT NULL REFERENCES service_request (id),
  viewer_account_id uuid NOT NULL REFERENCES user_account (id),
  lang text NOT NULL CHECK (lang IN ('bg', 'en')),
  presented_at timestamptz NOT NULL
);
CREATE INDEX consent_presentation_request_idx ON consent_presentation (request_id, viewer_account_id);

-- ---------------------------------------------------------------------------------------------------
-- Signed consents (Art. 10, 19; FHIR Consent). Append-only except withdrawal.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE consent (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('treatment', 'recording')),
  request_id uuid NOT NULL REFERENCES service_request (id),
  -- the providing facility (whose template and whose key)
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  template_id uuid NOT NULL REFERENCES consent_template (id),
  template_version integer NOT NULL,
  presentation_id uuid NOT NULL REFERENCES consent_presentation (id),
  lang text NOT NULL CHECK (lang IN ('bg', 'en')),
  -- who signed: the patient, an Art. 87 representative, or (specialist-to-specialist consults) the
  -- requesting specialist who records the patient's consent with its document (DECISIONS.md item 5)
  signer_account_id uuid NOT NULL REFERENCES user_account (id),
  signer_role text NOT NULL CHECK (signer_role IN ('patient', 'representative', 'specialist')),
  -- the patient the representative or the specialist acted for (NULL when the patient signed)
  on_behalf_of uuid REFERENCES patient (id),
  -- the representative link that allowed it
  representative_link_id uuid,
  method text NOT NULL CHECK (method IN ('totp-step-up')),
  -- the step-up confirmation (audit_event subject step_up:<id>)
  step_up_id uuid NOT NULL,
  -- Art. 19(2), R-TM-26: reason, type and purpose of a recording
  recording_reason_enc bytea,
  recording_media text[],
  recording_purpose_enc bytea,
  -- the patient's signed document, for consents recorded by the requesting specialist
  document_enc bytea,
  document_content_type text CHECK (document_content_type IS NULL OR document_content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  document_sha256 text CHECK (document_sha256 IS NULL OR document_sha256 ~ '^[0-9a-f]{64}$'),
  signed_at timestamptz NOT NULL,
  -- sha256 (hex) of the canonical signed content (consent-hash.ts)
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  hash_version smallint NOT NULL DEFAULT 1,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
  withdrawn_at timestamptz,
  withdrawn_by uuid REFERENCES user_account (id),
  withdrawal_reason_enc bytea,
  CONSTRAINT consent_recording_complete CHECK (
    kind <> 'recording' OR (recording_reason_enc IS NOT NULL AND recording_purpose_enc IS NOT NULL
      AND recording_media IS NOT NULL AND cardinality(recording_media) >= 1
      AND recording_media <@ ARRAY['audio', 'video', 'screen']::text[])),
  CONSTRAINT consent_treatment_plain CHECK (kind <> 'treatment' OR (recording_reason_enc IS NULL AND recording_purpose_enc IS NULL AND recording_media IS NULL)),
  CONSTRAINT consent_specialist_document CHECK (signer_role <> 'specialist' OR (document_enc IS NOT NULL AND document_sha256 IS NOT NULL AND on_behalf_of IS NOT NULL)),
  CONSTRAINT consent_representative_for CHECK (signer_role <> 'representative' OR on_behalf_of IS NOT NULL),
  CONSTRAINT consent_withdrawal CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL))
);
CREATE INDEX consent_request_idx ON consent (request_id, kind, status);
CREATE INDEX consent_patient_idx ON consent (patient_id, signed_at DESC);

-- Regulatory: R-TM-24 — the information was shown to the signer, for this request and template, before
-- the signature; R-TM-27 — the template is the providing facility's published form of the right kind.
CREATE FUNCTION consent_check_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p consent_presentation%ROWTYPE;
  t consent_template%ROWTYPE;
BEGIN
  SELECT * INTO p FROM consent_presentation WHERE id = NEW.presentation_id;
  IF p.request_id <> NEW.request_id OR p.viewer_account_id <> NEW.signer_account_id OR p.template_id <> NEW.template_id
     OR p.presented_at >= NEW.signed_at THEN
    RAISE EXCEPTION 'consent % does not follow its presentation', NEW.id USING ERRCODE = 'P0001', HINT = 'consent.not_presented';
  END IF;
  SELECT * INTO t FROM consent_template WHERE id = NEW.template_id;
  IF t.status <> 'published' OR t.facility_id <> NEW.facility_id OR t.kind <> NEW.kind OR t.version <> NEW.template_version THEN
    RAISE EXCEPTION 'consent % does not use the facility''s published template', NEW.id USING ERRCODE = 'P0001', HINT = 'consent.template_invalid';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consent_check_insert_trg BEFORE INSERT ON consent FOR EACH ROW EXECUTE FUNCTION consent_check_insert();

-- A signed consent never changes, except being withdrawn once; it is never deleted.
CREATE FUNCTION consent_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'consent % cannot be deleted', OLD.id USING ERRCODE = 'P0001', HINT = 'consent.immutable';
  END IF;
  IF OLD.status <> 'active' OR NEW.status <> 'withdrawn'
     OR (to_jsonb(NEW) - ARRAY['status', 'withdrawn_at', 'withdrawn_by', 'withdrawal_reason_enc'])
        IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'withdrawn_at', 'withdrawn_by', 'withdrawal_reason_enc']) THEN
    RAISE EXCEPTION 'consent % cannot be changed', OLD.id USING ERRCODE = 'P0001', HINT = 'consent.immutable';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consent_immutable_trg BEFORE UPDATE OR DELETE ON consent FOR EACH ROW EXECUTE FUNCTION consent_immutable();

-- ---------------------------------------------------------------------------------------------------
-- Identity verification before each service (Art. 7(1) item 5, R-TM-15, DECISIONS.md item 7).
-- Append-only: the latest row of a request decides.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE identity_verification (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES service_request (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  method text NOT NULL CHECK (method IN ('qualified_esignature', 'nhis_login', 'video_document_check', 'in_person_earlier')),
  outcome text NOT NULL CHECK (outcome IN ('verified', 'failed')),
  -- scope facility:<facility_id>, context identity_verification:<id>:note
  note_enc bytea,
  verified_by_account_id uuid NOT NULL REFERENCES user_account (id),
  verified_by_practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  verified_at timestamptz NOT NULL
);
CREATE INDEX identity_verification_request_idx ON identity_verification (request_id, verified_at DESC);

CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME USING ERRCODE = 'P0001', HINT = 'consent.immutable';
END $$;
CREATE TRIGGER identity_verification_append_only BEFORE UPDATE OR DELETE ON identity_verification FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER consent_presentation_append_only BEFORE UPDATE OR DELETE ON consent_presentation FOR EACH ROW EXECUTE FUNCTION append_only();

-- ---------------------------------------------------------------------------------------------------
-- The admissibility decision (Art. 7, 9; R-TM-10..R-TM-17; DECISIONS.md item 8): the providing
-- specialist's accept or decline of one request, with the Art. 7 checklist. One per request.
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE admissibility_decision (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL UNIQUE REFERENCES service_request (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  outcome text NOT NULL CHECK (outcome IN ('accept', 'decline')),
  -- Art. 7 checklist: true = the specialist confirms the condition holds
  no_risk_to_life_or_health boolean NOT NULL,   -- Art. 7(1) item 1, R-TM-11
  quality_and_safety_assured boolean NOT NULL,  -- Art. 7(1) item 2, R-TM-12
  not_dental_except_imaging boolean NOT NULL,   -- Art. 7(1) item 3, R-TM-13
  no_direct_contact_needed boolean NOT NULL,    -- Art. 7(1) item 4, R-TM-14
  requester_identity_verifiable boolean NOT NULL, -- Art. 7(1) item 5, R-TM-15
  not_conducting_birth boolean NOT NULL,        -- Art. 7(2), R-TM-16
  not_establishing_death boolean NOT NULL,      -- Art. 7(3), R-TM-17
  -- the hard block found by the service, if any (R-TM-13, R-TM-15, R-TM-16, R-TM-17)
  blocked_rule text,
  -- scope facility:<facility_id>, context admissibility:<id>:reasons
  reasons_enc bytea,
  -- Art. 9(2): the responsible specialist
  decided_by_account_id uuid NOT NULL REFERENCES user_account (id),
  decided_by_practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  decided_at timestamptz NOT NULL,
  CONSTRAINT admissibility_accept_checklist CHECK (outcome <> 'accept' OR (no_risk_to_life_or_health AND quality_and_safety_assured
    AND not_dental_except_imaging AND no_direct_contact_needed AND requester_identity_verifiable AND not_conducting_birth
    AND not_establishing_death AND blocked_rule IS NULL)),
  CONSTRAINT admissibility_decline_reasons CHECK (outcome <> 'decline' OR reasons_enc IS NOT NULL)
);
CREATE TRIGGER admissibility_decision_append_only BEFORE UPDATE OR DELETE ON admissibility_decision FOR EACH ROW EXECUTE FUNCTION append_only();

-- Regulatory: R-TM-10 (Art. 9) — a request is accepted or declined only together with the providing
-- specialist's recorded decision of the same outcome, in the same transaction (a deferred check, so
-- the order of the two writes does not matter). Whatever code path moves the status, this holds.
CREATE FUNCTION service_request_requires_decision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted text := CASE WHEN NEW.status = 'accepted' THEN 'accept' ELSE 'decline' END;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM admissibility_decision d WHERE d.request_id = NEW.id AND d.outcome = wanted) THEN
    RAISE EXCEPTION 'service_request % cannot be decided (%) without an admissibility decision', NEW.id, wanted USING ERRCODE = 'P0001', HINT = 'admissibility.decision_required';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER service_request_requires_decision_trg AFTER UPDATE OF status ON service_request
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status IN ('accepted', 'declined') AND OLD.status = 'requested')
  EXECUTE FUNCTION service_request_requires_decision();
