/**
 * Consent, identity verification and admissibility (Art. 7, 9, 10, 11, 19; docs/decisions.md#d5-d8).
 * Other modules use the gates: `assertServiceMayStart` (consultation, requests `start`),
 * `assertRecordingAllowed` / `isRecordingConsentValid` (recording), `recordDecision` inside the
 * requests module's accept/decline, and `onRecordingConsentWithdrawn` or the outbox message
 * `recording.consent_withdrawn` to stop recordings at once.
 */
export { createConsentService, RECORDING_CONSENT_WITHDRAWN, type ConsentService, type ConsentDeps, type StepUp, type RecordingConsentWithdrawnListener } from './consent.service.js';
export { createAdmissibilityService, consentRequiredFor, type AdmissibilityService, type AdmissibilityDeps } from './admissibility.service.js';
export { hardBlocks, missingGates, unconfirmedItems, CHECKLIST_RULES } from './admissibility-rules.js';
export { consentContentSha256, templateTextSha256 } from './consent-hash.js';
export { consentRoutes } from './consent.routes.js';
export { readAcceptedNoDirectContactIn, anyIdentityVerifiedIn, readTreatmentConsentIn } from './consent-facts.js';
export { DEMO_CONSENT_TEMPLATES } from './consent-templates.demo.js';
