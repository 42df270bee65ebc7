import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SignedContent } from '../../contracts/records.js';
import { fhirProblems, unresolvedReferences, warmUpFhirValidation } from '../../test/fhir-validate.js';
import { canonicalize } from './canonical-json.js';
import { toFhirBundle, type ExportedDocument } from './fhir.js';

const PATIENT = '01900000-0000-7000-8000-0000000000bb';
const FACILITY = '01900000-0000-7000-8000-0000000000cc';
const DOCTOR = '01900000-0000-7000-8000-0000000000dd';

function signed(documentId: string, revision: number, replaces: string | null, over: Partial<SignedContent> = {}): ExportedDocument {
  const content: SignedContent = {
    schema: 'distansia.clinical-document/1',
    documentId,
    kind: 'ambulatory_sheet',
    revision,
    replaces: replaces ? { documentId: replaces, sha256: 'ab'.repeat(32), reason: 'уточнение' } : null,
    requestId: '01900000-0000-7000-8000-0000000000ee',
    examination: { class: 'VR', urgency: 'planned', mode: 'synchronous', completedAt: '2026-11-24T09:00:00Z' },
    subject: { patientId: PATIENT, identifierType: 'lnch', identifier: '1001234567', givenName: 'Анна', familyName: 'Смит', birthDate: '1980-02-03', sex: 'female' },
    performer: { practitionerId: DOCTOR, uin: '0500000001', givenName: 'Иван', familyName: 'Петров', qualification: '1020', qualificationName: 'Кардиология', facilityId: FACILITY, practiceNumber: '2201211001', facilityName: 'ДКЦ Тест' },
    body: {
      purpose: 'consultation',
      anamnesis: 'Главоболие <3 дни> & световъртеж',
      diagnoses: [
        { code: 'R51', title: 'Главоболие', rank: 'additional', clinicalStatus: 'active', verificationStatus: 'confirmed' },
        { code: 'I10', title: 'Есенциална хипертония', rank: 'primary', clinicalStatus: 'active', verificationStatus: 'provisional' },
      ],
      medications: [{ name: 'Амлодипин 5 mg', dosage: '1 x 1' }],
    },
    signedAt: `2026-11-24T1${revision}:00:00Z`,
    ...over,
  };
  const canonical = canonicalize(content);
  return { content, canonical, jws: 'eyJ.x.y', keyId: 'k1', sha256: createHash('sha256').update(canonical).digest('hex'), nrn: '26328B000001', pdfUrl: `https://host.example/api/v1/records/documents/${documentId}/pdf` };
}

type Entry = { fullUrl: string; resource: Record<string, unknown> & { resourceType: string; id: string } };
const entriesOf = (b: Record<string, unknown>): Entry[] => b.entry as Entry[];

describe('health record as FHIR documents (docs/fhir.md#documents)', () => {
  beforeAll(warmUpFhirValidation, 60_000);
  const first = signed('01900000-0000-7000-8000-000000000001', 1, null);
  const second = signed('01900000-0000-7000-8000-000000000002', 2, first.content.documentId, { examination: { class: 'VR', urgency: 'emergency', mode: 'asynchronous', completedAt: null } });
  const record = toFhirBundle(PATIENT, [second, first], '2026-11-25T08:00:00Z');

  it('is a collection (no total) of self-contained document Bundles with zero validation errors', () => {
    expect(record).not.toHaveProperty('total');
    expect(fhirProblems(record)).toEqual([]);
    for (const e of entriesOf(record)) {
      expect(e.resource).toMatchObject({ resourceType: 'Bundle', type: 'document' });
      expect(entriesOf(e.resource)[0]!.resource.resourceType).toBe('Composition');
      expect(unresolvedReferences(e.resource as never)).toEqual([]);
    }
  });

  it('carries the LNCh, UIN and РЗИ number in Patient, Practitioner and Organization, and ranks the primary diagnosis first', () => {
    const doc = entriesOf(entriesOf(record)[1]!.resource).map((e) => e.resource);
    const by = (t: string) => doc.find((r) => r.resourceType === t)!;
    expect(by('Patient')).toMatchObject({ id: PATIENT, identifier: [{ system: 'https://distansia.bg/fhir/sid/lnch', value: '1001234567' }], gender: 'female', birthDate: '1980-02-03' });
    expect(by('Practitioner')).toMatchObject({ identifier: [{ system: 'https://distansia.bg/fhir/sid/uin', value: '0500000001' }] });
    expect(by('Organization')).toMatchObject({ identifier: [{ system: 'https://distansia.bg/fhir/sid/rhi-facility-number', value: '2201211001' }] });
    expect(by('Encounter')).toMatchObject({ identifier: [{ system: 'https://distansia.bg/fhir/sid/nhis-nrn' }], priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority', code: 'R' }] } });
    const dx = (by('Encounter').diagnosis as { condition: { reference: string }; rank: number }[]).map((d) => [doc.find((r) => r.resourceType === 'Condition' && entriesOf(entriesOf(record)[1]!.resource).find((e) => e.fullUrl === d.condition.reference)?.resource === r)!.code, d.rank]);
    expect(dx).toEqual([[expect.objectContaining({ text: 'Главоболие' }), 2], [expect.objectContaining({ text: 'Есенциална хипертония' }), 1]]);
  });

  it('marks the replaced revision superseded and links the correction to it; an emergency is EM', () => {
    const docRef = (i: number) => entriesOf(entriesOf(record)[i]!.resource).find((e) => e.resource.resourceType === 'DocumentReference')!.resource;
    expect(docRef(1)).toMatchObject({ status: 'superseded', docStatus: 'final' });
    expect(docRef(0)).toMatchObject({ status: 'current', docStatus: 'amended', relatesTo: [{ code: 'replaces', target: { identifier: { value: `urn:uuid:${first.content.documentId}` } } }] });
    const enc = entriesOf(entriesOf(record)[0]!.resource).find((e) => e.resource.resourceType === 'Encounter')!.resource;
    expect(enc).toMatchObject({ status: 'in-progress', priority: { coding: [{ code: 'EM' }] } });
  });

  it('hashes the signed content with SHA-1 in Attachment.hash and keeps the SHA-256 in the extension', () => {
    const att = (entriesOf(entriesOf(record)[1]!.resource).find((e) => e.resource.resourceType === 'DocumentReference')!.resource.content as { attachment: Record<string, unknown> }[])[0]!.attachment;
    expect(att.hash).toBe(createHash('sha1').update(first.canonical).digest('base64'));
    expect(att.extension).toEqual([{ url: 'https://distansia.bg/fhir/StructureDefinition/attachment-sha256', valueBase64Binary: Buffer.from(first.sha256, 'hex').toString('base64') }]);
  });

  it('gives every resource a stable urn:uuid fullUrl, different per document and equal between exports', () => {
    const urls = entriesOf(record).flatMap((e) => entriesOf(e.resource).map((x) => x.fullUrl));
    expect(urls.every((u) => /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u))).toBe(true);
    expect(JSON.stringify(toFhirBundle(PATIENT, [second, first], '2026-11-25T08:00:00Z'))).toBe(JSON.stringify(record));
  });

  it('an empty record has no empty entry array', () => {
    const empty = toFhirBundle(PATIENT, [], '2026-11-25T08:00:00Z');
    expect(JSON.parse(JSON.stringify(empty))).not.toHaveProperty('entry');
    expect(fhirProblems(empty)).toEqual([]);
  });
});
