-- The practice's day (docs/practice.md): versioned price lists, the fee of each visit, payments and
-- receipts, the phone register, the walk-in queue, home visits, document requests, the opinion journal,
-- the personal-data register and out-of-hours information (W17-W21, W24-W25, R-PC-*, НРД R-72..75).
-- Security: whatever names a patient or their problem is stored encrypted with the practice's key
-- (DECISIONS.md item 13); the clear columns are ids, codes, amounts and times.

-- Dated rule values (DECISIONS.md item 17). Source issue: the user-fee amount is not in the seeds (E25);
-- the rows carry the amount Bulgarian practices charged (2.90 BGN, 1.48 EUR from 1 January 2026 at the
-- fixed rate); a decree changes it by adding a row.
INSERT INTO nhif_rule (key, rule_id, value, valid_from, valid_to, source) VALUES
  ('fee.user_fee', 'R-NHIF-03', '{"amount": "2.90", "currency": "BGN"}', '2006-01-01', '2026-01-01',
   'ЗЗО чл. 37, ал. 1 (amount by Council of Ministers decree; External, not in the seeds: E25)'),
  ('fee.user_fee', 'R-NHIF-03', '{"amount": "1.48", "currency": "EUR"}', '2026-01-01', NULL,
   'ЗЗО чл. 37, ал. 1; 2.90 BGN at 1.95583 BGN/EUR (DECISIONS.md item 17)'),
  -- R-72: the categories of ЗЗО чл. 37, ал. 3 and patients with an appendix-14 disease; displayed in the
  -- office (R-121). "underAge" applies without a document.
  ('fee.user_fee_exemptions', 'R-72', '[{"code": "minor", "bg": "Лица до 18 години", "en": "Persons under 18", "underAge": 18},
     {"code": "listed_disease", "bg": "Заболяване от приложение № 14 на НРД", "en": "A disease listed in appendix 14 of the NFC"},
     {"code": "war_veteran", "bg": "Ветерани от войните", "en": "War veterans"},
     {"code": "war_invalid", "bg": "Военноинвалиди и военнопострадали", "en": "War and military invalids"},
     {"code": "social_care_home", "bg": "Лица без доходи в домове за социални грижи", "en": "Persons without income in social-care homes"},
     {"code": "detained", "bg": "Лица, задържани под стража или лишени от свобода", "en": "Persons in custody or deprived of liberty"},
     {"code": "unemployed_without_income", "bg": "Безработни без доходи, получаващи социално подпомагане", "en": "Unemployed persons without income on social assistance"}]',
   '2006-01-01', NULL, 'НРД 2006 чл. 112, ал. 4 (R-72); ЗЗО чл. 37, ал. 3'),
  ('fee.lab_fee', 'R-74', '{"maxAmount": "2.00", "currency": "BGN"}', '2006-01-01', '2026-01-01', 'НРД 2006 чл. 135'),
  ('fee.lab_fee', 'R-74', '{"maxAmount": "1.02", "currency": "EUR"}', '2026-01-01', NULL, 'НРД 2006 чл. 135; 2.00 BGN at the fixed rate'),
  ('practice.walk_in_target_hours', 'R-PC-01', '{"hours": 48}', '2006-01-01', NULL, '[004] L739 (Standard of General Medicine)'),
  ('practice.breach_notice_hours', 'R-DATA-02', '{"hours": 72}', '2018-05-25', NULL, '[004] L1047'),
  ('practice.complaint_reply', 'R-CMP-01', '{"reviewEveryMonths": 1, "replyDaysAfterReview": 10}', '2006-01-01', NULL, '[004] L1055-1056'),
  ('practice.document_deadlines', 'R-DOC-01', '{"pastCircumstance": 3, "otherDocument": 5, "adminContractPhone": 2}', '2006-01-01', NULL, '[004] L872, L874, L916'),
  -- R-PRO-01 in months of age: under 1 monthly, 1-2 every 3 months, 2-7 every 6 months, over 7 yearly.
  ('pro.frequency', 'R-PRO-01', '[{"fromMonths": 0, "toMonths": 12, "everyMonths": 1}, {"fromMonths": 12, "toMonths": 24, "everyMonths": 3}, {"fromMonths": 24, "toMonths": 84, "everyMonths": 6}, {"fromMonths": 84, "toMonths": null, "everyMonths": 12}]',
   '2020-01-01', NULL, '[004] L838-848 (Наредба № 8)');

