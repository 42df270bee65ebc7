import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable, type Tx } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError, RuleViolation } from '../../platform/errors/app-error.js';
import { validateFacilityNumber, validateUin } from '../../platform/identifiers.js';
import type {
  Centre,
  CentreInput,
  CentreMemberInput,
  CentreUpdate,
  Certificate,
  CertificateInput,
  EmergencyContract,
  EmergencyContractInput,
  Facility,
  FacilityInput,
  FacilityStatusChange,
  FacilityUpdate,
  Practitioner,
  PractitionerInput,
  PractitionerRoleInput,
  PractitionerUpdate,
  ReferenceData,
  Service,
  ServiceInput,
  ServiceUpdate,
} from '../../contracts/registry.js';
import { CentreMemberInputSchema, ServiceInputSchema } from '../../contracts/registry.js';
import { assertCanManageFacility, assertCoordinator, canManageFacility, manageableFacilityIds } from './registry-access.js';
import { centreMissing, certificateState, facilityRefusal, isValidEkatte, serviceRefusal } from './registry-rules.js';
import type { Cl006Entry } from './cl006.js';
import * as repo from './registry.repo.js';

const invalid = (pointer: string, detail: string) => new AppError('request.invalid', { detail, errors: [{ in: 'body', pointer, detail }] });
const versionMismatch = () => new AppError('resource.version_mismatch', { detail: 'The record was changed by someone else; reload it' });

function toFacility(r: repo.FacilityRow): Facility {
  return {
    id: r.id,
    number: r.number,
    name: r.name,
    typeCode: r.typeCode,
    rhifCode: r.rhifCode,
    ekatte: r.ekatte,
    settlement: r.settlement,
    address: r.address,
    phone: r.phone,
    email: r.email,
    website: r.website,
    description: r.description,
    status: r.status,
    timeZone: r.timeZone,
    maxWeeklyHoursPerSpecialist: r.maxWeeklyHoursPerSpecialist,
    version: r.version,
    updatedAt: r.updatedAt.toISOString(),
  };
}

function toService(r: repo.ServiceRow): Service {
  return {
    id: r.id,
    facilityId: r.facilityId,
    specialtyCode: r.specialtyCode,
    kindCode: r.kindCode,
    name: r.name,
    description: r.description,
    mode: r.mode,
    typicalMinutes: r.typicalMinutes,
    priceEurCents: r.priceEurCents,
    nhifPaid: r.nhifPaid,
    status: r.status,
    publishedAt: r.publishedAt ? r.publishedAt.toISOString() : null,
    version: r.version,
  };
}

type PractitionerLoaded = Awaited<ReturnType<typeof repo.loadPractitioners>>[number];
function toPractitioner(p: PractitionerLoaded): Practitioner {
  return { id: p.id, uin: p.uin.trim(), givenName: p.givenName, familyName: p.familyName, active: p.active, specialtyCodes: p.specialtyCodes, roles: p.roles, version: p.version };
}

function toContract(c: Awaited<ReturnType<typeof repo.loadContracts>>[number]): EmergencyContract {
  return {
    id: c.id,
    requesterFacilityId: c.requesterFacilityId,
    providerFacilityId: c.providerFacilityId,
    reference: c.reference,
    specialtyCodes: c.specialtyCodes,
    validFrom: c.validFrom,
    validTo: c.validTo,
    status: c.status,
    version: c.version,
  };
}

/**
 * The register of facilities, specialists, published services, telemedicine centres and emergency
 * contracts (Art. 4, 5, 14(3), 15, 24-26). Every change is audited in its own transaction.
 * @param deps - database, clock, ids and audit
 * @returns the registry service
 */
export function createRegistryService(deps: RegistryDeps) {
  return buildRegistryService(deps, (fn) => withTransaction(deps.db, fn), deps.db);
}

interface RegistryDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  audit: AuditLog;
  defaultTimeZone: string;
}

/**
 * Concurrency: `run` opens the use case's transaction, or reuses the caller's (`within(tx)`, demo
 * seeding); `reader` is what reads outside a transaction use. On PGlite nothing may touch `deps.db`
 * while a transaction is open, so a bound service reads and writes only through that transaction.
 */
