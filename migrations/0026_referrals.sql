-- Referrals (МЗ-НЗОК № 3, 3А, 4, 6, 7 and МЗ 119а) and e-prescriptions issued from an encounter,
-- signed, immutable, recorded in the NHIS through the outbox (docs/referrals.md; §2.C, W13, W14, W27).

-- Rules as dated data (DECISIONS.md item 17).
INSERT INTO nhif_rule (key, rule_id, value, valid_from, valid_to, source) VALUES
  ('referral.validity_days', 'R-REF-01', '{"3": 30, "3A": 30, "4": 30, "7": 30}', '2006-01-01', NULL,
   '[001] L115, L117, L118, L125; НРД 2006 чл. 121, ал. 3-5 (R-35, R-37, R-38)'),
  -- Source issue: НРД 2006 чл. 121, ал. 3 (R-36) says 45 days; [001] L195 (R-REF-02) says 30. [001] is the later text.
  ('referral.secondary_exam_days', 'R-REF-02', '{"days": 30}', '2006-01-01', NULL, '[001] L115, L195'),
  ('referral.budget_warn_percent', 'R-48', '{"percent": 80}', '2006-01-01', NULL, 'W13.8; НРД 2006 чл. 119, ал. 6'),
  ('prescription.limits', 'R-53', '{"maxProductsPerDisease": 3, "maxDaysPerLine": 90, "protocolMaxMonths": 6}', '2006-01-01', NULL,
   'НРД 2006 чл. 35, ал. 1 (R-53); чл. 40 (R-58); чл. 54 (R-60)');

