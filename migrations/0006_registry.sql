-- Issue 4: the register of telemedicine facilities (Art. 24), telemedicine centres (Art. 5), emergency
-- contracts (Art. 14(3)), published services (Art. 15) and schedules with materialised slots (Art. 15
-- item 4, 16). Extends the tables of 0002_registry_core.sql.

-- ---------------------------------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------------------------------

-- NHIF regional funds (РЗОК 01-28) with the 3-letter EKATTE oblast code. Source: domain digest
-- bulgarian-identifiers-codes-and-nhis.md §1.6 [V-src] (DinoDent Ekatte.cpp regionCode[]); the NHIF code
-- order is the ISO 3166-2:BG order, NOT the EKATTE `abc` order (SOF = 22, SFO = 23).
CREATE TABLE rhif_region (
  code char(2) PRIMARY KEY CHECK (code ~ '^(0[1-9]|1[0-9]|2[0-8])$'),
  oblast char(3) NOT NULL UNIQUE,
  name_bg text NOT NULL,
  name_en text NOT NULL
);
INSERT INTO rhif_region (code, oblast, name_bg, name_en) VALUES
  ('01', 'BLG', 'Благоевград', 'Blagoevgrad'),
  ('02', 'BGS', 'Бургас', 'Burgas'),
  ('03', 'VAR', 'Варна', 'Varna'),
  ('04', 'VTR', 'Велико Търново', 'Veliko Tarnovo'),
  ('05', 'VID', 'Видин', 'Vidin'),
  ('06', 'VRC', 'Враца', 'Vratsa'),
  ('07', 'GAB', 'Габрово', 'Gabrovo'),
  ('08', 'DOB', 'Добрич', 'Dobrich'),
  ('09', 'KRZ', 'Кърджали', 'Kardzhali'),
  ('10', 'KNL', 'Кюстендил', 'Kyustendil'),
  ('11', 'LOV', 'Ловеч', 'Lovech'),
  ('12', 'MON', 'Монтана', 'Montana'),
  ('13', 'PAZ', 'Пазарджик', 'Pazardzhik'),
  ('14', 'PER', 'Перник', 'Pernik'),
  ('15', 'PVN', 'Плевен', 'Pleven'),
  ('16', 'PDV', 'Пловдив', 'Plovdiv'),
  ('17', 'RAZ', 'Разград', 'Razgrad'),
  ('18', 'RSE', 'Русе', 'Ruse'),
  ('19', 'SLS', 'Силистра', 'Silistra'),
  ('20', 'SLV', 'Сливен', 'Sliven'),
  ('21', 'SML', 'Смолян', 'Smolyan'),
  ('22', 'SOF', 'София-град', 'Sofia City'),
  ('23', 'SFO', 'Софийска област', 'Sofia Province'),
  ('24', 'SZR', 'Стара Загора', 'Stara Zagora'),
  ('25', 'TGV', 'Търговище', 'Targovishte'),
  ('26', 'HKV', 'Хасково', 'Haskovo'),
  ('27', 'SHU', 'Шумен', 'Shumen'),
  ('28', 'JAM', 'Ямбол', 'Yambol');

