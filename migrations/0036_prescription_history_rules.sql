-- НРД 2006 чл. 41 (R-59): an early prescription, before 30 days from the previous one for the same
-- medicine, only to align prescribing periods when no pack matches the monthly course (dated data,
-- DECISIONS.md item 17).
INSERT INTO nhif_rule (key, rule_id, value, valid_from, valid_to, source) VALUES
  ('prescription.early_days', 'R-59', '{"days": 30}', '2006-01-01', NULL, 'НРД 2006 чл. 41, ал. 1 (R-59)');