-- Contracts with the RHIF for outpatient care (R-REF-06: who may issue NHIF forms).
CREATE TABLE rhif_outpatient_contract (
  id uuid PRIMARY KEY,
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  kind text NOT NULL CHECK (kind IN ('pimp', 'simp')),
  contract_number text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  created_at timestamptz NOT NULL,
  CONSTRAINT rhif_outpatient_contract_validity CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX rhif_outpatient_contract_idx ON rhif_outpatient_contract (practitioner_id, facility_id, valid_from);

-- Hospitals contracted for clinical pathways (R-REF-07).
CREATE TABLE hospital_pathway_contract (
  facility_id uuid NOT NULL REFERENCES facility (id),
  pathway_code text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  PRIMARY KEY (facility_id, pathway_code, valid_from),
  CONSTRAINT hospital_pathway_contract_validity CHECK (valid_to IS NULL OR valid_to > valid_from)
);

-- Regulatory standards (регулативни стандарти, R-48): the quarterly referral budget per practice and
-- form from the contract's protocol, dated.
CREATE TABLE referral_standard (
  facility_id uuid NOT NULL REFERENCES facility (id),
  form text NOT NULL CHECK (form IN ('3', '3A', '4', '6', '7')),
  per_quarter integer NOT NULL CHECK (per_quarter >= 0),
  valid_from date NOT NULL,
  valid_to date,
  source text NOT NULL,
  PRIMARY KEY (facility_id, form, valid_from),
  CONSTRAINT referral_standard_validity CHECK (valid_to IS NULL OR valid_to > valid_from)
);

-- The medicines nomenclature (NHIS CL009 / the NHIF positive list); a team-written demo subset ships,
-- `distansia import medicines <file>` loads the full list.
CREATE TABLE medicine (
  code text PRIMARY KEY,
  name text NOT NULL,
  inn text NOT NULL,
  dosage_form text NOT NULL,
  strength text,
  pack text,
  atc text,
  nhif_reimbursed boolean NOT NULL,
  protocol_required boolean NOT NULL DEFAULT false,
  source text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX medicine_inn_idx ON medicine (lower(inn));

-- One row per signed version. Clinical content is encrypted with the facility's key; what the rules and
-- lists need (form, dates, status, numbers) is plain. A correction is a new row replacing the old one.
CREATE TABLE referral (
  id uuid PRIMARY KEY,
  replaces_id uuid UNIQUE REFERENCES referral (id),
  revision integer NOT NULL CHECK (revision >= 1),
  patient_id uuid NOT NULL REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  encounter_id uuid NOT NULL REFERENCES encounter (id),
  form text NOT NULL CHECK (form IN ('3', '3A', '4', '6', '7', '119a')),
  issued_on date NOT NULL,
  valid_until date,
  content_enc bytea NOT NULL,
  content_sha256 text NOT NULL,
  signature text NOT NULL,
  signing_key_id uuid NOT NULL REFERENCES practitioner_signing_key (id),
  step_up_id text NOT NULL,
  signed_at timestamptz NOT NULL,
  lrn uuid NOT NULL UNIQUE,
  -- pending: signed, waiting for the NHIS; issued: acknowledged with its НРН; rejected: refused by the
  -- NHIS; cancelling/cancelled: R007; superseded: replaced by a correction; used: booked or performed.
  status text NOT NULL CHECK (status IN ('pending', 'issued', 'rejected', 'cancelling', 'cancelled', 'superseded', 'used')),
  nrn char(12) UNIQUE,
  acknowledged_at timestamptz,
  nhis_error text,
  nhis_attempts integer NOT NULL DEFAULT 0,
  cancel_reason text,
  used_at timestamptz,
  used_by_facility_id uuid REFERENCES facility (id),
  used_by_practitioner_id uuid REFERENCES practitioner (id),
  created_by_account_id uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX referral_patient_idx ON referral (patient_id, issued_on DESC);
CREATE INDEX referral_budget_idx ON referral (facility_id, form, issued_on);

CREATE TABLE prescription (
  id uuid PRIMARY KEY,
  replaces_id uuid UNIQUE REFERENCES prescription (id),
  revision integer NOT NULL CHECK (revision >= 1),
  patient_id uuid NOT NULL REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  encounter_id uuid NOT NULL REFERENCES encounter (id),
  kind text NOT NULL CHECK (kind IN ('nhif', 'ordinary')),
  issued_on date NOT NULL,
  content_enc bytea NOT NULL,
  content_sha256 text NOT NULL,
  signature text NOT NULL,
  signing_key_id uuid NOT NULL REFERENCES practitioner_signing_key (id),
  step_up_id text NOT NULL,
  signed_at timestamptz NOT NULL,
  lrn uuid NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('pending', 'issued', 'rejected', 'cancelling', 'cancelled', 'superseded', 'dispensed')),
  nrn char(12) UNIQUE,
  acknowledged_at timestamptz,
  nhis_error text,
  nhis_attempts integer NOT NULL DEFAULT 0,
  cancel_reason text,
  -- Which pharmacy dispensed it (P017), encrypted: where a patient buys medicines is health data.
  dispensation_enc bytea,
  created_by_account_id uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX prescription_patient_idx ON prescription (patient_id, issued_on DESC);

-- Every NHIS exchange for a referral or prescription, as evidence (S-02).
CREATE TABLE nhis_document_attempt (
  id uuid PRIMARY KEY,
  document_kind text NOT NULL CHECK (document_kind IN ('referral', 'prescription')),
  document_id uuid NOT NULL,
  message_type text NOT NULL,
  message_id uuid NOT NULL,
  at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'error', 'unavailable')),
  error text,
  duration_ms integer NOT NULL
);
CREATE INDEX nhis_document_attempt_doc_idx ON nhis_document_attempt (document_id, at);

-- Signed content never changes: only the NHIS state, the use and the cancellation move.
CREATE FUNCTION nhis_document_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.content_enc IS DISTINCT FROM OLD.content_enc OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
     OR NEW.signature IS DISTINCT FROM OLD.signature OR NEW.signing_key_id IS DISTINCT FROM OLD.signing_key_id
     OR NEW.signed_at IS DISTINCT FROM OLD.signed_at OR NEW.patient_id IS DISTINCT FROM OLD.patient_id
     OR NEW.practitioner_id IS DISTINCT FROM OLD.practitioner_id OR NEW.issued_on IS DISTINCT FROM OLD.issued_on
     OR NEW.lrn IS DISTINCT FROM OLD.lrn OR NEW.encounter_id IS DISTINCT FROM OLD.encounter_id
     OR (OLD.nrn IS NOT NULL AND NEW.nrn IS DISTINCT FROM OLD.nrn) THEN
    RAISE EXCEPTION 'a signed % never changes; issue a correction', TG_TABLE_NAME USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER referral_immutable BEFORE UPDATE ON referral FOR EACH ROW EXECUTE FUNCTION nhis_document_immutable();
CREATE TRIGGER prescription_immutable BEFORE UPDATE ON prescription FOR EACH ROW EXECUTE FUNCTION nhis_document_immutable();
CREATE FUNCTION nhis_document_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a signed % is never deleted', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER referral_no_delete BEFORE DELETE ON referral FOR EACH ROW EXECUTE FUNCTION nhis_document_no_delete();
CREATE TRIGGER prescription_no_delete BEFORE DELETE ON prescription FOR EACH ROW EXECUTE FUNCTION nhis_document_no_delete();
