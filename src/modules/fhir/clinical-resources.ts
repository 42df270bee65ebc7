import type { Consent } from '../../contracts/consent.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import { consentResourceOf } from './consent-resource.js';

type Json = Record<string, unknown>;
interface Entry {
  fullUrl?: string;
  resource: Json;
}
type DocEntry = { fullUrl?: string; resource: Json & { resourceType: string; id: string } };

/** Resources that live inside the signed documents (docs/fhir.md#documents). */
const DOCUMENT_TYPES = ['Composition', 'DocumentReference', 'Condition', 'MedicationStatement'] as const;
/** Referrals and prescriptions (docs/referrals.md). */
const ORDER_TYPES = ['ServiceRequest', 'MedicationRequest'] as const;
export const CLINICAL_TYPES = [...DOCUMENT_TYPES, ...ORDER_TYPES, 'Consent'] as const;
export type ClinicalType = (typeof CLINICAL_TYPES)[number];
/** Resources a searchset may point to by `Type/id`, because this endpoint reads them back by that id. */
const SERVED = new Set<string>(['Patient', 'Practitioner', 'PractitionerRole', 'Organization', ...DOCUMENT_TYPES]);
const UUID_PREFIX = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** What the clinical reads need from records, referrals and consent (their public use cases). */
export interface ClinicalDeps {
  records: {
    exportFhir(ctx: RequestCtx, patientId: string, baseUrl?: string): Promise<Json>;
    getDocument(ctx: RequestCtx, documentId: string): Promise<{ patientId: string | null }>;
  };
  referrals: {
    fhirResources(ctx: RequestCtx, patientId: string, fhirBase: string): Promise<{ fullUrl: string; resource: Record<string, unknown> }[]>;
    getReferral(ctx: RequestCtx, id: string): Promise<{ patientId: string }>;
    getPrescription(ctx: RequestCtx, id: string): Promise<{ patientId: string }>;
  };
  consent: {
    listPatientConsents(ctx: RequestCtx, patientId: string): Promise<{ items: Consent[] }>;
    getConsent(ctx: RequestCtx, consentId: string): Promise<Consent>;
  };
}

/**
 * Flattens the signed documents into searchset entries of one type. Inside a document every reference is
 * a `urn:uuid` of another entry; here it becomes `Type/id` where this endpoint reads that resource back,
 * and a logical reference (its type and identifier) where it does not (the document's Encounter is the
 * service request's snapshot, the Provenance lives only in the document).
 * @param collection - the health-record export (a collection of document Bundles)
 * @param type - the resource type wanted
 * @param fhirBase - the endpoint's base URL
 * @returns the entries, newest document first as the export orders them
 */
export function documentEntriesOf(collection: Json, type: string, fhirBase: string): Entry[] {
  const out: Entry[] = [];
  for (const doc of (collection.entry as { resource: { entry?: DocEntry[] } }[] | undefined) ?? []) {
    const entries = doc.resource.entry ?? [];
    const byUrl = new Map(entries.map((e) => [e.fullUrl, e.resource]));
    const relink = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(relink);
      if (!value || typeof value !== 'object') return value;
      const o = value as Json;
      if (typeof o.reference === 'string' && o.reference.startsWith('urn:uuid:')) {
        const target = byUrl.get(o.reference);
        const { reference: _r, ...rest } = o;
        if (target && SERVED.has(target.resourceType)) return { ...rest, reference: `${target.resourceType}/${target.id}` };
        const identifier = (target?.identifier as Json[] | undefined)?.[0];
        return { ...rest, ...(target ? { type: target.resourceType } : {}), ...(identifier ? { identifier } : {}), ...(rest.display || identifier ? {} : { display: target?.resourceType ?? 'unresolved' }) };
      }
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, relink(v)]));
    };
    for (const e of entries) {
      if (e.resource.resourceType !== type) continue;
      out.push({ fullUrl: `${fhirBase}/${type}/${e.resource.id}`, resource: relink(e.resource) as Json });
    }
  }
  return out;
}

/**
 * Search and read of the clinical resources at `/fhir/R4` (docs/fhir.md). Security: every answer comes
 * from a use case that checks the access policy and writes its audit row (`health_record.exported`,
 * `document.read`, `referral.read`, `consent.read` …), so FHIR opens no other way to a record.
 * @param deps - the records, referrals and consent use cases
 * @returns search and read
 */
export function createFhirClinical(deps: ClinicalDeps) {
  async function search(ctx: RequestCtx, type: ClinicalType, patientId: string, fhirBase: string, serverBase: string): Promise<Entry[]> {
    if ((DOCUMENT_TYPES as readonly string[]).includes(type)) return documentEntriesOf(await deps.records.exportFhir(ctx, patientId, serverBase), type, fhirBase);
    if (type === 'Consent') {
      const { items } = await deps.consent.listPatientConsents(ctx, patientId);
      return items.map((c) => ({ fullUrl: `${fhirBase}/Consent/${c.id}`, resource: consentResourceOf(c) }));
    }
    return (await deps.referrals.fhirResources(ctx, patientId, fhirBase)).filter((e) => e.resource.resourceType === type);
  }

  return {
    /**
     * The patient's resources of one type.
     * @throws {AccessDeniedError} without access to the patient
     */
    search,

    /**
     * One resource by id: its owner (document, referral, prescription, consent) is read first, through its
     * own access check, to learn whose it is; then the patient's resources of the type are searched.
     * @throws {NotFoundError} for an id that is not the type's
     * @throws {AccessDeniedError} without access
     */
    async read(ctx: RequestCtx, type: ClinicalType, id: string, fhirBase: string, serverBase: string): Promise<Json> {
      const ownerId = UUID_PREFIX.exec(id)?.[1];
      if (!ownerId) throw new NotFoundError(type, id);
      if (type === 'Consent') return consentResourceOf(await deps.consent.getConsent(ctx, ownerId));
      const owner =
        type === 'ServiceRequest' ? await deps.referrals.getReferral(ctx, ownerId) : type === 'MedicationRequest' ? await deps.referrals.getPrescription(ctx, ownerId) : await deps.records.getDocument(ctx, ownerId);
      if (!owner.patientId) throw new NotFoundError(type, id);
      const found = (await search(ctx, type, owner.patientId, fhirBase, serverBase)).find((e) => e.resource.id === id);
      if (!found) throw new NotFoundError(type, id);
      return found.resource;
    },
  };
}
export type FhirClinical = ReturnType<typeof createFhirClinical>;