-- Specialties (NHIS nomenclature CL006). Regulatory: the authority is NHIS C001 CL006, loaded with
-- `distansia import specialties <file>`; the rows below are what we can source offline:
--   * codes and Bulgarian names: thefinalcutbg/OpenPrescription resources/json_specialty.json (MIT),
--     commit 9f31020d311a62b13144e8effe16c8e777de3948, "doc" 2 = dentist qualifications;
--   * NHIF two-digit codes only where the domain digest verified them (00, 61, 62, 64, 68, §3); every
--     other nhif_code stays NULL until the CL006 import fills it from the `nhif code` meta field;
--   * English names are our translation, replaced by CL006 `DescriptionEn` on import.
ALTER TABLE specialty ADD COLUMN source text NOT NULL DEFAULT 'domain digest §3 (verified examples)';
ALTER TABLE specialty ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE specialty ADD COLUMN updated_at timestamptz;
INSERT INTO specialty (code, name_bg, name_en, dental) VALUES
  ('0000', 'Общопрактикуващ лекар', 'General practitioner', false),
  ('1001', 'Акушерство и гинекология', 'Obstetrics and gynaecology', false),
  ('1002', 'Ангиология', 'Angiology', false),
  ('1003', 'Анестезиология и интензивно лечение', 'Anaesthesiology and intensive care', false),
  ('1004', 'Вътрешни болести', 'Internal medicine', false),
  ('1005', 'Гастроентерология', 'Gastroenterology', false),
  ('1006', 'Гериатрична медицина', 'Geriatric medicine', false),
  ('1007', 'Гръдна хирургия', 'Thoracic surgery', false),
  ('1008', 'Детска гастроентерология', 'Paediatric gastroenterology', false),
  ('1009', 'Детска ендокринология и болести на обмяната', 'Paediatric endocrinology and metabolic diseases', false),
  ('1010', 'Детска кардиология', 'Paediatric cardiology', false),
  ('1011', 'Детска клинична хематология и онкология', 'Paediatric clinical haematology and oncology', false),
  ('1012', 'Детска неврология', 'Paediatric neurology', false),
  ('1013', 'Детска нефрология и хемодиализа', 'Paediatric nephrology and haemodialysis', false),
  ('1014', 'Детска пневмология и фтизиатрия', 'Paediatric pulmonology and phthisiatry', false),
  ('1015', 'Детска психиатрия', 'Child psychiatry', false),
  ('1016', 'Детска ревматология', 'Paediatric rheumatology', false),
  ('1017', 'Детска хирургия', 'Paediatric surgery', false),
  ('1018', 'Ендокринология и болести на обмяната', 'Endocrinology and metabolic diseases', false),
  ('1019', 'Инфекциозни болести', 'Infectious diseases', false),
  ('1020', 'Кардиология', 'Cardiology', false),
  ('1021', 'Кардиохирургия', 'Cardiac surgery', false),
  ('1022', 'Клинична алергология', 'Clinical allergology', false),
  ('1023', 'Клинична вирусология', 'Clinical virology', false),
  ('1024', 'Клинична имунология', 'Clinical immunology', false),
  ('1025', 'Клинична лаборатория', 'Clinical laboratory', false),
  ('1026', 'Клинична микробиология', 'Clinical microbiology', false),
  ('1027', 'Клинична токсикология', 'Clinical toxicology', false),
  ('1028', 'Клинична фармакология и терапия', 'Clinical pharmacology and therapeutics', false),
  ('1029', 'Клинична хематология', 'Clinical haematology', false),
  ('1030', 'Кожни и венерически болести', 'Dermatology and venereology', false),
  ('1031', 'Лицево-челюстна хирургия', 'Maxillofacial surgery', false),
  ('1032', 'Лъчелечение', 'Radiotherapy', false),
  ('1033', 'Медицинска генетика', 'Medical genetics', false),
  ('1034', 'Медицинска онкология', 'Medical oncology', false),
  ('1035', 'Медицинска паразитология', 'Medical parasitology', false),
  ('1036', 'Неврохирургия', 'Neurosurgery', false),
  ('1037', 'Неонатология', 'Neonatology', false),
  ('1038', 'Нервни болести', 'Neurology', false),
  ('1039', 'Нефрология', 'Nephrology', false),
  ('1040', 'Нуклеарна медицина', 'Nuclear medicine', false),
  ('1041', 'Образна диагностика', 'Diagnostic imaging', false),
  ('1042', 'Обща и клинична патология', 'General and clinical pathology', false),
  ('1043', 'Обща медицина', 'General medicine', false),
  ('1044', 'Ортопедия и травматология', 'Orthopaedics and traumatology', false),
  ('1045', 'Очни болести', 'Ophthalmology', false),
  ('1046', 'Педиатрия', 'Paediatrics', false),
  ('1047', 'Пластично-възстановителна и естетична хирургия', 'Plastic, reconstructive and aesthetic surgery', false),
  ('1048', 'Пневмология и фтизиатрия', 'Pulmonology and phthisiatry', false),
  ('1049', 'Професионални болести', 'Occupational diseases', false),
  ('1050', 'Психиатрия', 'Psychiatry', false),
  ('1051', 'Ревматология', 'Rheumatology', false),
  ('1052', 'Спешна медицина', 'Emergency medicine', false),
  ('1053', 'Спортна медицина', 'Sports medicine', false),
  ('1054', 'Съдебна медицина и деонтология', 'Forensic medicine and deontology', false),
  ('1055', 'Съдебна психиатрия', 'Forensic psychiatry', false),
  ('1056', 'Съдова хирургия', 'Vascular surgery', false),
  ('1057', 'Трансфузионна хематология', 'Transfusion haematology', false),
  ('1058', 'Урология', 'Urology', false),
  ('1059', 'Ушно-носно-гърлени болести', 'Otorhinolaryngology', false),
  ('1060', 'Физикална и рехабилитационна медицина', 'Physical and rehabilitation medicine', false),
  ('1061', 'Хирургия', 'Surgery', false),
  ('1062', 'Биохимия', 'Biochemistry', false),
  ('1063', 'Епидемиология на инфекциозните болести', 'Epidemiology of infectious diseases', false),
  ('1064', 'Икономика на здравеопазването', 'Health economics', false),
  ('1065', 'Комунална хигиена', 'Communal hygiene', false),
  ('1066', 'Медицина на бедствените ситуации', 'Disaster medicine', false),
  ('1067', 'Обща хигиена', 'General hygiene', false),
  ('1068', 'Патофизиология', 'Pathophysiology', false),
  ('1069', 'Радиационна хигиена', 'Radiation hygiene', false),
  ('1070', 'Радиобиология', 'Radiobiology', false),
  ('1071', 'Социална медицина и здравен мениджмънт', 'Social medicine and health management', false),
  ('1072', 'Токсикология', 'Toxicology', false),
  ('1073', 'Трудова медицина', 'Occupational medicine', false),
  ('1074', 'Фармакология', 'Pharmacology', false),
  ('1075', 'Хигиена на детско-юношеската възраст', 'Child and adolescent hygiene', false),
  ('1076', 'Хранене и диететика', 'Nutrition and dietetics', false),
  ('1080', 'Дентална образна диагностика', 'Dental imaging', true),
  ('1127', 'Анатомия, хистология и цитология', 'Anatomy, histology and cytology', false),
  ('1128', 'Медицинска биология', 'Medical biology', false),
  ('1129', 'Медицинска педагогика', 'Medical pedagogy', false),
  ('1130', 'Правно регулиране в здравеопазването', 'Health law and regulation', false),
  ('1131', 'Физиология', 'Physiology', false),
  ('1132', 'Авиационна медицина', 'Aviation medicine', false),
  ('1133', 'Военна токсикология', 'Military toxicology', false),
  ('1134', 'Военномедицинско планиране', 'Military medical planning', false),
  ('1136', 'Превантивна военна медицина', 'Preventive military medicine', false),
  ('2062', 'Биохимия', 'Biochemistry (dental)', true),
  ('2077', 'Дентална имплантология', 'Dental implantology', true),
  ('2078', 'Дентална клинична алергология', 'Dental clinical allergology', true),
  ('2079', 'Детска дентална медицина', 'Paediatric dentistry', true),
  ('2080', 'Дентална образна диагностика', 'Dental imaging (dental)', true),
  ('2081', 'Обща дентална медицина', 'General dentistry', true),
  ('2082', 'Оперативно зъболечение и ендодонтия', 'Operative dentistry and endodontics', true),
  ('2083', 'Орална хирургия', 'Oral surgery', true),
  ('2084', 'Ортодонтия', 'Orthodontics', true),
  ('2085', 'Пародонтология и заболявания на оралната лигавица', 'Periodontology and oral mucosa diseases', true),
  ('2086', 'Протетична дентална медицина', 'Prosthetic dentistry', true),
  ('2087', 'Социална медицина и обществено дентално здраве', 'Social medicine and public dental health', true),
  ('2127', 'Анатомия, хистология и цитология', 'Anatomy, histology and cytology (dental)', true),
  ('2129', 'Медицинска педагогика', 'Medical pedagogy (dental)', true),
  ('2130', 'Правно регулиране в здравеопазването', 'Health law and regulation (dental)', true),
  ('2131', 'Физиология', 'Physiology (dental)', true),
  ('2133', 'Военна токсикология', 'Military toxicology (dental)', true),
  ('2134', 'Военномедицинско планиране', 'Military medical planning (dental)', true),
  ('2136', 'Превантивна военна медицина', 'Preventive military medicine (dental)', true),
  ('3088', 'Дентална, орална и лицево-челюстна хирургия', 'Dental, oral and maxillofacial surgery', true)
