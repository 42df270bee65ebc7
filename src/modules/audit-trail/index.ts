export { createAuditTrailService, MAX_EXPORT_EVENTS, type AuditTrailService, type AuditExport } from './audit-trail.service.js';
export { auditTrailRoutes } from './audit-trail.routes.js';
export { accessLogAuditEventOf } from './fhir-audit-event.js';
