/**
 * Rules, windows and limits are dated data (DECISIONS.md item 17): each row of `nhif_rule` applies to
 * dates in [validFrom, validTo). Pure: the rows are loaded by the repository.
 */
export interface DatedRule {
  key: string;
  ruleId: string;
  value: unknown;
  /** `YYYY-MM-DD` */
  validFrom: string;
  /** `YYYY-MM-DD`, exclusive; null for open-ended */
  validTo: string | null;
}

export interface ChangeWindowRule {
  /** `MM-DD`, inclusive */
  from: string;
  /** `MM-DD`, inclusive */
  to: string;
}
export interface TemporaryMonthsRule {
  min: number;
  max: number;
}
export interface RepresentationRule {
  representedUnderAge: number;
  consentUnderAge: number;
}
export interface NewbornRule {
  maxAgeDays: number;
}
export interface AgeBandRule {
  code: string;
  fromAge: number;
  toAge: number | null;
  capitationBgn: string;
}
export interface StaffingRule {
  thresholds: { over: number; specialists: number; doctors: number }[];
  specialistPerOver3500: number;
  doctorPerOver3500: number;
}

/** The keys of `nhif_rule` this module reads, with their value shapes. */
export interface GpRuleValues {
  'gp.change_windows': ChangeWindowRule[];
  'gp.temporary_months': TemporaryMonthsRule;
  'gp.representation': RepresentationRule;
  'gp.newborn': NewbornRule;
  'gp.age_bands': AgeBandRule[];
  'gp.staffing': StaffingRule;
  'gp.list_report_due': { workingDay: number };
  'money.bgn_per_eur': { rate: string };
}

/**
 * The value of a rule on a date.
 * @param rules - every row of the table (small)
 * @param key - which rule
 * @param date - `YYYY-MM-DD`
 * @returns the value valid on that date
 * @throws Error when no version covers the date: a missing rule is a configuration fault, never "allowed"
 */
export function ruleOn<K extends keyof GpRuleValues>(rules: readonly DatedRule[], key: K, date: string): GpRuleValues[K] {
  const hit = rules.filter((r) => r.key === key && r.validFrom <= date && (r.validTo === null || date < r.validTo)).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  if (!hit) throw new Error(`no ${key} rule in force on ${date}`);
  return hit.value as GpRuleValues[K];
}