function buildRegistryService(deps: RegistryDeps, run: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>, reader: Queryable) {
  const now = () => toDate(deps.clock.now());
  const today = (zone: string) => deps.clock.now().toZonedDateTimeISO(zone).toPlainDate();

  async function facilityOr404(q: Queryable, id: string) {
    const row = await repo.findFacility(q, id);
    if (!row) throw new NotFoundError('facility', id);
    return row;
  }

  async function assertSpecialties(q: Queryable, codes: readonly string[], pointer: string) {
    const unique = [...new Set(codes)];
    const found = await repo.findSpecialties(q, unique);
    if (found.length !== unique.length) throw invalid(pointer, `Unknown specialty code(s): ${unique.filter((c) => !found.some((f) => f.code === c)).join(', ')}`);
    return found;
  }

  async function loadCentre(q: Queryable, id: string): Promise<Centre> {
    const c = await repo.findCentre(q, id);
    if (!c) throw new NotFoundError('centre', id);
    const members = await repo.loadCentreMembers(q, id);
    const missing = centreMissing({
      headName: c.headName,
      headPractitionerId: c.headPractitionerId,
      contractReference: c.contractReference,
      members: members.map((m) => ({ ...m, structures: m.structures.length })),
    });
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      contractReference: c.contractReference,
      contractSignedOn: c.contractSignedOn,
      headName: c.headName,
      headPractitionerId: c.headPractitionerId,
      activatedAt: c.activatedAt ? c.activatedAt.toISOString() : null,
      members: members.map((m) => ({ facilityId: m.facilityId, rightsObligations: m.rightsObligations, structures: m.structures })),
      missing,
      version: c.version,
    };
  }

  /** Regulatory: R-TM-21 holds for an active centre at all times, so edits re-check it. */
  function assertCentreComplete(centre: Centre): void {
    if (centre.status === 'active' && centre.missing.length > 0) {
      throw new RuleViolation('R-TM-21', `The centre contract is incomplete: ${centre.missing.join(', ')}`);
    }
  }

  const service = {
    // ------------------------------------------------------------------ reference data

    /**
     * Facility types, specialties, RHIF regions and service kinds (public data).
     * @returns the reference lists
     */
    async getReferenceData(): Promise<ReferenceData> {
      const r = await repo.listReferenceData(reader);
      return {
        facilityTypes: r.facilityTypes,
        specialties: r.specialties.map((s) => ({ code: s.code, nhifCode: s.nhifCode, nameBg: s.nameBg, nameEn: s.nameEn, dental: s.dental })),
        regions: r.regions,
        serviceKinds: r.serviceKinds.map((k) => ({ code: k.code, nameBg: k.nameBg, nameEn: k.nameEn, allowedForDental: k.allowedForDental, prohibitedRule: k.prohibitedRule })),
      };
    },

    /**
     * Loads the NHIS CL006 specialty nomenclature (from `distansia import specialties`).
     * @param ctx - a system or coordinator context
     * @param entries - parsed CL006 entries
     * @param source - where the file came from, stored per row
     * @returns how many rows were inserted or updated
     */
    async importSpecialties(ctx: RequestCtx, entries: readonly Cl006Entry[], source: string): Promise<number> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        const at = now();
        const n = await repo.upsertSpecialties(
          tx,
          entries.map((e) => ({ code: e.code, nameBg: e.nameBg, nameEn: e.nameEn ?? e.nameBg, nhifCode: e.nhifCode, dental: e.dental, source, updatedAt: at })),
        );
        await deps.audit.record(tx, ctx, { action: 'specialty.imported', data: { count: n, source } });
        return n;
      });
    },

    // ------------------------------------------------------------------ facilities

    /**
     * Registers a facility inside the caller's transaction (demo seeding, `registerFacility`).
     * @param q - the transaction
     * @param ctx - who registers it
     * @param input - facility data
     * @returns the facility id
     * @throws {RuleViolation} R-TM-02 when the facility type may not provide telemedicine
     */
    async createFacility(q: Queryable, ctx: RequestCtx, input: FacilityInput): Promise<string> {
      assertCoordinator(ctx);
      const number = validateFacilityNumber(input.number);
      if (!number.ok) throw invalid('#/number', `Invalid facility number (${number.reason})`);
      const type = await repo.findFacilityType(q, input.typeCode);
      if (!type) throw invalid('#/typeCode', 'Unknown facility type');
      // Regulatory: Art. 4(2) — types of ЗЛЗ Art. 10 items 2, 5, 7 cannot provide telemedicine (R-TM-02).
      if (!type.eligible) throw new RuleViolation('R-TM-02', `Facilities of type "${type.nameEn}" may not provide medical care at a distance`, [{ in: 'body', pointer: '#/typeCode', detail: 'R-TM-02' }]);
      if (!(await repo.findRegion(q, input.rhifCode))) throw invalid('#/rhifCode', 'Unknown RHIF region');
      if (input.ekatte && !isValidEkatte(input.ekatte)) throw invalid('#/ekatte', 'EKATTE check digit does not match');
      const id = deps.ids.uuid();
      const at = now();
      await repo.insertFacility(q, {
        id,
        ...input,
        description: input.description ?? '',
        timeZone: deps.defaultTimeZone,
        createdAt: at,
        updatedAt: at,
      });
      await deps.audit.record(q, ctx, { action: 'facility.created', facilityId: id, subject: { type: 'facility', id } });
      return id;
    },

    /**
     * Registers a facility in its own transaction.
     * @param ctx - a coordinator
     * @param input - facility data
     * @returns the facility
     * @throws {RuleViolation} R-TM-02 for an ineligible type
     */
    async registerFacility(ctx: RequestCtx, input: FacilityInput): Promise<Facility> {
      return run(async (tx) => {
        const id = await service.createFacility(tx, ctx, input);
        return toFacility(await facilityOr404(tx, id));
      });
    },

    /**
     * The facilities the actor administers (all for coordinators).
     * @param ctx - an administrator or coordinator
     * @returns the facilities
     */
    async listManagedFacilities(ctx: RequestCtx): Promise<{ items: Facility[] }> {
      const ids = manageableFacilityIds(ctx);
      return { items: (await repo.listFacilities(reader, ids)).map(toFacility) };
    },

    /**
     * @param ctx - an administrator of the facility
     * @param id - facility id
     * @returns the facility
     */
    async getFacility(ctx: RequestCtx, id: string): Promise<Facility> {
      assertCanManageFacility(ctx, id);
      return toFacility(await facilityOr404(reader, id));
    },

    /**
     * Changes a facility's data (optimistic lock on `version`).
     * @param ctx - an administrator of the facility
     * @param id - facility id
     * @param input - the changed fields and the version the editor saw
     * @returns the facility
     * @throws {AppError} `resource.version_mismatch` when someone else changed it first
     */
    async updateFacility(ctx: RequestCtx, id: string, input: FacilityUpdate): Promise<Facility> {
      assertCanManageFacility(ctx, id);
      return run(async (tx) => {
        const before = await facilityOr404(tx, id);
        const { version, ...fields } = input;
        if (fields.typeCode !== undefined) {
          const type = await repo.findFacilityType(tx, fields.typeCode);
          if (!type) throw invalid('#/typeCode', 'Unknown facility type');
          if (!type.eligible) throw new RuleViolation('R-TM-02', `Facilities of type "${type.nameEn}" may not provide medical care at a distance`, [{ in: 'body', pointer: '#/typeCode', detail: 'R-TM-02' }]);
        }
        if (fields.rhifCode !== undefined && !(await repo.findRegion(tx, fields.rhifCode))) throw invalid('#/rhifCode', 'Unknown RHIF region');
        if (fields.ekatte && !isValidEkatte(fields.ekatte)) throw invalid('#/ekatte', 'EKATTE check digit does not match');
        const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        const row = await repo.updateFacility(tx, id, version, { ...set, updatedAt: now() });
        if (!row) throw versionMismatch();
        const changed = Object.keys(set).filter((k) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify((row as Record<string, unknown>)[k]));
        await deps.audit.record(tx, ctx, { action: 'facility.updated', facilityId: id, subject: { type: 'facility', id }, data: { fields: changed } });
        return toFacility(row);
      });
    },

    /**
     * Suspends or reactivates a facility. Suspension hides it from the directory.
     * @param ctx - a coordinator, or an administrator of the facility
     * @param id - facility id
     * @param input - new status and the version seen
     * @returns the facility
     */
    async setFacilityStatus(ctx: RequestCtx, id: string, input: FacilityStatusChange): Promise<Facility> {
      assertCanManageFacility(ctx, id);
      return run(async (tx) => {
        const before = await facilityOr404(tx, id);
        const row = await repo.updateFacility(tx, id, input.version, { status: input.status, updatedAt: now() });
        if (!row) throw versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'facility.status_changed', facilityId: id, subject: { type: 'facility', id }, data: { from: before.status, to: row.status } });
        return toFacility(row);
      });
    },

    // ------------------------------------------------------------------ certificates (Art. 25-26)

    /**
     * The certificates and technical documentation of a facility, with their state today.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns the certificates; expired ones are flagged `expired`
     */
    async listCertificates(ctx: RequestCtx, facilityId: string): Promise<{ items: Certificate[] }> {
      assertCanManageFacility(ctx, facilityId);
      const f = await facilityOr404(reader, facilityId);
      const day = today(f.timeZone);
      const rows = await repo.listCertificates(reader, facilityId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          facilityId: r.facilityId,
          kind: r.kind,
          title: r.title,
          issuer: r.issuer,
          reference: r.reference,
          issuedOn: r.issuedOn,
          expiresOn: r.expiresOn,
          state: certificateState({ expiresOn: r.expiresOn, withdrawn: r.withdrawnAt !== null }, day),
          recordedAt: r.recordedAt.toISOString(),
        })),
      };
    },

    /**
     * Records a certificate or technical document (Art. 25-26).
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param input - the document
     * @returns the certificate with its state
     */
    async recordCertificate(ctx: RequestCtx, facilityId: string, input: CertificateInput): Promise<Certificate> {
      assertCanManageFacility(ctx, facilityId);
      if (input.expiresOn && input.expiresOn < input.issuedOn) throw invalid('#/expiresOn', 'expiresOn is before issuedOn');
      return run(async (tx) => {
        const f = await facilityOr404(tx, facilityId);
        const actorId = ctx.actor.type === 'anonymous' ? 'anonymous' : ctx.actor.id;
        const r = await repo.insertCertificate(tx, { id: deps.ids.uuid(), facilityId, ...input, expiresOn: input.expiresOn ?? null, recordedBy: actorId, recordedAt: now() });
        await deps.audit.record(tx, ctx, { action: 'facility.certificate_recorded', facilityId, subject: { type: 'facility_certificate', id: r.id }, data: { kind: r.kind, expiresOn: r.expiresOn } });
        return {
          id: r.id,
          facilityId,
          kind: r.kind,
          title: r.title,
          issuer: r.issuer,
          reference: r.reference,
          issuedOn: r.issuedOn,
          expiresOn: r.expiresOn,
          state: certificateState({ expiresOn: r.expiresOn, withdrawn: false }, today(f.timeZone)),
          recordedAt: r.recordedAt.toISOString(),
        };
      });
    },

    /**
     * Marks a certificate withdrawn (it stays on record).
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - certificate id
     */
    async withdrawCertificate(ctx: RequestCtx, facilityId: string, id: string): Promise<void> {
      assertCanManageFacility(ctx, facilityId);
      await run(async (tx) => {
        const row = await repo.withdrawCertificate(tx, facilityId, id, now());
        if (!row) throw new NotFoundError('facility_certificate', id);
        await deps.audit.record(tx, ctx, { action: 'facility.certificate_withdrawn', facilityId, subject: { type: 'facility_certificate', id } });
      });
    },

    // ------------------------------------------------------------------ specialists

    /**
     * Registers a specialist with specialties and the facilities they work for, in the caller's transaction.
     * @param q - the transaction
     * @param ctx - a coordinator or an administrator of every listed facility
     * @param input - practitioner data
     * @returns the practitioner id
     */
    async createPractitioner(q: Queryable, ctx: RequestCtx, input: PractitionerInput): Promise<string> {
      assertCanManageFacility(ctx, ...input.facilityIds);
      const uin = validateUin(input.uin);
      if (!uin.ok) throw invalid('#/uin', `Invalid UIN (${uin.reason})`);
      await assertSpecialties(q, input.specialtyCodes, '#/specialtyCodes');
      if (await repo.findPractitionerByUin(q, input.uin)) throw new AppError('resource.conflict', { detail: 'A specialist with this UIN is already registered', errors: [{ in: 'body', pointer: '#/uin', detail: 'taken' }] });
      const id = deps.ids.uuid();
      const at = now();
      await repo.insertPractitioner(
        q,
        { id, uin: input.uin, givenName: input.givenName, familyName: input.familyName, createdAt: at, updatedAt: at },
        [...new Set(input.specialtyCodes)],
        [...new Set(input.facilityIds)].map((facilityId) => ({ id: deps.ids.uuid(), practitionerId: id, facilityId, createdAt: at })),
      );
      await deps.audit.record(q, ctx, { action: 'practitioner.created', subject: { type: 'practitioner', id }, data: { facilityIds: input.facilityIds, specialtyCodes: input.specialtyCodes } });
      return id;
    },

    /**
     * Registers a specialist in its own transaction.
     * @param ctx - a coordinator or an administrator of every listed facility
     * @param input - practitioner data
     * @returns the practitioner
     */
    async registerPractitioner(ctx: RequestCtx, input: PractitionerInput): Promise<Practitioner> {
      return run(async (tx) => {
        const id = await service.createPractitioner(tx, ctx, input);
        const [p] = await repo.loadPractitioners(tx, { ids: [id] });
        return toPractitioner(p as PractitionerLoaded);
      });
    },

    /**
     * The specialists working for a facility.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns the specialists with their roles
     */
    async listPractitioners(ctx: RequestCtx, facilityId: string): Promise<{ items: Practitioner[] }> {
      assertCanManageFacility(ctx, facilityId);
      return { items: (await repo.loadPractitioners(reader, { facilityId })).map(toPractitioner) };
    },

    /**
     * Changes a specialist's names, specialties or active flag.
     * @param ctx - a coordinator or an administrator of a facility the specialist works for
     * @param id - practitioner id
     * @param input - fields and the version seen
     * @returns the practitioner
     */
    async updatePractitioner(ctx: RequestCtx, id: string, input: PractitionerUpdate): Promise<Practitioner> {
      return run(async (tx) => {
        const [p] = await repo.loadPractitioners(tx, { ids: [id] });
        if (!p) throw new NotFoundError('practitioner', id);
        // Security: an administrator of any facility the specialist works for may edit the person.
        if (!p.roles.some((r) => canManageFacility(ctx, r.facilityId))) assertCanManageFacility(ctx, p.roles[0]?.facilityId ?? id);
        const { version, specialtyCodes, ...fields } = input;
        const row = await repo.updatePractitioner(tx, id, version, { ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), updatedAt: now() });
        if (!row) throw versionMismatch();
        if (specialtyCodes) {
          await assertSpecialties(tx, specialtyCodes, '#/specialtyCodes');
          await repo.replacePractitionerSpecialties(tx, id, [...new Set(specialtyCodes)]);
        }
        await deps.audit.record(tx, ctx, { action: 'practitioner.updated', subject: { type: 'practitioner', id }, data: { fields: [...Object.keys(fields), ...(specialtyCodes ? ['specialtyCodes'] : [])] } });
        const [after] = await repo.loadPractitioners(tx, { ids: [id] });
        return toPractitioner(after as PractitionerLoaded);
      });
    },

    /**
     * Adds an already registered specialist (found by UIN) to a facility, or changes their role there:
     * whether they work for it and whether they are listed as a telemedicine provider (Art. 15 item 3).
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param practitionerId - practitioner id
     * @param input - active and listed flags
     * @returns the practitioner
     */
    async setPractitionerRole(ctx: RequestCtx, facilityId: string, practitionerId: string, input: PractitionerRoleInput): Promise<Practitioner> {
      assertCanManageFacility(ctx, facilityId);
      return run(async (tx) => {
        await facilityOr404(tx, facilityId);
        const [p] = await repo.loadPractitioners(tx, { ids: [practitionerId] });
        if (!p) throw new NotFoundError('practitioner', practitionerId);
        await repo.upsertPractitionerRole(tx, { id: deps.ids.uuid(), practitionerId, facilityId, active: input.active, listed: input.listed, createdAt: now() });
        await deps.audit.record(tx, ctx, { action: 'practitioner.role_changed', facilityId, subject: { type: 'practitioner', id: practitionerId }, data: input });
        const [after] = await repo.loadPractitioners(tx, { ids: [practitionerId] });
        return toPractitioner(after as PractitionerLoaded);
      });
    },

    /**
     * Finds a registered specialist by UIN, to add them to another facility.
     * @param ctx - an administrator
     * @param uin - the UIN
     * @returns the practitioner
     */
    async findPractitionerByUin(ctx: RequestCtx, uin: string): Promise<Practitioner> {
      manageableFacilityIds(ctx);
      const row = await repo.findPractitionerByUin(reader, uin);
      if (!row) throw new NotFoundError('practitioner', uin);
      const [p] = await repo.loadPractitioners(reader, { ids: [row.id] });
      return toPractitioner(p as PractitionerLoaded);
    },

    // ------------------------------------------------------------------ services (Art. 7, 15)

    /**
     * Creates a service in draft. Art. 7 exclusions are checked now and again at publication.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param input - the service
     * @returns the draft service
     * @throws {RuleViolation} R-TM-13, R-TM-16 or R-TM-17 for an excluded kind
     */
    async createService(ctx: RequestCtx, facilityId: string, input: ServiceInput): Promise<Service> {
      assertCanManageFacility(ctx, facilityId);
      const s = ServiceInputSchema.parse(input);
      return run(async (tx) => {
        await facilityOr404(tx, facilityId);
        const kind = await repo.findServiceKind(tx, s.kindCode);
        if (!kind) throw invalid('#/kindCode', 'Unknown service kind');
        const [specialty] = await assertSpecialties(tx, [s.specialtyCode], '#/specialtyCode');
        const refusal = serviceRefusal(kind, specialty as { code: string; dental: boolean });
        if (refusal) throw new RuleViolation(refusal.rule, refusal.detail, [{ in: 'body', pointer: refusal.pointer, detail: refusal.rule }]);
        const at = now();
        const row = await repo.insertService(tx, {
          id: deps.ids.uuid(),
          facilityId,
          specialtyCode: s.specialtyCode,
          kindCode: s.kindCode,
          name: s.name,
          description: s.description,
          mode: s.mode,
          typicalMinutes: s.typicalMinutes,
          priceEurCents: s.nhifPaid ? null : (s.priceEurCents ?? null),
          nhifPaid: s.nhifPaid,
          createdAt: at,
          updatedAt: at,
        });
        await deps.audit.record(tx, ctx, { action: 'service.created', facilityId, subject: { type: 'facility_service', id: row.id }, data: { specialtyCode: row.specialtyCode, kindCode: row.kindCode, mode: row.mode } });
        return toService(row);
      });
    },

    /**
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns every service of the facility, any status
     */
    async listServices(ctx: RequestCtx, facilityId: string): Promise<{ items: Service[] }> {
      assertCanManageFacility(ctx, facilityId);
      return { items: (await repo.listServices(reader, facilityId)).map(toService) };
    },

    /**
     * Changes a service's description, duration or price.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - service id
     * @param input - fields and the version seen
     * @returns the service
     */
    async updateService(ctx: RequestCtx, facilityId: string, id: string, input: ServiceUpdate): Promise<Service> {
      assertCanManageFacility(ctx, facilityId);
      return run(async (tx) => {
        const before = await repo.findService(tx, id);
        if (!before || before.facilityId !== facilityId) throw new NotFoundError('facility_service', id);
        const { version, ...fields } = input;
        const nhifPaid = fields.nhifPaid ?? before.nhifPaid;
        const price = fields.priceEurCents !== undefined ? fields.priceEurCents : before.priceEurCents;
        if (nhifPaid === (price !== null)) throw invalid('#/priceEurCents', 'Give a price in EUR, or mark the service NHIF-paid (not both)');
        const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        const row = await repo.updateService(tx, id, version, { ...set, updatedAt: now() });
        if (!row) throw versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'service.updated', facilityId, subject: { type: 'facility_service', id }, data: { fields: Object.keys(set) } });
        return toService(row);
      });
    },

    /**
     * Publishes a service (Art. 15): the facility must be eligible and active (R-TM-01/02) and the
     * service admissible under Art. 7 (R-TM-13/16/17).
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - service id
     * @param version - the version seen
     * @returns the published service
     * @throws {RuleViolation} with the rule id when publication is refused
     */
    async publishService(ctx: RequestCtx, facilityId: string, id: string, version: number): Promise<Service> {
      assertCanManageFacility(ctx, facilityId);
      return run(async (tx) => {
        const f = await repo.findFacilityWithType(tx, facilityId);
        if (!f) throw new NotFoundError('facility', facilityId);
        const fRefusal = facilityRefusal({ status: f.facility.status, typeEligible: f.typeEligible });
        if (fRefusal) throw new RuleViolation(fRefusal.rule, fRefusal.detail);
        const before = await repo.findService(tx, id);
        if (!before || before.facilityId !== facilityId) throw new NotFoundError('facility_service', id);
        const kind = await repo.findServiceKind(tx, before.kindCode);
        const [specialty] = await repo.findSpecialties(tx, [before.specialtyCode]);
        if (!kind || !specialty) throw new NotFoundError('service_kind', before.kindCode);
        const refusal = serviceRefusal(kind, specialty);
        if (refusal) throw new RuleViolation(refusal.rule, refusal.detail, [{ in: 'body', pointer: refusal.pointer, detail: refusal.rule }]);
        const row = await repo.updateService(tx, id, version, { status: 'published', publishedAt: now(), updatedAt: now() }, ['draft', 'withdrawn']);
        if (!row) throw before.status === 'published' ? new AppError('state.bad_transition', { detail: 'Already published' }) : versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'service.published', facilityId, subject: { type: 'facility_service', id } });
        return toService(row);
      });
    },

    /**
     * Withdraws a published service from the directory.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - service id
     * @param version - the version seen
     * @returns the withdrawn service
     */
    async withdrawService(ctx: RequestCtx, facilityId: string, id: string, version: number): Promise<Service> {
      assertCanManageFacility(ctx, facilityId);
      return run(async (tx) => {
        const before = await repo.findService(tx, id);
        if (!before || before.facilityId !== facilityId) throw new NotFoundError('facility_service', id);
        const row = await repo.updateService(tx, id, version, { status: 'withdrawn', updatedAt: now() }, ['published', 'draft']);
        if (!row) throw before.status === 'withdrawn' ? new AppError('state.bad_transition', { detail: 'Already withdrawn' }) : versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'service.withdrawn', facilityId, subject: { type: 'facility_service', id } });
        return toService(row);
      });
    },

    // ------------------------------------------------------------------ centres (Art. 5)

    /**
     * @param ctx - a coordinator or facility administrator
     * @returns centres the actor may see (a facility administrator: those of their facilities)
     */
    async listCentres(ctx: RequestCtx): Promise<{ items: Centre[] }> {
      const ids = await repo.listCentreIds(reader, manageableFacilityIds(ctx));
      const items: Centre[] = [];
      for (const id of ids) items.push(await loadCentre(reader, id));
      return { items };
    },

    /**
     * @param ctx - a coordinator, or an administrator of a member
     * @param id - centre id
     * @returns the centre with what it still lacks
     */
    async getCentre(ctx: RequestCtx, id: string): Promise<Centre> {
      const centre = await loadCentre(reader, id);
      const ids = manageableFacilityIds(ctx);
      if (ids && !centre.members.some((m) => ids.includes(m.facilityId))) throw new NotFoundError('centre', id);
      return centre;
    },

    /**
     * Creates a centre in draft.
     * @param ctx - a coordinator
     * @param input - name, contract reference, functional head
     * @returns the centre
     */
    async createCentre(ctx: RequestCtx, input: CentreInput): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        const id = deps.ids.uuid();
        const at = now();
        await repo.insertCentre(tx, { id, name: input.name, contractReference: input.contractReference ?? null, contractSignedOn: input.contractSignedOn ?? null, headName: input.headName ?? null, headPractitionerId: input.headPractitionerId ?? null, createdAt: at, updatedAt: at });
        await deps.audit.record(tx, ctx, { action: 'centre.created', subject: { type: 'telemedicine_centre', id } });
        return loadCentre(tx, id);
      });
    },

    /**
     * Changes a centre's contract data; an active centre must stay complete (R-TM-21).
     * @param ctx - a coordinator
     * @param id - centre id
     * @param input - fields and the version seen
     * @returns the centre
     */
    async updateCentre(ctx: RequestCtx, id: string, input: CentreUpdate): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        const { version, ...fields } = input;
        const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        const row = await repo.updateCentre(tx, id, version, { ...set, updatedAt: now() });
        if (!row) throw (await repo.findCentre(tx, id)) ? versionMismatch() : new NotFoundError('centre', id);
        const centre = await loadCentre(tx, id);
        assertCentreComplete(centre);
        await deps.audit.record(tx, ctx, { action: 'centre.updated', subject: { type: 'telemedicine_centre', id }, data: { fields: Object.keys(set) } });
        return centre;
      });
    },

    /**
     * Adds a facility to a centre, or replaces its rights and obligations and contributed structures.
     * @param ctx - a coordinator
     * @param id - centre id
     * @param input - facility, rights and obligations, structures and specialties
     * @returns the centre
     */
    async setCentreMember(ctx: RequestCtx, id: string, input: CentreMemberInput): Promise<Centre> {
      assertCoordinator(ctx);
      const m = CentreMemberInputSchema.parse(input);
      return run(async (tx) => {
        const f = await repo.findFacilityWithType(tx, m.facilityId);
        if (!f) throw new NotFoundError('facility', m.facilityId);
        // Regulatory: W2 step 4 — every member must itself be a facility that may provide telemedicine.
        if (!f.typeEligible) throw new RuleViolation('R-TM-02', 'This facility type may not provide medical care at a distance');
        await assertSpecialties(tx, m.structures.map((s) => s.specialtyCode), '#/structures');
        if (!(await repo.touchCentre(tx, id, now()))) throw new NotFoundError('centre', id);
        await repo.upsertCentreMember(tx, { centreId: id, facilityId: m.facilityId, rightsObligations: m.rightsObligations, joinedAt: now() }, m.structures.map((s) => ({ id: deps.ids.uuid(), ...s })));
        const centre = await loadCentre(tx, id);
        assertCentreComplete(centre);
        await deps.audit.record(tx, ctx, { action: 'centre.member_set', facilityId: m.facilityId, subject: { type: 'telemedicine_centre', id }, data: { structures: m.structures.length } });
        return centre;
      });
    },

    /**
     * Removes a facility from a centre; an active centre must keep two complete members (R-TM-21).
     * @param ctx - a coordinator
     * @param id - centre id
     * @param facilityId - the member to remove
     * @returns the centre
     */
    async removeCentreMember(ctx: RequestCtx, id: string, facilityId: string): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        if (!(await repo.touchCentre(tx, id, now()))) throw new NotFoundError('centre', id);
        if (!(await repo.deleteCentreMember(tx, id, facilityId))) throw new NotFoundError('centre_member', facilityId);
        const centre = await loadCentre(tx, id);
        assertCentreComplete(centre);
        await deps.audit.record(tx, ctx, { action: 'centre.member_removed', facilityId, subject: { type: 'telemedicine_centre', id } });
        return centre;
      });
    },

    /**
     * Activates a centre once its contract is complete (Art. 5(4), R-TM-21).
     * @param ctx - a coordinator
     * @param id - centre id
     * @param version - the version seen
     * @returns the active centre
     * @throws {RuleViolation} R-TM-21 listing what is missing
     */
    async activateCentre(ctx: RequestCtx, id: string, version: number): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        const current = await loadCentre(tx, id);
        if (current.missing.length > 0) {
          throw new AppError('rule.violated', { detail: `The centre contract is incomplete: ${current.missing.join(', ')}`, meta: { rule: 'R-TM-21', missing: current.missing } });
        }
        // Concurrency: the version check makes a member change committed meanwhile fail this activation.
        const row = await repo.updateCentre(tx, id, version, { status: 'active', activatedAt: now(), updatedAt: now() }, ['draft', 'suspended']);
        if (!row) throw current.status === 'active' ? new AppError('state.bad_transition', { detail: 'Already active' }) : versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'centre.activated', subject: { type: 'telemedicine_centre', id } });
        return loadCentre(tx, id);
      });
    },

    /**
     * Suspends an active centre.
     * @param ctx - a coordinator
     * @param id - centre id
     * @param version - the version seen
     * @returns the centre
     */
    async suspendCentre(ctx: RequestCtx, id: string, version: number): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        const row = await repo.updateCentre(tx, id, version, { status: 'suspended', updatedAt: now() }, ['active']);
        if (!row) throw (await repo.findCentre(tx, id)) ? new AppError('state.bad_transition', { detail: 'Only an active centre can be suspended' }) : new NotFoundError('centre', id);
        await deps.audit.record(tx, ctx, { action: 'centre.suspended', subject: { type: 'telemedicine_centre', id } });
        return loadCentre(tx, id);
      });
    },

    // ------------------------------------------------------------------ emergency contracts (Art. 14(3))

    /**
     * Records an emergency-consultation contract: who consults whom, for which specialties, when.
     * @param ctx - a coordinator or an administrator of either party
     * @param input - parties, specialties, validity
     * @returns the contract
     */
    async createEmergencyContract(ctx: RequestCtx, input: EmergencyContractInput): Promise<EmergencyContract> {
      if (!canManageFacility(ctx, input.requesterFacilityId)) assertCanManageFacility(ctx, input.providerFacilityId);
      return run(async (tx) => {
        for (const fid of [input.requesterFacilityId, input.providerFacilityId]) {
          const f = await repo.findFacilityWithType(tx, fid);
          if (!f) throw new NotFoundError('facility', fid);
          if (!f.typeEligible) throw new RuleViolation('R-TM-02', 'This facility type may not provide medical care at a distance');
        }
        await assertSpecialties(tx, input.specialtyCodes, '#/specialtyCodes');
        const id = deps.ids.uuid();
        const at = now();
        await repo.insertContract(tx, { id, requesterFacilityId: input.requesterFacilityId, providerFacilityId: input.providerFacilityId, reference: input.reference, validFrom: input.validFrom, validTo: input.validTo ?? null, createdAt: at, updatedAt: at }, [...new Set(input.specialtyCodes)]);
        await deps.audit.record(tx, ctx, { action: 'emergency_contract.created', facilityId: input.requesterFacilityId, subject: { type: 'emergency_contract', id }, data: { providerFacilityId: input.providerFacilityId, specialtyCodes: input.specialtyCodes } });
        const [c] = await repo.loadContracts(tx, { id });
        return toContract(c as Awaited<ReturnType<typeof repo.loadContracts>>[number]);
      });
    },

    /**
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns contracts where the facility is a party
     */
    async listEmergencyContracts(ctx: RequestCtx, facilityId: string): Promise<{ items: EmergencyContract[] }> {
      assertCanManageFacility(ctx, facilityId);
      return { items: (await repo.loadContracts(reader, { facilityId })).map(toContract) };
    },

    /**
     * Ends a contract today.
     * @param ctx - a coordinator or an administrator of either party
     * @param id - contract id
     * @param version - the version seen
     * @returns the terminated contract
     */
    async terminateEmergencyContract(ctx: RequestCtx, id: string, version: number): Promise<EmergencyContract> {
      return run(async (tx) => {
        const [c] = await repo.loadContracts(tx, { id });
        if (!c) throw new NotFoundError('emergency_contract', id);
        if (!canManageFacility(ctx, c.requesterFacilityId)) assertCanManageFacility(ctx, c.providerFacilityId);
        const day = today(deps.defaultTimeZone).toString();
        const row = await repo.terminateContract(tx, id, version, now(), c.validFrom > day ? c.validFrom : day);
        if (!row) throw c.status === 'terminated' ? new AppError('state.bad_transition', { detail: 'Already terminated' }) : versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'emergency_contract.terminated', facilityId: c.requesterFacilityId, subject: { type: 'emergency_contract', id } });
        const [after] = await repo.loadContracts(tx, { id });
        return toContract(after as Awaited<ReturnType<typeof repo.loadContracts>>[number]);
      });
    },

    /**
     * For routing emergency consultations: is there an active contract letting the
     * requesting facility consult the provider in this specialty at this instant? (Art. 14(3), R-TM-06)
     * @param q - the caller's transaction or the database
     * @param requesterFacilityId - the facility asking
     * @param providerFacilityId - the facility consulted
     * @param specialtyCode - CL006 code
     * @returns the contract id, or undefined
     */
    async findActiveEmergencyContract(q: Queryable, requesterFacilityId: string, providerFacilityId: string, specialtyCode: string): Promise<string | undefined> {
      const day = today(deps.defaultTimeZone).toString();
      return (await repo.findActiveContract(q, requesterFacilityId, providerFacilityId, specialtyCode, day))?.id;
    },

    countFacilities: repo.countFacilities,

    /**
     * The same use cases inside the caller's transaction (demo seeding, tests).
     * @param tx - the open transaction
     * @returns a service bound to `tx`
     */
    within(tx: Tx) {
      return buildRegistryService(deps, (fn) => fn(tx), tx);
    },
  };
  return service;
}
export type RegistryService = ReturnType<typeof createRegistryService>;
