-- Foreigners' mandatory medical insurance (W22-W23, R-INS-*; seed [003], Наредба ПМС № 80/2005): the
-- policy a foreign patient records, the insured events a care episode starts (24-hour insurer notice) and
-- their claim files (documents of Art. 20(2), 15-day payout after the file is complete).
-- Security: the insurer's name, the policy number and the premium identify the patient's contract: they
-- are stored encrypted (DECISIONS.md item 13); the clear columns are ids, codes, dates and the sum.

-- Rules as dated data (DECISIONS.md item 17), next to ins.min_sum and ins.max_term_days of 0022.
INSERT INTO nhif_rule (key, rule_id, value, valid_from, valid_to, source) VALUES
  ('ins.notice_hours', 'R-INS-07', '{"hours": 24}', '2011-07-05', NULL, 'Наредба (ПМС № 80/2005) чл. 20, ал. 1'),
  ('ins.payout_days', 'R-INS-08', '{"days": 15}', '2011-07-05', NULL, 'Наредба (ПМС № 80/2005) чл. 23, ал. 1'),
  ('ins.claim_documents', 'R-INS-10', '[{"code": "event_certificate", "bg": "Документ, удостоверяващ застрахователното събитие", "en": "Document certifying the insured event"}, {"code": "sick_leave_or_hospital_certificates", "bg": "Болнични листове", "en": "Sick-leave or hospital certificates"}, {"code": "epicrises", "bg": "Епикризи", "en": "Epicrises"}, {"code": "lkk_telk_protocol", "bg": "Протокол на ЛКК или ТЕЛК", "en": "Protocol of the LKK or TELK"}, {"code": "other_requested", "bg": "Други писмени доказателства или обяснения, поискани от застрахователя", "en": "Other written evidence or explanations the insurer asked for", "optional": true}]', '2011-07-05', NULL, 'Наредба (ПМС № 80/2005) чл. 20, ал. 2'),
  -- What the policy covers (Art. 6-7) and what it excludes (Art. 8-11), shown to the patient and the
  -- facility; a care episode with an excluded purpose is not billed to the insurer.
  ('ins.covered', 'R-INS-12', '[{"code": "sudden_illness", "bg": "Лечение и болничен престой при внезапно неразположение, заболяване или злополука по време на договора", "en": "Treatment and hospital stay for a sudden illness, indisposition or accident during the contract"}, {"code": "dental_abscess_incision", "bg": "Инцизия на абсцеси и флегмони в устната кухина", "en": "Incision of oral abscesses and phlegmons"}, {"code": "dental_extraction", "bg": "Екстракция на внезапно счупен или дълбоко разрушен зъб, вкл. анестезия", "en": "Extraction of a suddenly broken or deeply destroyed tooth, incl. anaesthesia"}, {"code": "dental_follow_up", "bg": "Контролен преглед след инцизия или екстракция", "en": "Follow-up exam after an incision or extraction"}, {"code": "dental_urgent_after_procedure", "bg": "Спешни състояния след стоматологични манипулации", "en": "Urgent conditions after dental procedures"}, {"code": "transport", "bg": "Документирани, необходими и целесъобразни транспортни разходи до лечебно заведение", "en": "Documented, necessary and appropriate transport to a health facility"}]', '2011-07-05', NULL, 'Наредба (ПМС № 80/2005) чл. 6-7'),
  ('ins.exclusions', 'R-INS-13', '[{"code": "chronic_disease", "rule": "R-INS-13", "article": "8.1", "bg": "Лечение и болничен престой при съществуващи хронични заболявания", "en": "Treatment and hospital stay for existing chronic diseases"}, {"code": "dialysis_transfusion", "rule": "R-INS-13", "article": "8.2", "bg": "Хемодиализа и кръвопреливане", "en": "Haemodialysis and blood transfusion"}, {"code": "transplantation", "rule": "R-INS-13", "article": "8.3", "bg": "Трансплантация на органи, тъкани и клетки", "en": "Transplantation of organs, tissues and cells"}, {"code": "planned_surgery", "rule": "R-INS-13", "article": "8.4", "bg": "Планови неврохирургични, кардиохирургични и очни операции", "en": "Planned neurosurgical, cardiac and eye operations"}, {"code": "ivf", "rule": "R-INS-13", "article": "8.5", "bg": "Ин витро оплождане", "en": "In-vitro fertilisation"}, {"code": "aids", "rule": "R-INS-13", "article": "8.6", "bg": "Лечение на СПИН", "en": "AIDS treatment"}, {"code": "oncology_psychiatry_hospital", "rule": "R-INS-13", "article": "8.7", "bg": "Болнично лечение на онкологично болни и на лица с психични разстройства", "en": "Hospital care for oncology patients and persons with mental disorders"}, {"code": "addiction", "rule": "R-INS-13", "article": "8.8", "bg": "Лечение на алкохолизъм и наркомании", "en": "Treatment of alcoholism and drug addiction"}, {"code": "immunisation", "rule": "R-INS-13", "article": "8.9", "bg": "Задължителни имунизации", "en": "Mandatory immunisations"}, {"code": "cosmetic", "rule": "R-INS-13", "article": "8.10", "bg": "Пластични и козметични операции и други козметични услуги", "en": "Plastic and cosmetic operations and other cosmetic services"}, {"code": "alternative_methods", "rule": "R-INS-13", "article": "8.11", "bg": "Нетрадиционни методи на лечение", "en": "Unconventional (alternative) methods"}, {"code": "self_harm_or_non_compliance", "rule": "R-INS-14", "article": "9.1", "bg": "Неспазване на режим или лечение, симулация, умишлено самонараняване", "en": "Non-compliance with the prescribed regime, simulated illness, deliberate self-harm"}, {"code": "sports_competition", "rule": "R-INS-14", "article": "9.2", "bg": "Подготовка и участие в спортни състезания", "en": "Preparation for and participation in sports competitions"}, {"code": "fights_crime_suicide", "rule": "R-INS-14", "article": "9.3", "bg": "Сбиване, опит за самоубийство или самоубийство, престъпление или друга противоправна дейност", "en": "Fights, attempted suicide or suicide, crimes or other unlawful activity"}, {"code": "detention", "rule": "R-INS-14", "article": "9.4", "bg": "Увреждане при задържане от властите или в затвор", "en": "Harm while detained by the authorities or in prison"}, {"code": "nuclear_or_earthquake", "rule": "R-INS-14", "article": "9.5", "bg": "Земетресение, атомни или ядрени експлозии, радиоактивно замърсяване, йонизиращи лъчения", "en": "Earthquake, atomic or nuclear explosions, radioactive contamination, ionising radiation"}, {"code": "alcohol_or_drugs", "rule": "R-INS-14", "article": "9.6", "bg": "Прекомерна или хронична употреба на алкохол, наркотици или упойващи вещества", "en": "Excessive or chronic use of alcohol, narcotics or intoxicants"}, {"code": "terrorism", "rule": "R-INS-14", "article": "9.7", "bg": "Терористични актове", "en": "Terrorist acts"}, {"code": "war_or_riot", "rule": "R-INS-14", "article": "9.8", "bg": "Военни действия, бунт, стачка, локаут и подобни, вкл. бедствия", "en": "War actions or exercises, riot, strike, lock-out or similar, incl. disasters"}, {"code": "clinical_trial", "rule": "R-INS-15", "article": "10", "bg": "Услуги, свързани с участие в медицински изследвания или клинични изпитвания", "en": "Services connected with medical research or clinical trials"}, {"code": "past_disease", "rule": "R-INS-16", "article": "11", "bg": "Услуги, наложени от минали заболявания", "en": "Services needed because of past diseases"}]', '2011-07-05', NULL, 'Наредба (ПМС № 80/2005) чл. 8-11');

