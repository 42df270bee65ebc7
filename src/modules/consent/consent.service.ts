import { createConsentCore } from './consent-core.js';
import { createConsentTemplates } from './consent-templates.js';
import { createSignConsent } from './sign-consent.js';
import { createWithdrawConsent } from './withdraw-consent.js';
import { createConsentDocuments } from './consent-documents.js';
import type { ConsentDeps } from './consent-common.js';

export { RECORDING_CONSENT_WITHDRAWN, consentFromRow, iso, type StepUp, type RecordingConsentWithdrawnListener, type ConsentDeps } from './consent-common.js';

/**
 * Consent templates, reading and signing, withdrawal, the patient's list, PDFs and verification
 * (Art. 10, 11, 19); each use case lives in its own file and this factory only assembles them.
 * @param deps - database, clock, ids, audit, keyring, outbox, access policy and the identity step-up
 * @returns the consent service
 */
export function createConsentService(deps: ConsentDeps) {
  const core = createConsentCore(deps);
  return {
    ...createConsentTemplates(deps, core),
    ...createSignConsent(deps, core),
    ...createWithdrawConsent(deps, core),
    ...createConsentDocuments(deps, core),
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
