import { ComplianceReportSchema, WorklistSchema, type ComplianceReport, type Deadline } from '../../../../src/contracts/records.js';
import { fileUrls } from '../../api/file-urls.js';
import type { Http } from '../../api/http.js';

export type { ComplianceReport, Deadline };
export type ComplianceRow = ComplianceReport['rows'][number];
export type FacilityAlerts = { now: string; items: Deadline[] };

/** One facility and period, local dates in the facility's zone, `to` inclusive. */
export interface CompliancePeriod {
  facilityId: string;
  from: string;
  to: string;
}

/** The compliance report and the facility's deadline alerts (server module `records`, Art. 17). */
export interface ComplianceApi {
  /** `GET /api/v1/records/compliance`: the report as JSON (facility administrators, coordinators, supervisors). */
  report(period: CompliancePeriod): Promise<ComplianceReport>;
  /** Where the browser downloads the same report as CSV or PDF (same origin, session cookie). */
  fileUrl(period: CompliancePeriod, format: 'csv' | 'pdf'): string;
  /** `GET /api/v1/records/facility-alerts`: escalated (80%) and missed deadlines of the caller's facilities. */
  alerts(): Promise<FacilityAlerts>;
}

const query = (p: CompliancePeriod, format?: 'csv' | 'pdf') => {
  const q = new URLSearchParams({ facilityId: p.facilityId, from: p.from, to: p.to });
  if (format) q.set('format', format);
  return q.toString();
};

export function createComplianceApi(http: Http): ComplianceApi {
  return {
    report: (period) => http.getJson(`/api/v1/records/compliance?${query(period)}`, ComplianceReportSchema),
    fileUrl: fileUrls.compliance,
    alerts: () => http.getJson('/api/v1/records/facility-alerts', WorklistSchema),
  };
}
