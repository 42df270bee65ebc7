import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import {
  centreMemberTable,
  centreStructureTable,
  centreTable,
  emergencyContractSpecialtyTable,
  emergencyContractTable,
  facilityCertificateTable,
  facilityServiceTable,
  facilityTable,
  facilityTypeTable,
  practitionerRoleTable,
  practitionerSpecialtyTable,
  practitionerTable,
  rhifRegionTable,
  serviceKindTable,
  specialtyTable,
} from './registry.tables.js';

export type FacilityRow = typeof facilityTable.$inferSelect;
export type ServiceRow = typeof facilityServiceTable.$inferSelect;
export type CentreRow = typeof centreTable.$inferSelect;
export type ContractRow = typeof emergencyContractTable.$inferSelect;
export type CertificateRow = typeof facilityCertificateTable.$inferSelect;

// ---- reference data ----

export async function findFacilityType(q: Queryable, code: string) {
  const [row] = await q.select().from(facilityTypeTable).where(eq(facilityTypeTable.code, code)).limit(1);
  return row;
}

export async function findSpecialties(q: Queryable, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return q.select().from(specialtyTable).where(inArray(specialtyTable.code, [...codes]));
}

export async function findServiceKind(q: Queryable, code: string) {
  const [row] = await q.select().from(serviceKindTable).where(eq(serviceKindTable.code, code)).limit(1);
  return row;
}

export async function findRegion(q: Queryable, code: string) {
  const [row] = await q.select().from(rhifRegionTable).where(eq(rhifRegionTable.code, code)).limit(1);
  return row;
}

export async function listReferenceData(q: Queryable) {
  const [facilityTypes, specialties, regions, serviceKinds] = [
    await q.select().from(facilityTypeTable).orderBy(asc(facilityTypeTable.code)),
    await q.select().from(specialtyTable).where(eq(specialtyTable.active, true)).orderBy(asc(specialtyTable.code)),
    await q.select().from(rhifRegionTable).orderBy(asc(rhifRegionTable.code)),
    await q.select().from(serviceKindTable).orderBy(asc(serviceKindTable.sortOrder)),
  ];
  return { facilityTypes, specialties, regions, serviceKinds };
}

