import { toDate, type Clock, type Temporal } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db, Queryable, Tx } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { EmergencyContract, Facility, Practitioner, Service } from '../../contracts/registry.js';
import * as repo from './registry.repo.js';

export interface RegistryDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  audit: AuditLog;
  defaultTimeZone: string;
  /** What a facility publishes changed, in this transaction (the NHIS registration queues a sync, R-TM-34). */
  onPublicChange?: (q: Queryable, facilityId: string) => Promise<void>;
}

/**
 * What every registry use case shares. Concurrency: `run` opens the use case's transaction, or reuses
 * the caller's (`within(tx)`, demo seeding); `reader` is what reads outside a transaction use. On PGlite
 * nothing may touch `deps.db` while a transaction is open, so a bound service reads and writes only
 * through that transaction.
 */
export interface RegistryCore {
  deps: RegistryDeps;
  run: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  reader: Queryable;
  now: () => Date;
  /** Today's wall date in a zone (Time zone: the facility's or the default, STYLE C11). */
  today: (zone: string) => Temporal.PlainDate;
  facilityOr404: (q: Queryable, id: string) => Promise<repo.FacilityRow>;
  assertSpecialties: (q: Queryable, codes: readonly string[], pointer: string) => Promise<Awaited<ReturnType<typeof repo.findSpecialties>>>;
  publicChange: (q: Queryable, facilityId: string) => Promise<void>;
}

export const invalid = (pointer: string, detail: string) => new AppError('request.invalid', { detail, errors: [{ in: 'body', pointer, detail }] });
export const versionMismatch = () => new AppError('resource.version_mismatch', { detail: 'The record was changed by someone else; reload it' });

/**
 * @param deps - the registry dependencies
 * @param run - opens (or reuses) the use case's transaction
 * @param reader - what reads outside a transaction use
 * @returns the shared core
 */
export function registryCore(deps: RegistryDeps, run: RegistryCore['run'], reader: Queryable): RegistryCore {
  return {
    deps,
    run,
    reader,
    now: () => toDate(deps.clock.now()),
    today: (zone) => deps.clock.now().toZonedDateTimeISO(zone).toPlainDate(),
    publicChange: (q, facilityId) => deps.onPublicChange?.(q, facilityId) ?? Promise.resolve(),
    async facilityOr404(q, id) {
      const row = await repo.findFacility(q, id);
      if (!row) throw new NotFoundError('facility', id);
      return row;
    },
    async assertSpecialties(q, codes, pointer) {
      const unique = [...new Set(codes)];
      const found = await repo.findSpecialties(q, unique);
      if (found.length !== unique.length) throw invalid(pointer, `Unknown specialty code(s): ${unique.filter((c) => !found.some((f) => f.code === c)).join(', ')}`);
      return found;
    },
  };
}

export function toFacility(r: repo.FacilityRow): Facility {
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

export function toService(r: repo.ServiceRow): Service {
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

export type PractitionerLoaded = Awaited<ReturnType<typeof repo.loadPractitioners>>[number];
export function toPractitioner(p: PractitionerLoaded): Practitioner {
  return { id: p.id, uin: p.uin.trim(), givenName: p.givenName, familyName: p.familyName, active: p.active, specialtyCodes: p.specialtyCodes, roles: p.roles, version: p.version };
}

export function toContract(c: Awaited<ReturnType<typeof repo.loadContracts>>[number]): EmergencyContract {
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