-- A foreigner's policy (E39). Recorded once, never changed; a renewal is a new row naming the policy it
-- continues (R-INS-06).
CREATE TABLE foreign_insurance_policy (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patient (id),
  stay_kind text NOT NULL CHECK (stay_kind IN ('short', 'transit', 'long')),
  concluded_on date NOT NULL,
  starts_on date NOT NULL,
  -- inclusive: the last day covered
  ends_on date NOT NULL,
  -- the sum insured as stated on the policy, in cents of its currency (R-INS-02 compares in BGN)
  sum_insured_cents bigint NOT NULL CHECK (sum_insured_cents > 0),
  sum_currency text NOT NULL CHECK (sum_currency IN ('BGN', 'EUR')),
  -- R-INS-03: only a premium paid once at conclusion is accepted
  premium_payment text NOT NULL CHECK (premium_payment = 'single'),
  renews_policy_id uuid REFERENCES foreign_insurance_policy (id),
  -- keyring scope 'registry', context 'foreign_insurance_policy:<id>': insurer, policy number, premium
  details_enc bytea NOT NULL,
  recorded_by uuid NOT NULL REFERENCES user_account (id),
  recorded_by_role text NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT foreign_insurance_policy_term CHECK (ends_on >= starts_on AND concluded_on <= starts_on)
);
CREATE INDEX foreign_insurance_policy_patient_idx ON foreign_insurance_policy (patient_id, starts_on);

-- An insured event (E40): a care episode of a foreigner covered by a policy. The insurer must be told
-- within 24 hours (R-INS-07); the claim file lists the documents of Art. 20(2) (R-INS-10) and, once
-- complete, the payout is due within 15 days (R-INS-08).
CREATE TABLE foreign_insurance_event (
  id uuid PRIMARY KEY,
  policy_id uuid NOT NULL REFERENCES foreign_insurance_policy (id),
  patient_id uuid NOT NULL REFERENCES patient (id),
  facility_id uuid NOT NULL REFERENCES facility (id),
  request_id uuid REFERENCES service_request (id),
  occurred_at timestamptz NOT NULL,
  notice_due_at timestamptz NOT NULL,
  notified_at timestamptz,
  notified_by uuid REFERENCES user_account (id),
  notice_channel text CHECK (notice_channel IN ('letter', 'phone', 'fax', 'other')),
  -- set by the escalation job when the notice was not given in time
  notice_overdue_at timestamptz,
  -- { "<document code>": "YYYY-MM-DD" submitted }
  documents jsonb NOT NULL DEFAULT '{}',
  documents_complete_on date,
  payout_due_on date,
  paid_on date,
  created_at timestamptz NOT NULL,
  CONSTRAINT foreign_insurance_event_notice CHECK ((notified_at IS NULL) = (notice_channel IS NULL) AND (notified_at IS NULL) = (notified_by IS NULL)),
  CONSTRAINT foreign_insurance_event_payout CHECK ((documents_complete_on IS NULL) = (payout_due_on IS NULL))
);
CREATE INDEX foreign_insurance_event_patient_idx ON foreign_insurance_event (patient_id, occurred_at);
CREATE INDEX foreign_insurance_event_facility_idx ON foreign_insurance_event (facility_id, occurred_at);
CREATE UNIQUE INDEX foreign_insurance_event_request_idx ON foreign_insurance_event (request_id) WHERE request_id IS NOT NULL;