ON CONFLICT (code) DO NOTHING;
UPDATE specialty SET source = 'OpenPrescription resources/json_specialty.json @9f31020d (MIT); name_en translated'
  WHERE source = 'domain digest §3 (verified examples)' AND nhif_code IS NULL AND code NOT IN ('1001', '1003', '1004', '1020', '1043', '1046');
UPDATE specialty SET source = 'domain digest §3 [V-src] and OpenPrescription json_specialty.json @9f31020d (MIT)'
  WHERE code IN ('0000', '1001', '1003', '1004', '1020', '1043', '1046', '2079', '2081', '2083', '3088');

-- What a remote service is, as data (Art. 7). Regulatory: `prohibited_rule` kinds can never be published
-- (R-TM-13 dental treatment, R-TM-16 conducting a birth, R-TM-17 establishing death);
-- `allowed_for_dental` is the only way a dental specialty may publish a service (R-TM-13: imaging for
-- dental purposes).
CREATE TABLE service_kind (
  code text PRIMARY KEY,
  name_bg text NOT NULL,
  name_en text NOT NULL,
  allowed_for_dental boolean NOT NULL DEFAULT false,
  prohibited_rule text,
  sort_order integer NOT NULL
);
INSERT INTO service_kind (code, name_bg, name_en, allowed_for_dental, prohibited_rule, sort_order) VALUES
  ('consultation', 'Консултация', 'Consultation', false, NULL, 10),
  ('follow_up', 'Последващ преглед', 'Follow-up', false, NULL, 20),
  ('results_review', 'Обсъждане на резултати от изследвания', 'Review of test results', false, NULL, 30),
  ('second_opinion', 'Второ мнение', 'Second opinion', false, NULL, 40),
  ('imaging_review', 'Разчитане на образни изследвания', 'Reading of medical images', false, NULL, 50),
  ('specialist_consultation', 'Консултация между специалисти', 'Consultation between specialists', false, NULL, 60),
  ('dental_imaging', 'Образна диагностика за дентални цели', 'Imaging for dental purposes', true, NULL, 70),
  ('dental_treatment', 'Дентално лечение', 'Dental treatment', false, 'R-TM-13', 900),
  ('childbirth', 'Водене на раждане', 'Conducting a birth', false, 'R-TM-16', 910),
  ('death_certification', 'Установяване на смърт', 'Establishing death', false, 'R-TM-17', 920);

