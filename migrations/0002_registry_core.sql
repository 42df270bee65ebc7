-- Core registers every module refers to: encryption keys, facility types, facilities, specialties,
-- practitioners and patients. The facility registry issue extends these tables.

-- Data keys of the envelope encryption (DECISIONS.md item 13). Each is wrapped by a master key that is
-- kept outside the database; a dump of this table reveals nothing.
CREATE TABLE data_key (
  id uuid PRIMARY KEY,
  scope text NOT NULL,
  master_version integer NOT NULL,
  wrapped bytea NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz
);
CREATE UNIQUE INDEX data_key_one_active_per_scope ON data_key (scope) WHERE retired_at IS NULL;

-- Types of medical establishment (ЗЛЗ). Regulatory: Art. 4(2) refuses the types of ЗЛЗ Art. 10 items 2, 5, 7;
-- the list is data with an eligibility flag (DECISIONS.md item 4).
CREATE TABLE facility_type (
  code text PRIMARY KEY,
  name_bg text NOT NULL,
  name_en text NOT NULL,
  legal_basis text NOT NULL,
  eligible boolean NOT NULL
);
INSERT INTO facility_type (code, name_bg, name_en, legal_basis, eligible) VALUES
  ('ipmp', 'Амбулатория за първична медицинска помощ', 'Primary care practice', 'ЗЛЗ чл. 8, ал. 1, т. 1', true),
  ('isomp', 'Амбулатория за специализирана медицинска помощ', 'Specialised outpatient practice', 'ЗЛЗ чл. 8, ал. 1, т. 2', true),
  ('mc', 'Медицински център', 'Medical centre', 'ЗЛЗ чл. 8, ал. 1, т. 2, б. „б“', true),
  ('dkc', 'Диагностично-консултативен център', 'Diagnostic and consultative centre', 'ЗЛЗ чл. 8, ал. 1, т. 2, б. „в“', true),
  ('hospital', 'Болница', 'Hospital', 'ЗЛЗ чл. 9', true),
  ('complex_onco', 'Комплексен онкологичен център', 'Comprehensive cancer centre', 'ЗЛЗ чл. 10, т. 3', true),
  ('transfusion', 'Център за трансфузионна хематология', 'Transfusion haematology centre', 'ЗЛЗ чл. 10, т. 2 (unverified mapping, DECISIONS.md item 4)', false),
  ('medico_social', 'Дом за медико-социални грижи', 'Home for medico-social care', 'ЗЛЗ чл. 10, т. 5 (unverified mapping, DECISIONS.md item 4)', false),
  ('tissue_bank', 'Тъканна банка', 'Tissue bank', 'ЗЛЗ чл. 10, т. 7 (unverified mapping, DECISIONS.md item 4)', false);

CREATE TABLE facility (
  id uuid PRIMARY KEY,
  number char(10) NOT NULL UNIQUE,
  name text NOT NULL,
  type_code text NOT NULL REFERENCES facility_type (code),
  rhif_code char(2) NOT NULL,
  ekatte char(5),
  settlement text NOT NULL,
  address text NOT NULL,
  phone text,
  email text,
  website text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  time_zone text NOT NULL DEFAULT 'Europe/Sofia',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1
);

-- Medical specialties (NHIS CL006 4-digit codes with the NHIF 2-digit code where verified). The full
-- list is imported by the registry; these rows are the verified examples from the domain digest.
CREATE TABLE specialty (
  code char(4) PRIMARY KEY,
  nhif_code char(2),
  name_bg text NOT NULL,
  name_en text NOT NULL,
  dental boolean NOT NULL DEFAULT false
);
INSERT INTO specialty (code, nhif_code, name_bg, name_en, dental) VALUES
  ('0000', '00', 'Общопрактикуващ лекар', 'General practitioner', false),
  ('1001', NULL, 'Акушерство и гинекология', 'Obstetrics and gynaecology', false),
  ('1003', NULL, 'Анестезиология и интензивно лечение', 'Anaesthesiology and intensive care', false),
  ('1004', NULL, 'Вътрешни болести', 'Internal medicine', false),
  ('1020', NULL, 'Кардиология', 'Cardiology', false),
  ('1043', NULL, 'Обща медицина', 'General medicine', false),
  ('1046', NULL, 'Педиатрия', 'Paediatrics', false),
  ('2079', '61', 'Детска дентална медицина', 'Paediatric dentistry', true),
  ('2081', '64', 'Обща дентална медицина', 'General dentistry', true),
  ('2083', '62', 'Орална хирургия', 'Oral surgery', true),
  ('3088', '68', 'Дентална, орална и лицево-челюстна хирургия', 'Dental, oral and maxillofacial surgery', true);

-- Practitioners are public persons in the directory (Art. 15); their names are not patient data.
CREATE TABLE practitioner (
  id uuid PRIMARY KEY,
  uin char(10) NOT NULL UNIQUE,
  given_name text NOT NULL,
  family_name text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE practitioner_specialty (
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  specialty_code char(4) NOT NULL REFERENCES specialty (code),
  PRIMARY KEY (practitioner_id, specialty_code)
);

-- A practitioner works for one or more facilities (FHIR PractitionerRole).
CREATE TABLE practitioner_role (
  id uuid PRIMARY KEY,
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  UNIQUE (practitioner_id, facility_id)
);
CREATE INDEX practitioner_role_facility_idx ON practitioner_role (facility_id);

-- Patients. Security: everything that identifies the person is in `pii`, encrypted with the registry key;
-- `identifier_index` is a keyed hash for finding a patient by EGN/LNCh without storing it in clear.
CREATE TABLE patient (
  id uuid PRIMARY KEY,
  identifier_kind text NOT NULL CHECK (identifier_kind IN ('egn', 'lnch', 'passport', 'other')),
  identifier_index text NOT NULL UNIQUE,
  pii bytea NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1
);
