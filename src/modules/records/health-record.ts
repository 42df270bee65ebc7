import { fromDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { HealthRecord } from '../../contracts/records.js';
import { listPatientAttachmentsIn } from '../requests/index.js';
import * as repo from './records.repo.js';
import { contentDigest } from './signing.js';
import { toFhirBundle, type ExportedDocument } from './fhir.js';
import type { RecordsDeps } from './records.deps.js';
import type { DocumentAccess } from './document-access.js';

/**
 * The patient's health record of remote services and its FHIR export (Art. 13, docs/fhir.md).
 * @param deps - the records dependencies
 * @param access - the shared document helpers
 * @returns the health record use cases
 */
export function createHealthRecord(deps: RecordsDeps, access: DocumentAccess) {
  const { db, clock, audit, policy } = deps;
  const { loadStored } = access;

  /** `facilityScope`: keep only what these facilities recorded (a supervision case, Art. 21). */
  async function buildHealthRecord(ctx: RequestCtx, tx: Queryable, patientId: string, facilityScope?: readonly string[]): Promise<HealthRecord> {
    const inScope = (facilityId: string) => !facilityScope || facilityScope.includes(facilityId);
    const rows = (await repo.listPatientSigned(tx, patientId)).filter((r) => inScope(r.facility_id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const current = rows.filter((r) => !r.replaced_by_id || !byId.has(r.replaced_by_id));
    const documents: HealthRecord['documents'] = [];
    const diagnoses: HealthRecord['diagnoses'] = [];
    const medications: HealthRecord['medications'] = [];
    for (const row of current) {
      const stored = await loadStored(ctx, tx, row);
      if (stored.state !== 'signed') continue;
      const c = stored.signed;
      const history: HealthRecord['documents'][number]['history'] = [];
      for (let prev = row.replaces_id ? byId.get(row.replaces_id) : undefined; prev; prev = prev.replaces_id ? byId.get(prev.replaces_id) : undefined) {
        history.push({ documentId: prev.id, revision: prev.revision, signedAt: fromDate(prev.signed_at as Date).toString() });
      }
      const sub = await repo.findSubmissionByDocument(tx, row.id);
      documents.push({
        documentId: row.id,
        kind: row.kind,
        requestId: row.request_id,
        revision: row.revision,
        signedAt: c.signedAt,
        performer: { name: `${c.performer.givenName} ${c.performer.familyName}`, uin: c.performer.uin, qualificationName: c.performer.qualificationName, facilityName: c.performer.facilityName },
        diagnoses: c.body.diagnoses,
        medications: c.body.medications,
        recommendations: c.body.recommendations ?? null,
        followUp: c.body.followUp ?? null,
        summary: c.body.summary ?? null,
        nrn: sub?.nrn ?? (await repo.examinationNrn(tx, row.request_id)) ?? null,
        history,
      });
      for (const d of c.body.diagnoses) diagnoses.push({ ...d, documentId: row.id, recordedAt: c.signedAt });
      for (const m of c.body.medications) medications.push({ ...m, documentId: row.id, recordedAt: c.signedAt });
    }
    const attachments = (await listPatientAttachmentsIn(tx, patientId)).filter((a) => inScope(a.facilityId)).map((a) => ({ id: a.id, requestId: a.requestId, contentType: a.contentType, sizeBytes: a.sizeBytes, createdAt: fromDate(a.createdAt).toString() }));
    return { patientId, documents, diagnoses, medications, attachments };
  }

  return {
    /**
     * The patient's record of remote services: signed documents (current revisions, with history),
     * diagnoses and medications recorded in them, and the attachments of their requests.
     * @param ctx - the patient, a representative, or a specialist with access (Art. 13)
     * @param patientId - whose record
     * @returns the health record
     */
    async getHealthRecord(ctx: RequestCtx, patientId: string): Promise<HealthRecord> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const granted = await policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const record = await buildHealthRecord(ctx, tx, patientId, granted.facilityScope);
          await audit.record(tx, ctx, { action: 'health_record.read', patientId, facilityId: granted.facilityId, onBehalfOf: granted.onBehalfOf, subject: { type: 'patient', id: patientId }, reason: granted.reason, data: { count: record.documents.length } });
          return record;
        }),
      );
    },

    /**
     * The health record as a FHIR R4 `collection` of `document` Bundles, one per signed document (docs/fhir.md#documents).
     * @param ctx - the patient, a representative, or a specialist with access (Art. 13)
     * @param patientId - whose record
     * @param baseUrl - absolute base of this server, for the PDF links when `PUBLIC_URL` is not set
     * @returns the Bundle
     */
    async exportFhir(ctx: RequestCtx, patientId: string, baseUrl = ''): Promise<Record<string, unknown>> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const granted = await policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const docs: ExportedDocument[] = [];
          for (const row of await repo.listPatientSigned(tx, patientId)) {
            if (granted.facilityScope && !granted.facilityScope.includes(row.facility_id)) continue;
            const stored = await loadStored(ctx, tx, row);
            if (stored.state !== 'signed' || !row.signature || !row.signing_key_id || !row.content_sha256) continue;
            const sub = await repo.findSubmissionByDocument(tx, row.id);
            docs.push({ content: stored.signed, canonical: contentDigest(stored.signed).canonical, jws: row.signature, keyId: row.signing_key_id, sha256: row.content_sha256, nrn: sub?.nrn ?? null, pdfUrl: `${deps.publicUrl ?? baseUrl}/api/v1/records/documents/${row.id}/pdf` });
          }
          await audit.record(tx, ctx, { action: 'health_record.exported', patientId, facilityId: granted.facilityId, onBehalfOf: granted.onBehalfOf, subject: { type: 'patient', id: patientId }, reason: granted.reason, data: { count: docs.length, format: 'fhir' } });
          return toFhirBundle(patientId, docs, clock.now().toString());
        }),
      );
    },

  };
}