-- ---------------------------------------------------------------------------------------------------
-- Facilities (Art. 4, 15, 24-26)
-- ---------------------------------------------------------------------------------------------------

ALTER TABLE facility ADD COLUMN description text NOT NULL DEFAULT '';
-- Art. 16 (R-TM-33): the weekly hours one specialist can be published for before the facility is warned.
ALTER TABLE facility ADD COLUMN max_weekly_hours_per_specialist smallint NOT NULL DEFAULT 40
  CHECK (max_weekly_hours_per_specialist BETWEEN 1 AND 168);
ALTER TABLE facility ADD CONSTRAINT facility_rhif_fk FOREIGN KEY (rhif_code) REFERENCES rhif_region (code);
ALTER TABLE facility ADD CONSTRAINT facility_ekatte_format CHECK (ekatte IS NULL OR ekatte ~ '^[0-9]{5}$');
CREATE INDEX facility_rhif_idx ON facility (rhif_code);
CREATE INDEX facility_ekatte_idx ON facility (ekatte);

-- Certificates and technical documentation (Art. 25) and CE certificates of ICT equipment (Art. 26),
-- recorded by the facility administrator. An entry past `expires_on` is flagged, never deleted.
CREATE TABLE facility_certificate (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  kind text NOT NULL CHECK (kind IN ('software', 'diagnostic_equipment', 'ict_equipment', 'infrastructure', 'ce_mark', 'other')),
  title text NOT NULL,
  issuer text NOT NULL,
  reference text NOT NULL,
  issued_on date NOT NULL,
  expires_on date,
  withdrawn_at timestamptz,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  CHECK (expires_on IS NULL OR expires_on >= issued_on)
);
CREATE INDEX facility_certificate_facility_idx ON facility_certificate (facility_id);

