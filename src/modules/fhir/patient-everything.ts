import type { Patient } from '../../contracts/patients.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { STD, patientIdentifierSystem } from '../../platform/fhir/systems.js';

type Json = Record<string, unknown>;

/**
 * A patient's demographics as a FHIR Patient (EGN/LNCh with their declared systems). Pure.
 * @param p - the decrypted demographics
 * @returns the Patient resource
 */
export function patientResourceOf(p: Patient): Json {
  const system = patientIdentifierSystem(p.identifierKind);
  const telecom = [p.phone ? { system: 'phone', value: p.phone } : undefined, p.email ? { system: 'email', value: p.email } : undefined].filter(Boolean);
  return {
    resourceType: 'Patient',
    id: p.id,
    ...(p.citizenship
      ? { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-citizenship', extension: [{ url: 'code', valueCodeableConcept: { coding: [{ system: 'urn:iso:std:iso:3166', code: p.citizenship }] } }] }] }
      : {}),
    identifier: [
      {
        ...(p.identifierKind === 'other' ? { type: { text: 'other' } } : { type: { coding: [{ system: STD.v2IdentifierType, code: p.identifierKind === 'passport' ? 'PPN' : 'NI' }] } }),
        ...(system ? { system } : {}),
        value: p.identifier,
      },
    ],
    name: [{ family: p.familyName, given: [p.givenName, ...(p.middleName ? [p.middleName] : [])] }],
    ...(telecom.length ? { telecom } : {}),
    gender: p.sex,
    birthDate: p.birthDate,
  };
}

/** What the Patient use cases need from the patients and records modules (their public APIs). */
export interface PatientDeps {
  patients: { readPatient(ctx: RequestCtx, patientId: string): Promise<Patient> };
  records: { exportFhir(ctx: RequestCtx, patientId: string, baseUrl?: string): Promise<Json> };
  /** Referrals (ServiceRequest) and prescriptions (MedicationRequest), docs/referrals.md. */
  referrals?: { fhirResources(ctx: RequestCtx, patientId: string, fhirBase: string): Promise<{ fullUrl: string; resource: Json }[]> };
}

/**
 * Patient read and `$everything` at `/fhir/R4`. Security: both go through the same access policy and
 * audit as `/api/v1` (patient.read, health_record.exported), so FHIR opens no other way to a record.
 * @param deps - the patients and records services
 * @returns the use cases
 */
export function createFhirPatients(deps: PatientDeps) {
  return {
    /**
     * @param ctx - the caller
     * @param patientId - whose record
     * @returns the Patient
     * @throws {AccessDeniedError} without access (also for unknown ids)
     */
    async readPatient(ctx: RequestCtx, patientId: string): Promise<Json> {
      return patientResourceOf(await deps.patients.readPatient(ctx, patientId));
    },

    /**
     * `Patient/{id}/$everything`: the Patient and one `document` Bundle per signed document.
     * @param ctx - the caller
     * @param patientId - whose record
     * @param fhirBase - the endpoint's base URL (for fullUrls)
     * @param serverBase - the server's base URL (for attachment links)
     * @returns a `searchset` Bundle
     */
    async everything(ctx: RequestCtx, patientId: string, fhirBase: string, serverBase: string): Promise<Json> {
      const patient = patientResourceOf(await deps.patients.readPatient(ctx, patientId));
      const record = await deps.records.exportFhir(ctx, patientId, serverBase);
      const documents = [...((record.entry as { fullUrl: string; resource: Json }[] | undefined) ?? []), ...((await deps.referrals?.fhirResources(ctx, patientId, fhirBase)) ?? [])];
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        total: 1,
        link: [{ relation: 'self', url: `${fhirBase}/Patient/${patientId}/$everything` }],
        entry: [{ fullUrl: `${fhirBase}/Patient/${patientId}`, resource: patient, search: { mode: 'match' } }, ...documents.map((d) => ({ ...d, search: { mode: 'include' } }))],
      };
    },
  };
}
export type FhirPatients = ReturnType<typeof createFhirPatients>;