/** Upserts CL006 entries; returns how many rows were inserted or changed. */
export async function upsertSpecialties(
  q: Queryable,
  rows: { code: string; nameBg: string; nameEn: string; nhifCode: string | null; dental: boolean; source: string; updatedAt: Date }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await q
    .insert(specialtyTable)
    .values(rows.map((r) => ({ ...r, active: true })))
    .onConflictDoUpdate({
      target: specialtyTable.code,
      set: {
        nameBg: sql`excluded.name_bg`,
        nameEn: sql`excluded.name_en`,
        nhifCode: sql`coalesce(excluded.nhif_code, ${specialtyTable.nhifCode})`,
        dental: sql`excluded.dental OR ${specialtyTable.dental}`,
        source: sql`excluded.source`,
        active: sql`true`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .returning({ code: specialtyTable.code });
  return result.length;
}

// ---- facilities ----

export async function insertFacility(q: Queryable, row: typeof facilityTable.$inferInsert): Promise<void> {
  await q.insert(facilityTable).values(row);
}

export async function findFacility(q: Queryable, id: string): Promise<FacilityRow | undefined> {
  const [row] = await q.select().from(facilityTable).where(eq(facilityTable.id, id)).limit(1);
  return row;
}

export async function findFacilityWithType(q: Queryable, id: string) {
  const [row] = await q
    .select({ facility: facilityTable, typeEligible: facilityTypeTable.eligible })
    .from(facilityTable)
    .innerJoin(facilityTypeTable, eq(facilityTypeTable.code, facilityTable.typeCode))
    .where(eq(facilityTable.id, id))
    .limit(1);
  return row;
}

export async function listFacilities(q: Queryable, ids?: readonly string[]): Promise<FacilityRow[]> {
  const base = q.select().from(facilityTable);
  const filtered = ids ? base.where(inArray(facilityTable.id, ids.length ? [...ids] : ['00000000-0000-0000-0000-000000000000'])) : base;
  return filtered.orderBy(asc(facilityTable.name));
}

/** Compare-and-swap update (STYLE C9): undefined when the version moved on or the row is missing. */
export async function updateFacility(q: Queryable, id: string, version: number, set: Partial<typeof facilityTable.$inferInsert>): Promise<FacilityRow | undefined> {
  const [row] = await q
    .update(facilityTable)
    .set({ ...set, version: sql`${facilityTable.version} + 1` })
    .where(and(eq(facilityTable.id, id), eq(facilityTable.version, version)))
    .returning();
  return row;
}

export async function countFacilities(q: Queryable): Promise<number> {
  return q.$count(facilityTable);
}

// ---- certificates ----

export async function insertCertificate(q: Queryable, row: typeof facilityCertificateTable.$inferInsert): Promise<CertificateRow> {
  const [out] = await q.insert(facilityCertificateTable).values(row).returning();
  return out as CertificateRow;
}

export async function listCertificates(q: Queryable, facilityId: string): Promise<CertificateRow[]> {
  return q.select().from(facilityCertificateTable).where(eq(facilityCertificateTable.facilityId, facilityId)).orderBy(asc(facilityCertificateTable.expiresOn));
}

export async function withdrawCertificate(q: Queryable, facilityId: string, id: string, at: Date): Promise<CertificateRow | undefined> {
  const [row] = await q
    .update(facilityCertificateTable)
    .set({ withdrawnAt: at })
    .where(and(eq(facilityCertificateTable.id, id), eq(facilityCertificateTable.facilityId, facilityId), sql`${facilityCertificateTable.withdrawnAt} IS NULL`))
    .returning();
  return row;
}

// ---- practitioners ----

export async function insertPractitioner(
  q: Queryable,
  row: typeof practitionerTable.$inferInsert,
  specialtyCodes: string[],
  roles: (typeof practitionerRoleTable.$inferInsert)[],
): Promise<void> {
  await q.insert(practitionerTable).values(row);
  await q.insert(practitionerSpecialtyTable).values(specialtyCodes.map((specialtyCode) => ({ practitionerId: row.id, specialtyCode })));
  if (roles.length) await q.insert(practitionerRoleTable).values(roles);
}

export async function findPractitionerByUin(q: Queryable, uin: string) {
  const [row] = await q.select().from(practitionerTable).where(eq(practitionerTable.uin, uin)).limit(1);
  return row;
}

export async function loadPractitioners(q: Queryable, where: { facilityId?: string; ids?: readonly string[] }) {
  let ids: string[];
  if (where.ids) ids = [...where.ids];
  else if (where.facilityId) {
    const roles = await q.select({ id: practitionerRoleTable.practitionerId }).from(practitionerRoleTable).where(eq(practitionerRoleTable.facilityId, where.facilityId));
    ids = roles.map((r) => r.id);
  } else ids = [];
  if (ids.length === 0) return [];
  const people = await q.select().from(practitionerTable).where(inArray(practitionerTable.id, ids)).orderBy(asc(practitionerTable.familyName), asc(practitionerTable.givenName));
  const specialties = await q.select().from(practitionerSpecialtyTable).where(inArray(practitionerSpecialtyTable.practitionerId, ids));
  const roles = await q.select().from(practitionerRoleTable).where(inArray(practitionerRoleTable.practitionerId, ids));
  return people.map((p) => ({
    ...p,
    specialtyCodes: specialties.filter((s) => s.practitionerId === p.id).map((s) => s.specialtyCode).sort(),
    roles: roles.filter((r) => r.practitionerId === p.id).map((r) => ({ facilityId: r.facilityId, active: r.active, listed: r.listed })),
  }));
}

export async function updatePractitioner(q: Queryable, id: string, version: number, set: Partial<typeof practitionerTable.$inferInsert>) {
  const [row] = await q
    .update(practitionerTable)
    .set({ ...set, version: sql`${practitionerTable.version} + 1` })
    .where(and(eq(practitionerTable.id, id), eq(practitionerTable.version, version)))
    .returning();
  return row;
}

export async function replacePractitionerSpecialties(q: Queryable, practitionerId: string, codes: readonly string[]): Promise<void> {
  await q.delete(practitionerSpecialtyTable).where(eq(practitionerSpecialtyTable.practitionerId, practitionerId));
  await q.insert(practitionerSpecialtyTable).values(codes.map((specialtyCode) => ({ practitionerId, specialtyCode })));
}

export async function upsertPractitionerRole(q: Queryable, row: typeof practitionerRoleTable.$inferInsert): Promise<void> {
  await q
    .insert(practitionerRoleTable)
    .values(row)
    .onConflictDoUpdate({ target: [practitionerRoleTable.practitionerId, practitionerRoleTable.facilityId], set: { active: row.active ?? true, listed: row.listed ?? true } });
}

export async function findPractitionerRole(q: Queryable, practitionerId: string, facilityId: string) {
  const [row] = await q
    .select()
    .from(practitionerRoleTable)
    .where(and(eq(practitionerRoleTable.practitionerId, practitionerId), eq(practitionerRoleTable.facilityId, facilityId)))
    .limit(1);
  return row;
}

// ---- services ----

export async function insertService(q: Queryable, row: typeof facilityServiceTable.$inferInsert): Promise<ServiceRow> {
  const [out] = await q.insert(facilityServiceTable).values(row).returning();
  return out as ServiceRow;
}

export async function findService(q: Queryable, id: string): Promise<ServiceRow | undefined> {
  const [row] = await q.select().from(facilityServiceTable).where(eq(facilityServiceTable.id, id)).limit(1);
  return row;
}

export async function listServices(q: Queryable, facilityId: string): Promise<ServiceRow[]> {
  return q.select().from(facilityServiceTable).where(eq(facilityServiceTable.facilityId, facilityId)).orderBy(asc(facilityServiceTable.name));
}

export async function updateService(q: Queryable, id: string, version: number, set: Partial<typeof facilityServiceTable.$inferInsert>, fromStatus?: readonly string[]) {
  const conds = [eq(facilityServiceTable.id, id), eq(facilityServiceTable.version, version)];
  if (fromStatus) conds.push(inArray(facilityServiceTable.status, [...fromStatus] as ('draft' | 'published' | 'withdrawn')[]));
  const [row] = await q
    .update(facilityServiceTable)
    .set({ ...set, version: sql`${facilityServiceTable.version} + 1` })
    .where(and(...conds))
    .returning();
  return row;
}

// ---- centres ----

export async function insertCentre(q: Queryable, row: typeof centreTable.$inferInsert): Promise<void> {
  await q.insert(centreTable).values(row);
}

export async function findCentre(q: Queryable, id: string): Promise<CentreRow | undefined> {
  const [row] = await q.select().from(centreTable).where(eq(centreTable.id, id)).limit(1);
  return row;
}

export async function listCentreIds(q: Queryable, facilityIds?: readonly string[]): Promise<string[]> {
  if (!facilityIds) return (await q.select({ id: centreTable.id }).from(centreTable).orderBy(asc(centreTable.name))).map((r) => r.id);
  if (facilityIds.length === 0) return [];
  const rows = await q.selectDistinct({ id: centreMemberTable.centreId }).from(centreMemberTable).where(inArray(centreMemberTable.facilityId, [...facilityIds]));
  return rows.map((r) => r.id);
}

export async function loadCentreMembers(q: Queryable, centreId: string) {
  const members = await q
    .select({ member: centreMemberTable, status: facilityTable.status, eligible: facilityTypeTable.eligible })
    .from(centreMemberTable)
    .innerJoin(facilityTable, eq(facilityTable.id, centreMemberTable.facilityId))
    .innerJoin(facilityTypeTable, eq(facilityTypeTable.code, facilityTable.typeCode))
    .where(eq(centreMemberTable.centreId, centreId))
    .orderBy(asc(centreMemberTable.joinedAt));
  const structures = await q.select().from(centreStructureTable).where(eq(centreStructureTable.centreId, centreId)).orderBy(asc(centreStructureTable.structure));
  return members.map((m) => ({
    facilityId: m.member.facilityId,
    rightsObligations: m.member.rightsObligations,
    active: m.status === 'active',
    eligible: m.eligible,
    structures: structures.filter((s) => s.facilityId === m.member.facilityId).map((s) => ({ structure: s.structure, specialtyCode: s.specialtyCode })),
  }));
}

export async function updateCentre(q: Queryable, id: string, version: number, set: Partial<typeof centreTable.$inferInsert>, fromStatus?: readonly ('draft' | 'active' | 'suspended')[]) {
  const conds = [eq(centreTable.id, id), eq(centreTable.version, version)];
  if (fromStatus) conds.push(inArray(centreTable.status, [...fromStatus]));
  const [row] = await q
    .update(centreTable)
    .set({ ...set, version: sql`${centreTable.version} + 1` })
    .where(and(...conds))
    .returning();
  return row;
}

/** Bumps the centre's version so a concurrent activation sees the member change (optimistic lock). */
export async function touchCentre(q: Queryable, id: string, at: Date): Promise<CentreRow | undefined> {
  const [row] = await q.update(centreTable).set({ updatedAt: at, version: sql`${centreTable.version} + 1` }).where(eq(centreTable.id, id)).returning();
  return row;
}

export async function upsertCentreMember(
  q: Queryable,
  row: typeof centreMemberTable.$inferInsert,
  structures: { id: string; structure: string; specialtyCode: string }[],
): Promise<void> {
  await q
    .insert(centreMemberTable)
    .values(row)
    .onConflictDoUpdate({ target: [centreMemberTable.centreId, centreMemberTable.facilityId], set: { rightsObligations: row.rightsObligations ?? '' } });
  await q.delete(centreStructureTable).where(and(eq(centreStructureTable.centreId, row.centreId), eq(centreStructureTable.facilityId, row.facilityId)));
  if (structures.length) {
    await q.insert(centreStructureTable).values(structures.map((s) => ({ ...s, centreId: row.centreId, facilityId: row.facilityId })));
  }
}

export async function deleteCentreMember(q: Queryable, centreId: string, facilityId: string): Promise<boolean> {
  const rows = await q
    .delete(centreMemberTable)
    .where(and(eq(centreMemberTable.centreId, centreId), eq(centreMemberTable.facilityId, facilityId)))
    .returning({ id: centreMemberTable.facilityId });
  return rows.length > 0;
}

export async function centresOfFacility(q: Queryable, facilityId: string) {
  return q
    .select({ id: centreTable.id, name: centreTable.name })
    .from(centreMemberTable)
    .innerJoin(centreTable, eq(centreTable.id, centreMemberTable.centreId))
    .where(and(eq(centreMemberTable.facilityId, facilityId), eq(centreTable.status, 'active')))
    .orderBy(asc(centreTable.name));
}

// ---- emergency contracts ----

export async function insertContract(q: Queryable, row: typeof emergencyContractTable.$inferInsert, specialtyCodes: readonly string[]): Promise<void> {
  await q.insert(emergencyContractTable).values(row);
  await q.insert(emergencyContractSpecialtyTable).values(specialtyCodes.map((specialtyCode) => ({ contractId: row.id, specialtyCode })));
}

export async function loadContracts(q: Queryable, where: { id?: string; facilityId?: string }) {
  const cond = where.id
    ? eq(emergencyContractTable.id, where.id)
    : sql`${emergencyContractTable.requesterFacilityId} = ${where.facilityId} OR ${emergencyContractTable.providerFacilityId} = ${where.facilityId}`;
  const rows = await q.select().from(emergencyContractTable).where(cond).orderBy(asc(emergencyContractTable.validFrom));
  if (rows.length === 0) return [];
  const specs = await q
    .select()
    .from(emergencyContractSpecialtyTable)
    .where(inArray(emergencyContractSpecialtyTable.contractId, rows.map((r) => r.id)));
  return rows.map((r) => ({ ...r, specialtyCodes: specs.filter((s) => s.contractId === r.id).map((s) => s.specialtyCode).sort() }));
}

export async function terminateContract(q: Queryable, id: string, version: number, at: Date, validTo: string) {
  const [row] = await q
    .update(emergencyContractTable)
    .set({ status: 'terminated', updatedAt: at, validTo, version: sql`${emergencyContractTable.version} + 1` })
    .where(and(eq(emergencyContractTable.id, id), eq(emergencyContractTable.version, version), eq(emergencyContractTable.status, 'active')))
    .returning();
  return row;
}

/** The active contract letting `requester` consult `provider` in a specialty on a date, if any. */
export async function findActiveContract(q: Queryable, requester: string, provider: string, specialtyCode: string, onDate: string) {
  const [row] = await q
    .select({ id: emergencyContractTable.id })
    .from(emergencyContractTable)
    .innerJoin(emergencyContractSpecialtyTable, eq(emergencyContractSpecialtyTable.contractId, emergencyContractTable.id))
    .where(
      and(
        eq(emergencyContractTable.requesterFacilityId, requester),
        eq(emergencyContractTable.providerFacilityId, provider),
        eq(emergencyContractTable.status, 'active'),
        eq(emergencyContractSpecialtyTable.specialtyCode, specialtyCode),
        sql`${emergencyContractTable.validFrom} <= ${onDate}::date`,
        sql`(${emergencyContractTable.validTo} IS NULL OR ${emergencyContractTable.validTo} >= ${onDate}::date)`,
      ),
    )
    .limit(1);
  return row;
}

// ---- coordinators (Art. 5(4) item 1) ----

/** The member facilities of the centres an account coordinates. */
export async function facilitiesCoordinatedBy(q: Queryable, accountId: string): Promise<string[]> {
  const res = await q.execute<{ facility_id: string }>(
    sql`SELECT DISTINCT cm.facility_id FROM centre_member cm JOIN centre_coordinator cc ON cc.centre_id = cm.centre_id WHERE cc.account_id = ${accountId} ORDER BY cm.facility_id`,
  );
  return res.rows.map((r) => r.facility_id);
}

/** The centres an account coordinates. */
export async function centresCoordinatedBy(q: Queryable, accountId: string): Promise<string[]> {
  const res = await q.execute<{ centre_id: string }>(sql`SELECT cc.centre_id FROM centre_coordinator cc JOIN telemedicine_centre c ON c.id = cc.centre_id WHERE cc.account_id = ${accountId} ORDER BY c.name, c.id`);
  return res.rows.map((r) => r.centre_id);
}

export async function insertCentreCoordinator(q: Queryable, centreId: string, accountId: string, at: Date): Promise<void> {
  await q.execute(sql`INSERT INTO centre_coordinator (centre_id, account_id, created_at) VALUES (${centreId}, ${accountId}, ${at.toISOString()}) ON CONFLICT DO NOTHING`);
}

/** An account's role and status (identity's table, read-only): only an active coordinator may coordinate. */
export async function findAccountRole(q: Queryable, accountId: string): Promise<{ role: string; status: string } | undefined> {
  const res = await q.execute<{ role: string; status: string }>(sql`SELECT role, status FROM user_account WHERE id = ${accountId}`);
  return res.rows[0];
}

/** Links an account to a facility (identity's `account_facility`): a coordinator's own registrations. */
export async function linkAccountToFacility(q: Queryable, accountId: string, facilityId: string, at: Date): Promise<void> {
  await q.execute(sql`INSERT INTO account_facility (account_id, facility_id, created_at) VALUES (${accountId}, ${facilityId}, ${at.toISOString()}) ON CONFLICT DO NOTHING`);
}