-- ---------------------------------------------------------------------------------------------------
-- Practitioners (Art. 4(1), 15 item 3)
-- ---------------------------------------------------------------------------------------------------

ALTER TABLE practitioner ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE practitioner ADD COLUMN updated_at timestamptz;
ALTER TABLE practitioner ADD COLUMN version integer NOT NULL DEFAULT 1;
-- Listed as a telemedicine provider of this facility (Art. 15 item 3).
ALTER TABLE practitioner_role ADD COLUMN listed boolean NOT NULL DEFAULT true;
CREATE INDEX practitioner_specialty_specialty_idx ON practitioner_specialty (specialty_code, practitioner_id);

-- ---------------------------------------------------------------------------------------------------
-- Published services (Art. 15 items 1-2; FHIR HealthcareService)
-- ---------------------------------------------------------------------------------------------------

CREATE TABLE facility_service (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  specialty_code char(4) NOT NULL REFERENCES specialty (code),
  kind_code text NOT NULL REFERENCES service_kind (code),
  name text NOT NULL,
  description text NOT NULL,
  -- Art. 14(4): with direct interaction (synchronous, needs a slot, R-TM-30) or without (asynchronous).
  mode text NOT NULL CHECK (mode IN ('synchronous', 'asynchronous')),
  typical_minutes smallint NOT NULL CHECK (typical_minutes BETWEEN 5 AND 480),
  -- Money in euro cents (DECISIONS.md item 17); NHIF-paid services carry no price.
  price_eur_cents integer CHECK (price_eur_cents >= 0),
  nhif_paid boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
  published_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT facility_service_price CHECK ((nhif_paid AND price_eur_cents IS NULL) OR (NOT nhif_paid AND price_eur_cents IS NOT NULL))
);
CREATE INDEX facility_service_facility_idx ON facility_service (facility_id);
CREATE INDEX facility_service_published_idx ON facility_service (specialty_code, facility_id) WHERE status = 'published';

-- ---------------------------------------------------------------------------------------------------
-- Telemedicine centres (Art. 5) and emergency contracts (Art. 14(3))
-- ---------------------------------------------------------------------------------------------------

