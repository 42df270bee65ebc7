-- Insured patients and their GP: dated NHIF rule data, insurance-status answers cached per person and
-- day, GP contracts (list capacity) and GP registrations with their full history.
-- Security: whatever names or identifies a patient (form data, the registry's answer) is stored
-- encrypted (DECISIONS.md item 13); the clear columns are ids, codes and dates.

-- Rules, windows and limits as dated data (DECISIONS.md item 17): a rule's value applies to dates in
-- [valid_from, valid_to); a later contract adds a row instead of changing code.
CREATE TABLE nhif_rule (
  key text NOT NULL,
  -- the rule id of the domain digest the value implements, e.g. R-GP-02
  rule_id text NOT NULL,
  value jsonb NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  source text NOT NULL,
  PRIMARY KEY (key, valid_from),
  CONSTRAINT nhif_rule_validity CHECK (valid_to IS NULL OR valid_to > valid_from)
);
INSERT INTO nhif_rule (key, rule_id, value, valid_from, valid_to, source) VALUES
  ('gp.change_windows', 'R-GP-02', '[{"from": "06-01", "to": "06-30"}, {"from": "12-01", "to": "12-31"}]', '2006-01-01', NULL,
   '[001] §Избор на ОПЛ L102, L177; НРД 2006 чл. 106, ал. 1 (R-23)'),
  ('gp.temporary_months', 'R-GP-04', '{"min": 1, "max": 5}', '2006-01-01', NULL,
   '[001] L109; НРД 2006 чл. 106, ал. 5 (R-24)'),
  -- Interpretation (§1.6): under 14 and fully interdicted persons are represented; 14-17 and limited
  -- interdiction act themselves with the consent of a parent or curator.
  ('gp.representation', 'R-GP-08', '{"representedUnderAge": 14, "consentUnderAge": 18}', '2006-01-01', NULL,
   '[001] L98; ЗЛиС чл. 3-4 (External, Bulgarian civil law)'),
  ('gp.newborn', 'R-GP-09', '{"maxAgeDays": 365}', '2006-01-01', NULL, '[001] L100'),
  -- Capitation bands of НРД 2006 чл. 138, ал. 4 (R-76), in BGN as the source states them. Source issue: the
  -- boundaries at exactly 18 and 65 are ambiguous; we read them as full years [from, to).
  ('gp.age_bands', 'R-76', '[{"code": "0-18", "fromAge": 0, "toAge": 18, "capitationBgn": "1.00"}, {"code": "18-65", "fromAge": 18, "toAge": 65, "capitationBgn": "0.72"}, {"code": "65+", "fromAge": 65, "toAge": null, "capitationBgn": "1.09"}]', '2006-01-01', NULL,
   'НРД 2006 чл. 138, ал. 4'),
  -- Staffing thresholds by list size (R-32); extra staff per further 1000 / 1500 over 3500.
  ('gp.staffing', 'R-32', '{"thresholds": [{"over": 1200, "specialists": 1, "doctors": 0}, {"over": 2500, "specialists": 1, "doctors": 1}, {"over": 3500, "specialists": 2, "doctors": 1}], "specialistPerOver3500": 1000, "doctorPerOver3500": 1500}', '2006-01-01', NULL,
   'НРД 2006 чл. 113, ал. 1-2'),
  -- Monthly list register due by the 5th working day of the next month (R-29).
  ('gp.list_report_due', 'R-29', '{"workingDay": 5}', '2006-01-01', NULL, 'НРД 2006 чл. 110, ал. 1'),
  -- Money: the fixed conversion rate (DECISIONS.md item 17).
  ('money.bgn_per_eur', 'DECISIONS-17', '{"rate": "1.95583"}', '1999-01-01', NULL, 'Council Regulation (EC) No 2866/98 as amended for Bulgaria (2025)'),
  ('ins.min_sum', 'R-INS-02', '{"bgn": "60000.00"}', '2011-07-05', NULL, 'Наредба (ПМС № 80/2005) чл. 12'),
  ('ins.max_term_days', 'R-INS-04', '{"short": 90, "transit": 90, "long": 365}', '2011-07-05', NULL, 'Наредба (ПМС № 80/2005) чл. 17');

-- What the NRA's insurance-status service answered, per person, date asked about and local day of the
-- round trip: the cache that allows at most one round trip per person per day (the unique key).
CREATE TABLE insurance_status_check (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patient (id),
  on_date date NOT NULL,
  checked_on date NOT NULL,
  -- keyring scope 'registry', context 'insurance_status_check:<id>'
  answer_enc bytea NOT NULL,
  checked_at timestamptz NOT NULL,
  UNIQUE (patient_id, on_date, checked_on)
);

-- A GP's individual contract with the RHIF: the list capacity is contract data (R-11: НРД 2006 sets no
-- limit, so max_list_size is null unless a contract says otherwise).
CREATE TABLE gp_contract (
  id uuid PRIMARY KEY,
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  contract_number text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  max_list_size integer CHECK (max_list_size IS NULL OR max_list_size > 0),
  created_at timestamptz NOT NULL,
  CONSTRAINT gp_contract_validity CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX gp_contract_practitioner_idx ON gp_contract (practitioner_id, valid_from);

-- GP registrations (W8-W10). History is never overwritten: a row is inserted once and only its end
-- (ended_on, end_reason, ended_by_registration, ended_at) is set, once; the trigger below refuses the rest.
-- A registration covers [starts_on, ended_on); a temporary one is planned to end after ends_on.
CREATE TABLE gp_registration (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patient (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  kind text NOT NULL CHECK (kind IN ('initial', 'permanent', 'temporary')),
  basis text NOT NULL CHECK (basis IN ('first_choice', 'change_window', 'gp_unable', 'address_change', 'temporary_stay')),
  starts_on date NOT NULL,
  ends_on date,
  ended_on date,
  end_reason text CHECK (end_reason IN ('changed_gp', 'temporary_expired', 'replaced_by_temporary')),
  -- the registration that ended this one (no foreign key: the two are written in one transaction)
  ended_by_registration uuid,
  ended_at timestamptz,
  signer text NOT NULL CHECK (signer IN ('self', 'representative')),
  -- keyring scope 'facility:<facility_id>', context 'gp_registration:<id>:form': the form as filled in
  -- (patient names and identifier, representative, documents presented, birth notification, stay)
  form_enc bytea NOT NULL,
  entered_by uuid NOT NULL REFERENCES user_account (id),
  entered_by_role text NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT gp_registration_temporary_end CHECK ((kind = 'temporary') = (ends_on IS NOT NULL)),
  CONSTRAINT gp_registration_period CHECK (ended_on IS NULL OR ended_on >= starts_on),
  CONSTRAINT gp_registration_end CHECK ((ended_on IS NULL) = (end_reason IS NULL) AND (ended_on IS NULL) = (ended_at IS NULL))
);
-- Concurrency: one open permanent (initial or permanent) and one open temporary choice per patient.
CREATE UNIQUE INDEX gp_registration_one_permanent ON gp_registration (patient_id) WHERE kind <> 'temporary' AND ended_on IS NULL;
CREATE UNIQUE INDEX gp_registration_one_temporary ON gp_registration (patient_id) WHERE kind = 'temporary' AND ended_on IS NULL;
CREATE INDEX gp_registration_patient_idx ON gp_registration (patient_id, starts_on);
-- The patient list pages by practitioner in registration order.
CREATE INDEX gp_registration_list_idx ON gp_registration (practitioner_id, starts_on, id);
CREATE INDEX gp_registration_temporary_due_idx ON gp_registration (ends_on) WHERE kind = 'temporary' AND ended_on IS NULL;

CREATE FUNCTION gp_registration_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'gp_registration rows are history and cannot be deleted';
  END IF;
  IF OLD.ended_on IS NOT NULL
     OR (NEW.id, NEW.patient_id, NEW.practitioner_id, NEW.facility_id, NEW.kind, NEW.basis, NEW.starts_on, NEW.ends_on, NEW.signer, NEW.form_enc, NEW.entered_by, NEW.entered_by_role, NEW.created_at)
        IS DISTINCT FROM
        (OLD.id, OLD.patient_id, OLD.practitioner_id, OLD.facility_id, OLD.kind, OLD.basis, OLD.starts_on, OLD.ends_on, OLD.signer, OLD.form_enc, OLD.entered_by, OLD.entered_by_role, OLD.created_at) THEN
    RAISE EXCEPTION 'a gp_registration is only ever ended, once';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gp_registration_history BEFORE UPDATE OR DELETE ON gp_registration
  FOR EACH ROW EXECUTE FUNCTION gp_registration_history_guard();