-- A practice's price list (E24): a version applies from effective_from until the next version's day.
-- Versions are never changed; a new price is a new version (DECISIONS.md item 17).
CREATE TABLE practice_price_list (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  effective_from date NOT NULL,
  currency text NOT NULL CHECK (currency IN ('EUR', 'BGN')),
  created_by uuid REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  UNIQUE (facility_id, effective_from),
  -- Euro changeover: lists from 1 January 2026 are in EUR; older ones keep their BGN.
  CONSTRAINT practice_price_list_euro CHECK (effective_from < DATE '2026-01-01' OR currency = 'EUR')
);
CREATE TABLE practice_price_item (
  price_list_id uuid NOT NULL REFERENCES practice_price_list (id),
  code text NOT NULL,
  name text NOT NULL,
  amount numeric(10, 2) NOT NULL CHECK (amount >= 0),
  position integer NOT NULL,
  PRIMARY KEY (price_list_id, code)
);

-- The fee of each visit the practice records (R-PC-12/13/16, R-72): assessed when the visit is
-- recorded, with the age group at the visit so the monthly report needs no decryption.
CREATE TABLE practice_visit (
  encounter_id uuid PRIMARY KEY REFERENCES encounter (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  kind text NOT NULL CHECK (kind IN ('in_person', 'phone', 'home_visit')),
  -- the local day in Europe/Sofia
  visit_on date NOT NULL,
  nhif_paid boolean NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('treatment', 'prophylaxis', 'dispensary')),
  age_group text NOT NULL,
  fee_basis text NOT NULL CHECK (fee_basis IN ('user_fee', 'exempt', 'price_list', 'none')),
  fee_rule text NOT NULL,
  exemption_code text,
  price_item_code text,
  fee_amount numeric(10, 2),
  fee_currency text CHECK (fee_currency IN ('EUR', 'BGN')),
  -- R-PC-13: the patient was told the price before the visit
  informed_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX practice_visit_month_idx ON practice_visit (facility_id, visit_on);

-- Payments are recorded, not processed (a card acquirer comes later behind PaymentProvider). Rows are
-- never changed; a refund is a new row with a negative amount. The receipt number is per practice.
CREATE TABLE practice_payment (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  encounter_id uuid NOT NULL REFERENCES encounter (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  purpose text NOT NULL CHECK (purpose IN ('user_fee', 'price_list', 'lab_fee', 'document')),
  item_code text,
  lab text,
  amount numeric(10, 2) NOT NULL,
  currency text NOT NULL CHECK (currency IN ('EUR', 'BGN')),
  method text NOT NULL CHECK (method IN ('cash', 'card_terminal', 'bank_transfer')),
  provider_reference text,
  receipt_number integer NOT NULL,
  paid_at timestamptz NOT NULL,
  paid_on date NOT NULL,
  recorded_by uuid REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  UNIQUE (facility_id, receipt_number)
);
CREATE INDEX practice_payment_encounter_idx ON practice_payment (encounter_id);
CREATE INDEX practice_payment_month_idx ON practice_payment (facility_id, paid_on);
-- R-PC-14: the lab fee once per lab per patient per day.
CREATE UNIQUE INDEX practice_payment_lab_once ON practice_payment (patient_id, lab, paid_on) WHERE purpose = 'lab_fee' AND amount > 0;

-- The phone register (W17, R-PC-07/08): every medical and administrative call. A medical call is a
-- phone encounter; an administrative one may name no patient.
CREATE TABLE practice_phone_consultation (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  encounter_id uuid REFERENCES encounter (id),
  patient_id uuid REFERENCES patient (id),
  practitioner_id uuid REFERENCES practitioner (id),
  kind text NOT NULL CHECK (kind IN ('medical', 'administrative')),
  caller text NOT NULL CHECK (caller IN ('patient', 'relative', 'representative', 'other')),
  basis text,
  outcome text NOT NULL CHECK (outcome IN ('advice', 'information', 'refused')),
  refusal_reason text,
  booked_for timestamptz,
  called_at timestamptz NOT NULL,
  -- keyring facility scope, context practice_phone_consultation:<id>:topic
  topic_enc bytea NOT NULL,
  recorded_by uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL,
  CONSTRAINT practice_phone_medical CHECK (kind = 'administrative' OR (patient_id IS NOT NULL AND encounter_id IS NOT NULL)),
  CONSTRAINT practice_phone_refusal CHECK (outcome <> 'refused' OR (refusal_reason IS NOT NULL AND booked_for IS NOT NULL))
);
CREATE INDEX practice_phone_day_idx ON practice_phone_consultation (facility_id, called_at);

-- The walk-in queue (W19, R-PC-01/02).
CREATE TABLE practice_queue_entry (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  priority text NOT NULL CHECK (priority IN ('emergency', 'urgent', 'pregnant', 'infant', 'other')),
  requested_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('waiting', 'seen', 'left')),
  encounter_id uuid REFERENCES encounter (id),
  closed_at timestamptz,
  recorded_by uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX practice_queue_open_idx ON practice_queue_entry (facility_id, status, requested_at);

-- Home-visit requests (W18, R-PC-16).
CREATE TABLE practice_home_visit (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  channel text NOT NULL CHECK (channel IN ('phone', 'in_person', 'admin_provider')),
  requested_at timestamptz NOT NULL,
  -- keyring facility scope, context practice_home_visit:<id>:details (address, symptoms, companion)
  details_enc bytea NOT NULL,
  agreed_for timestamptz,
  category text CHECK (category IN ('covered', 'paid')),
  reclassified boolean NOT NULL DEFAULT false,
  decided_by uuid REFERENCES user_account (id),
  encounter_id uuid REFERENCES encounter (id),
  created_at timestamptz NOT NULL
);

-- Document requests (E34, R-DOC-01..06) and their deadlines.
CREATE TABLE practice_document_request (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  category text NOT NULL CHECK (category IN ('current_consultation', 'past_circumstance', 'other', 'past_without_request', 'admin_contract_phone')),
  received_on date NOT NULL,
  due_on date,
  fee text NOT NULL,
  -- keyring facility scope, context practice_document_request:<id>:what
  what_enc bytea NOT NULL,
  issued_on date,
  created_at timestamptz NOT NULL
);

-- The opinion and complaint journal (W24, R-CMP-01..03): date received, submitter, topic, reply date.
CREATE TABLE practice_complaint (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  patient_id uuid REFERENCES patient (id),
  channel text NOT NULL CHECK (channel IN ('portal', 'oral', 'mailbox', 'website', 'book')),
  received_on date NOT NULL,
  needs_reply boolean NOT NULL,
  -- keyring facility scope, context practice_complaint:<id>:content (submitter, contact, topic, text)
  content_enc bytea NOT NULL,
  reviewed_on date,
  replied_on date,
  reply_enc bytea,
  created_at timestamptz NOT NULL
);
CREATE INDEX practice_complaint_facility_idx ON practice_complaint (facility_id, received_on);

-- The personal-data register (W25, R-DATA-*): breaches with the 72-hour notice.
CREATE TABLE practice_data_breach (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  detected_at timestamptz NOT NULL,
  notify_by timestamptz NOT NULL,
  notified_at timestamptz,
  notice_channel text CHECK (notice_channel IN ('waiting_room', 'website', 'both')),
  -- keyring facility scope, context practice_data_breach:<id>:description
  description_enc bytea NOT NULL,
  recorded_by uuid NOT NULL REFERENCES user_account (id),
  created_at timestamptz NOT NULL
);

-- How patients reach care out of hours (W21, R-OOH-01/03); the latest row is published.
CREATE TABLE practice_out_of_hours (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES facility (id),
  arrangement text NOT NULL CHECK (arrangement IN ('group_duty_room', 'functional_duty_room', 'contract_nearest', 'individual_24h_phone')),
  partner_name text,
  partner_distance_km numeric(5, 1),
  phone text,
  note text,
  valid_from date NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (facility_id, valid_from)
);
