import type { MessageKey } from '../i18n/index.js';
import type { Me } from '../features/auth/api.js';

export interface NavItem {
  to: string;
  label: MessageKey;
}

/**
 * The signed-in navigation per role, in the order of what the role does daily (docs/design-system.md):
 * `primary` sits in the header row on desktop, `more` under "Още". Items that do not apply to the
 * account are left out (the server still decides access on every call).
 */
export function navFor(me: Me | null | undefined): { primary: NavItem[]; more: NavItem[] } {
  const directory: NavItem = { to: '/directory', label: 'layout.nav.directory' };
  const access: NavItem = { to: '/access', label: 'layout.nav.access' };
  if (!me) return { primary: [directory], more: [] };
  const hasFacility = me.facilityIds.length > 0;
  switch (me.role) {
    case 'patient':
    case 'representative':
      return {
        primary: [
          { to: '/requests', label: 'layout.nav.requests' },
          { to: '/book', label: 'layout.nav.book' },
          { to: '/health-record', label: 'healthRecord.nav' },
          { to: '/consultations', label: 'layout.nav.consultations' },
        ],
        more: [
          { to: '/consents', label: 'layout.nav.consents' },
          { to: '/access-log', label: 'layout.nav.accessLog' },
          { to: '/my-gp', label: 'gp.nav.mine' },
          { to: '/my-sick-leaves', label: 'sickLeave.nav.mine' },
          { to: '/referrals', label: 'referrals.nav' },
          ...(me.role === 'patient' ? [{ to: '/my-fees', label: 'practice.nav.fees' } as const, { to: '/my-documents', label: 'practice.nav.documents' } as const] : []),
          access,
          directory,
        ],
      };
    case 'specialist':
      return {
        primary: [
          { to: '/worklist', label: 'layout.nav.worklist' },
          { to: '/consultations', label: 'layout.nav.consultations' },
          { to: '/records/worklist', label: 'records.nav.worklist' },
          ...(me.isGp ? [{ to: '/gp/patient-list', label: 'gp.nav.list' } as const] : []),
        ],
        more: [
          { to: '/requests', label: 'layout.nav.requests' },
          { to: '/emergency/new', label: 'layout.nav.emergency' },
          { to: '/records/nhis-pending', label: 'records.nav.nhisPending' },
          { to: '/referrals/issued', label: 'refIssue.nav' },
          { to: '/sick-leave', label: 'sickLeave.nav.issue' },
          { to: '/lkk', label: 'sickLeave.nav.lkk' },
          ...(me.isGp ? [{ to: '/practice/desk', label: 'practice.nav.desk' } as const, { to: '/practice/gp-registration', label: 'gpDesk.nav' } as const, { to: '/practice/report', label: 'practice.nav.report' } as const, { to: '/practice/personal-data', label: 'pdata.nav' } as const] : []),
          ...(hasFacility ? [{ to: '/consultations/quality', label: 'layout.nav.qualityReport' } as const] : []),
          access,
          directory,
        ],
      };
    case 'facility_admin':
    case 'coordinator':
      return {
        primary: [
          { to: '/admin', label: 'registryAdmin.nav.admin' },
          ...(me.role === 'facility_admin' ? [{ to: '/admin/staff', label: 'staffAdmin.nav' } as const] : []),
          ...(hasFacility ? [{ to: '/compliance', label: 'compliance.nav' } as const, { to: '/consultations/quality', label: 'layout.nav.qualityReport' } as const] : []),
        ],
        more: [
          // The practice's day (docs/practice.md): the front desk, and the monthly NHIF report for administrators.
          ...(hasFacility ? [{ to: '/practice/desk', label: 'practice.nav.desk' } as const, { to: '/practice/gp-registration', label: 'gpDesk.nav' } as const] : []),
          ...(hasFacility && me.role === 'facility_admin' ? [{ to: '/practice/report', label: 'practice.nav.report' } as const, { to: '/practice/personal-data', label: 'pdata.nav' } as const] : []),
          { to: '/consultations', label: 'layout.nav.consultations' },
          access,
          directory,
        ],
      };
    case 'supervisor':
      return {
        primary: [
          { to: '/compliance', label: 'compliance.nav' },
          { to: '/consultations/quality', label: 'layout.nav.qualityReport' },
          { to: '/supervision/audit-export', label: 'auditExport.nav' },
        ],
        more: [{ to: '/ops/backups', label: 'backups.nav' }, access, directory],
      };
    case 'operator':
      return {
        primary: [
          { to: '/admin/staff', label: 'staffAdmin.nav' },
          { to: '/ops/backups', label: 'backups.nav' },
          { to: '/status', label: 'layout.nav.status' },
        ],
        more: [directory],
      };
    default:
      return { primary: [directory], more: [] };
  }
}
