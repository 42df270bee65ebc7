import { createBrowserRouter, type RouteObject } from 'react-router';
import { RouteLoading } from './route-loading.js';
import { Layout } from './layout.js';
import { NotFoundPage } from './not-found-page.js';
import { RouteErrorPage } from './route-error-page.js';
import { loadAllMessages } from '../i18n/index.js';

/** Pages whose strings are all in `shell-messages.ts`: the directory search, the first page most visitors see. */
const coreStringsOnly = new Set(['directory']);

/**
 * Performance: every other page's chunk loads together with the features' strings (`loadAllMessages`),
 * so the first load of the directory carries neither (bench/README.md, first load and LCP).
 */
function withFeatureMessages(pages: RouteObject[]): RouteObject[] {
  return pages.map((page) => {
    const lazy = page.lazy;
    if (typeof lazy !== 'function' || coreStringsOnly.has(page.path ?? '')) return page;
    return { ...page, lazy: async () => (await Promise.all([lazy(), loadAllMessages()]))[0] } as RouteObject;
  });
}

/**
 * Client routes. Only pages that exist are routed and linked; `/api/*` and `/health/*` belong to the
 * server and are reached by full navigation.
 */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    // Performance: every page is its own chunk (route-level splitting); this shows while one loads.
    HydrateFallback: RouteLoading,
    children: withFeatureMessages([
      { index: true, lazy: async () => ({ Component: (await import('../features/home/routes/home-page.js')).HomePage }) },
      // Backups, restore checks and the second site, for the operator and the supervisor (docs/operations.md).
      { path: 'ops/backups', lazy: async () => ({ Component: (await import('../features/ops/routes/backups-page.js')).BackupsPage }) },
      { path: 'status', lazy: async () => ({ Component: (await import('../features/ops/routes/status-page.js')).StatusPage }) },
      { path: 'sign-in', lazy: async () => ({ Component: (await import('../features/auth/routes/sign-in-page.js')).SignInPage }) },
      { path: 'enrol', lazy: async () => ({ Component: (await import('../features/auth/routes/enrol-page.js')).EnrolPage }) },
      { path: 'forgot-password', lazy: async () => ({ Component: (await import('../features/auth/routes/password-reset-pages.js')).ForgotPasswordPage }) },
      { path: 'reset-password', lazy: async () => ({ Component: (await import('../features/auth/routes/password-reset-pages.js')).ResetPasswordPage }) },
      { path: 'activate', lazy: async () => ({ Component: (await import('../features/auth/routes/activation-page.js')).ActivationPage }) },
      { path: 'account/sessions', lazy: async () => ({ Component: (await import('../features/auth/routes/sessions-page.js')).SessionsPage }) },
      { path: 'access', lazy: async () => ({ Component: (await import('../features/access/routes/access-page.js')).AccessPage }) },
      { path: 'access-log', lazy: async () => ({ Component: (await import('../features/access-log/routes/access-log-page.js')).AccessLogPage }) },
      { path: 'supervision/audit-export', lazy: async () => ({ Component: (await import('../features/compliance/routes/audit-export-page.js')).AuditExportPage }) },
      { path: 'consultations', lazy: async () => ({ Component: (await import('../features/consultation/routes/consultations-page.js')).ConsultationsPage }) },
      { path: 'consultations/quality', lazy: async () => ({ Component: (await import('../features/consultation/routes/quality-report-page.js')).QualityReportPage }) },
      { path: 'consultations/:id', lazy: async () => ({ Component: (await import('../features/consultation/routes/consultation-page.js')).ConsultationPage }) },
      { path: 'requests/:requestId/consultation', lazy: async () => ({ Component: (await import('../features/consultation/routes/consultations-page.js')).OpenRequestConsultationPage }) },
      { path: 'consents', lazy: async () => ({ Component: (await import('../features/consent/routes/my-consents-page.js')).MyConsentsPage }) },
      { path: 'requests/:requestId/consent', lazy: async () => ({ Component: (await import('../features/consent/routes/consent-sign-page.js')).ConsentSignPage }) },
      { path: 'requests/:requestId/review', lazy: async () => ({ Component: (await import('../features/consent/routes/request-review-page.js')).RequestReviewPage }) },
      { path: 'book', lazy: async () => ({ Component: (await import('../features/requests/routes/book-page.js')).BookPage }) },
      { path: 'requests', lazy: async () => ({ Component: (await import('../features/requests/routes/my-requests-page.js')).MyRequestsPage }) },
      { path: 'requests/:requestId', lazy: async () => ({ Component: (await import('../features/requests/routes/request-detail-page.js')).RequestDetailPage }) },
      { path: 'worklist', lazy: async () => ({ Component: (await import('../features/requests/routes/worklist-page.js')).WorklistPage }) },
      { path: 'emergency/new', lazy: async () => ({ Component: (await import('../features/requests/routes/emergency-page.js')).EmergencyPage }) },
      // Records: the patient's health record and the compliance dashboard, each its own chunk.
      { path: 'health-record', lazy: async () => ({ Component: (await import('../features/health-record/routes/health-record-page.js')).HealthRecordPage }) },
      { path: 'health-record/documents/:documentId', lazy: async () => ({ Component: (await import('../features/health-record/routes/health-record-document-page.js')).HealthRecordDocumentPage }) },
      { path: 'compliance', lazy: async () => ({ Component: (await import('../features/compliance/routes/compliance-page.js')).CompliancePage }) },
      { path: 'records/nhis-pending', lazy: async () => ({ Component: (await import('../features/records/routes/nhis-pending-page.js')).NhisPendingPage }) },
      { path: 'records/worklist', lazy: async () => ({ Component: (await import('../features/records/routes/records-worklist-page.js')).RecordsWorklistPage }) },
      { path: 'requests/:requestId/sheet', lazy: async () => ({ Component: (await import('../features/records/routes/sheet-editor-page.js')).SheetEditorPage }) },
      // Performance: the public directory is a separate chunk, loaded on first visit.
      { path: 'directory', lazy: async () => ({ Component: (await import('../features/directory/routes/directory-search-page.js')).DirectorySearchPage }) },
      { path: 'directory/facilities/:id', lazy: async () => ({ Component: (await import('../features/directory/routes/facility-page.js')).FacilityPage }) },
      // Performance: registry administration is its own chunk, loaded only by administrators.
      { path: 'admin', lazy: async () => ({ Component: (await import('../features/registry-admin/routes/admin-home-page.js')).AdminHomePage }) },
      { path: 'admin/facilities/:id/:section?', lazy: async () => ({ Component: (await import('../features/registry-admin/routes/facility-admin-page.js')).FacilityAdminPage }) },
      // Staff accounts of a facility, for its administrators and the operator.
      { path: 'admin/staff', lazy: async () => ({ Component: (await import('../features/staff-admin/routes/staff-page.js')).StaffPage }) },
      { path: 'admin/centres', lazy: async () => ({ Component: (await import('../features/registry-admin/routes/centres-page.js')).CentresPage }) },
      { path: 'admin/centres/:id', lazy: async () => ({ Component: (await import('../features/registry-admin/routes/centre-page.js')).CentrePage }) },
      // GP choice and patient lists (W8-W10): a separate chunk.
      { path: 'my-gp', lazy: async () => ({ Component: (await import('../features/gp/routes/my-gp-page.js')).MyGpPage }) },
      { path: 'gp/patient-list', lazy: async () => ({ Component: (await import('../features/gp/routes/patient-list-page.js')).PatientListPage }) },
      // sick leave, the ЛКК and TELK (docs/sick-leave.md)
      { path: 'sick-leave', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/examinations-page.js')).ExaminationsPage }) },
      { path: 'sick-leave/issue/:encounterId', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/sick-leave-form-page.js')).SickLeaveFormPage }) },
      { path: 'sick-leave/notice/:encounterId', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/notice-page.js')).NoticePage }) },
      { path: 'telk/:id', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/telk-case-page.js')).TelkCasePage }) },
      { path: 'lkk', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/lkk-page.js')).LkkPage }) },
      { path: 'lkk/report', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/lkk-report-page.js')).LkkReportPage }) },
      { path: 'my-sick-leaves', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/my-sick-leaves-page.js')).MySickLeavesPage }) },
      { path: 'my-insurance', lazy: async () => ({ Component: (await import('../features/insurance/routes/my-insurance-page.js')).MyInsurancePage }) },
      // Design system (docs/design-system.md): every shared component on one page, in development builds only.
      ...(import.meta.env.DEV ? [{ path: 'dev/components', lazy: async () => ({ Component: (await import('./dev-components-page.js')).DevComponentsPage }) }] : []),
      // The practice's day (docs/practice.md): front desk, the GP's monthly NHIF report, the patient's fees and complaint form.
      { path: 'practice/gp-registration', lazy: async () => ({ Component: (await import('../features/gp/routes/gp-desk-page.js')).GpDeskPage }) },
      { path: 'practice/desk', lazy: async () => ({ Component: (await import('../features/practice/routes/front-desk-page.js')).FrontDeskPage }) },
      { path: 'practice/report', lazy: async () => ({ Component: (await import('../features/practice/routes/monthly-report-page.js')).MonthlyReportPage }) },
      { path: 'practice/personal-data', lazy: async () => ({ Component: (await import('../features/practice/routes/personal-data-page.js')).PersonalDataPage }) },
      { path: 'my-fees', lazy: async () => ({ Component: (await import('../features/practice/routes/my-fees-page.js')).MyFeesPage }) },
      { path: 'my-documents', lazy: async () => ({ Component: (await import('../features/practice/routes/my-documents-page.js')).MyDocumentsPage }) },
      // registration and booking (docs/registration.md): each its own chunk.
      { path: 'register', lazy: async () => ({ Component: (await import('../features/registration/routes/register-page.js')).RegisterPage }) },
      { path: 'register/confirm', lazy: async () => ({ Component: (await import('../features/registration/routes/confirm-email-page.js')).ConfirmEmailPage }) },
      // Referrals and e-prescriptions (W14, W27): a separate chunk.
      { path: 'referrals/issued', lazy: async () => ({ Component: (await import('../features/referrals/routes/issued-documents-page.js')).IssuedDocumentsPage }) },
      { path: 'requests/:requestId/referrals/new', lazy: async () => ({ Component: (await import('../features/referrals/routes/issue-referral-page.js')).IssueReferralPage }) },
      { path: 'encounters/:encounterId/referrals/new', lazy: async () => ({ Component: (await import('../features/referrals/routes/issue-referral-page.js')).IssueReferralPage }) },
      { path: 'requests/:requestId/prescriptions/new', lazy: async () => ({ Component: (await import('../features/referrals/routes/issue-prescription-page.js')).IssuePrescriptionPage }) },
      { path: 'encounters/:encounterId/prescriptions/new', lazy: async () => ({ Component: (await import('../features/referrals/routes/issue-prescription-page.js')).IssuePrescriptionPage }) },
      { path: 'referrals', lazy: async () => ({ Component: (await import('../features/referrals/routes/referrals-page.js')).ReferralsPage }) },
      { path: '*', element: <NotFoundPage /> },
    ]),
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
