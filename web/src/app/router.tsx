import { createBrowserRouter, type RouteObject } from 'react-router';
import { HomePage } from '../features/home/routes/home-page.js';
import { StatusPage } from '../features/ops/routes/status-page.js';
import { SignInPage } from '../features/auth/routes/sign-in-page.js';
import { EnrolPage } from '../features/auth/routes/enrol-page.js';
import { SessionsPage } from '../features/auth/routes/sessions-page.js';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/auth/routes/password-reset-pages.js';
import { ActivationPage } from '../features/auth/routes/activation-page.js';
import { AccessPage } from '../features/access/routes/access-page.js';
import { AccessLogPage } from '../features/access-log/routes/access-log-page.js';
import { ConsultationPage } from '../features/consultation/routes/consultation-page.js';
import { ConsultationsPage, OpenRequestConsultationPage } from '../features/consultation/routes/consultations-page.js';
import { QualityReportPage } from '../features/consultation/routes/quality-report-page.js';
import { ConsentSignPage } from '../features/consent/routes/consent-sign-page.js';
import { MyConsentsPage } from '../features/consent/routes/my-consents-page.js';
import { RequestReviewPage } from '../features/consent/routes/request-review-page.js';
import { BookPage } from '../features/requests/routes/book-page.js';
import { MyRequestsPage } from '../features/requests/routes/my-requests-page.js';
import { RequestDetailPage } from '../features/requests/routes/request-detail-page.js';
import { WorklistPage } from '../features/requests/routes/worklist-page.js';
import { EmergencyPage } from '../features/requests/routes/emergency-page.js';
import { RecordsWorklistPage } from '../features/records/routes/records-worklist-page.js';
import { SheetEditorPage } from '../features/records/routes/sheet-editor-page.js';
import { Layout } from './layout.js';
import { NotFoundPage } from './not-found-page.js';
import { RouteErrorPage } from './route-error-page.js';

/**
 * Client routes. Only pages that exist are routed and linked; `/api/*` and `/health/*` belong to the
 * server and are reached by full navigation.
 */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'status', element: <StatusPage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'enrol', element: <EnrolPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'activate', element: <ActivationPage /> },
      { path: 'account/sessions', element: <SessionsPage /> },
      { path: 'access', element: <AccessPage /> },
      { path: 'access-log', element: <AccessLogPage /> },
      { path: 'consultations', element: <ConsultationsPage /> },
      { path: 'consultations/quality', element: <QualityReportPage /> },
      { path: 'consultations/:id', element: <ConsultationPage /> },
      { path: 'requests/:requestId/consultation', element: <OpenRequestConsultationPage /> },
      { path: 'consents', element: <MyConsentsPage /> },
      { path: 'requests/:requestId/consent', element: <ConsentSignPage /> },
      { path: 'requests/:requestId/review', element: <RequestReviewPage /> },
      { path: 'book', element: <BookPage /> },
      { path: 'requests', element: <MyRequestsPage /> },
      { path: 'requests/:requestId', element: <RequestDetailPage /> },
      { path: 'worklist', element: <WorklistPage /> },
      { path: 'emergency/new', element: <EmergencyPage /> },
      // Records: the patient's health record and the compliance dashboard, each its own chunk.
      { path: 'health-record', lazy: async () => ({ Component: (await import('../features/health-record/routes/health-record-page.js')).HealthRecordPage }) },
      { path: 'health-record/documents/:documentId', lazy: async () => ({ Component: (await import('../features/health-record/routes/health-record-document-page.js')).HealthRecordDocumentPage }) },
      { path: 'compliance', lazy: async () => ({ Component: (await import('../features/compliance/routes/compliance-page.js')).CompliancePage }) },
      { path: 'records/worklist', element: <RecordsWorklistPage /> },
      { path: 'requests/:requestId/sheet', element: <SheetEditorPage /> },
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
      { path: 'sick-leave/issue', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/sick-leave-form-page.js')).SickLeaveFormPage }) },
      { path: 'lkk', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/lkk-page.js')).LkkPage }) },
      { path: 'my-sick-leaves', lazy: async () => ({ Component: (await import('../features/sick-leave/routes/my-sick-leaves-page.js')).MySickLeavesPage }) },
      { path: 'my-insurance', lazy: async () => ({ Component: (await import('../features/insurance/routes/my-insurance-page.js')).MyInsurancePage }) },
      // Referrals and e-prescriptions (W14, W27): a separate chunk.
      { path: 'referrals', lazy: async () => ({ Component: (await import('../features/referrals/routes/referrals-page.js')).ReferralsPage }) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
