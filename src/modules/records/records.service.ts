import { createDocumentAccess } from './document-access.js';
import { createDraftUseCases } from './draft-document.js';
import { createSignDocument } from './sign-document.js';
import { createNhisCardSteps } from './nhis-card-steps.js';
import { createVerifyDocument } from './verify-document.js';
import { createReadDocuments } from './read-documents.js';
import { createHealthRecord } from './health-record.js';
import { createNationalRecord } from './national-record.js';
import { createIcd10Catalogue } from './icd10-catalogue.js';
import { listTemplates } from './sheet-templates.js';
import type { RecordsDeps } from './records.deps.js';

export { NHIS_SUBMIT, type RecordsDeps } from './records.deps.js';

/**
 * Clinical records: drafts, signing, corrections, verification, PDF copies, the patient's health
 * record and its FHIR export, ICD-10 search and import. Deny by default: every read is access-checked
 * and audited; only the author writes and signs. Each use case lives in its own file; this factory only
 * assembles them.
 * @param deps - database, clock, ids, keyring, audit, access policy, patients, outbox
 * @returns the records service
 */
export function createRecordsService(deps: RecordsDeps) {
  const access = createDocumentAccess(deps);
  return {
    ...createDraftUseCases(deps, access),
    ...createSignDocument(deps, access),
    ...createNhisCardSteps(deps, access),
    ...createVerifyDocument(deps, access),
    ...createReadDocuments(deps, access),
    ...createHealthRecord(deps, access),
    ...createNationalRecord(deps),
    ...createIcd10Catalogue(deps),
    listTemplates,
  };
}

export type RecordsService = ReturnType<typeof createRecordsService>;