-- A functional complex of facilities under a ЗЛЗ Art. 95(1) item 1 contract. Regulatory (R-TM-21): a
-- centre becomes `active` only when the contract names the functional head, every member's rights and
-- obligations and at least one structure/specialty per member; the service checks this in the
-- activating transaction and again whenever an active centre's contract data changes.
CREATE TABLE telemedicine_centre (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'suspended')),
  contract_reference text,
  contract_signed_on date,
  head_name text,
  head_practitioner_id uuid REFERENCES practitioner (id),
  activated_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE centre_member (
  centre_id uuid NOT NULL REFERENCES telemedicine_centre (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  rights_obligations text NOT NULL DEFAULT '',
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (centre_id, facility_id)
);
CREATE INDEX centre_member_facility_idx ON centre_member (facility_id);

-- Structures (wards, practices, laboratories) and specialties each member contributes (Art. 5(4) item 3).
CREATE TABLE centre_structure (
  id uuid PRIMARY KEY,
  centre_id uuid NOT NULL,
  facility_id uuid NOT NULL,
  structure text NOT NULL,
  specialty_code char(4) NOT NULL REFERENCES specialty (code),
  FOREIGN KEY (centre_id, facility_id) REFERENCES centre_member (centre_id, facility_id) ON DELETE CASCADE,
  UNIQUE (centre_id, facility_id, structure, specialty_code)
);

-- Emergency consultations between facilities (Art. 14(3)): `requester` may consult `provider` for the
-- listed specialties between valid_from and valid_to (inclusive, Europe/Sofia dates).
CREATE TABLE emergency_contract (
  id uuid PRIMARY KEY,
  requester_facility_id uuid NOT NULL REFERENCES facility (id),
  provider_facility_id uuid NOT NULL REFERENCES facility (id),
  reference text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CHECK (requester_facility_id <> provider_facility_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX emergency_contract_parties_idx ON emergency_contract (requester_facility_id, provider_facility_id);
CREATE INDEX emergency_contract_provider_idx ON emergency_contract (provider_facility_id);

CREATE TABLE emergency_contract_specialty (
  contract_id uuid NOT NULL REFERENCES emergency_contract (id) ON DELETE CASCADE,
  specialty_code char(4) NOT NULL REFERENCES specialty (code),
  PRIMARY KEY (contract_id, specialty_code)
);

-- ---------------------------------------------------------------------------------------------------
-- Schedules and slots (Art. 15 item 4, 16; FHIR Schedule and Slot)
-- ---------------------------------------------------------------------------------------------------

-- Recurring weekly availability of one specialist for one service, in wall time of `time_zone`
-- (STYLE C11). The (practitioner, facility) foreign key enforces R-TM-01: only specialists working for
-- the facility are scheduled.
CREATE TABLE schedule (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  service_id uuid NOT NULL REFERENCES facility_service (id),
  time_zone text NOT NULL,
  slot_minutes smallint NOT NULL CHECK (slot_minutes BETWEEN 5 AND 480),
  valid_from date NOT NULL,
  valid_to date,
  observe_holidays boolean NOT NULL DEFAULT true,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  FOREIGN KEY (practitioner_id, facility_id) REFERENCES practitioner_role (practitioner_id, facility_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX schedule_facility_idx ON schedule (facility_id);
CREATE INDEX schedule_practitioner_idx ON schedule (practitioner_id);
CREATE INDEX schedule_service_idx ON schedule (service_id);

-- ISO weekday 1 (Monday) .. 7 (Sunday); wall times, end after start on the same day.
CREATE TABLE schedule_rule (
  id uuid PRIMARY KEY,
  schedule_id uuid NOT NULL REFERENCES schedule (id) ON DELETE CASCADE,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_time time NOT NULL,
  end_time time NOT NULL,
  CHECK (end_time > start_time)
);
CREATE INDEX schedule_rule_schedule_idx ON schedule_rule (schedule_id);

-- Whole days a specialist is not available (leave, sickness, training), in wall dates; `facility_id`
-- NULL means at every facility. Official holidays come from the working-day calendar instead.
CREATE TABLE schedule_exception (
  id uuid PRIMARY KEY,
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  facility_id uuid REFERENCES facility (id),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  reason text NOT NULL CHECK (reason IN ('leave', 'sick', 'training', 'other')),
  created_at timestamptz NOT NULL,
  CHECK (ends_on >= starts_on)
);
CREATE INDEX schedule_exception_practitioner_idx ON schedule_exception (practitioner_id, starts_on);

-- Materialised bookable times (FHIR Slot) of synchronous services: the scheduling service writes them
-- from the rules (pure maths in slots.ts) for a rolling horizon and rewrites the future free ones when a
-- schedule or exception changes; busy ones are kept. Concurrency: the authority against double booking
-- is the exclusion constraint on `appointment` (next issue, STYLE C8); a slot row is advisory.
CREATE TABLE slot (
  id uuid PRIMARY KEY,
  schedule_id uuid NOT NULL REFERENCES schedule (id),
  practitioner_id uuid NOT NULL,
  facility_id uuid NOT NULL,
  service_id uuid NOT NULL,
  specialty_code char(4) NOT NULL,
  start timestamptz NOT NULL,
  "end" timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'free' CHECK (status IN ('free', 'busy', 'busy-unavailable')),
  CHECK ("end" > start),
  UNIQUE (schedule_id, start)
);
-- Free-slot list of one specialist and service (GET /directory/slots).
CREATE INDEX slot_free_practitioner_idx ON slot (practitioner_id, service_id, start) WHERE status = 'free';
-- Earliest free slot of a facility, with and without a specialty filter (directory search).
CREATE INDEX slot_free_facility_specialty_idx ON slot (facility_id, specialty_code, start) WHERE status = 'free';
CREATE INDEX slot_free_facility_idx ON slot (facility_id, start) WHERE status = 'free';
-- Busy time of a specialist across schedules, subtracted when slots are regenerated.
CREATE INDEX slot_busy_practitioner_idx ON slot (practitioner_id, start) WHERE status <> 'free';
