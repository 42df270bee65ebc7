import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Patient, PatientDemographics } from '../../contracts/patients.js';

/**
 * What the access module needs of the patients module, declared here as a port. The patients
 * service depends on the access policy (every read is checked), so access must not import
 * patients back: the composition root passes the patients service, which fits this shape.
 */
export interface PatientLookup {
  readPatientIn(q: Queryable, ctx: RequestCtx, patientId: string): Promise<Patient>;
  findPatientIdByIdentifier(q: Queryable, kind: PatientDemographics['identifierKind'], identifier: string): Promise<string | undefined>;
  patientExists(q: Queryable, patientId: string): Promise<boolean>;
}
