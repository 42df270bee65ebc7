import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql, type AnyColumn } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { accessGrantTable, careRelationshipTable, representativeLinkTable, supervisionCaseTable } from './access.tables.js';

// SQL only (STYLE C7). Reads of `user_account` and `practitioner` are plain SQL against the identity
// and registry tables: the access policy must resolve an account to its practitioner in the same query.

export type AccessGrantRow = typeof accessGrantTable.$inferSelect;
export type RepresentativeLinkRow = typeof representativeLinkTable.$inferSelect;
export type CareRelationshipRow = typeof careRelationshipTable.$inferSelect;
export type SupervisionCaseRow = typeof supervisionCaseTable.$inferSelect;

const activeAt = (from: AnyColumn, until: AnyColumn, now: Date) =>
  and(lte(from, now), or(isNull(until), gt(until, now)));

export async function findActiveRepresentativeLink(q: Queryable, accountId: string, patientId: string, now: Date): Promise<string | undefined> {
  const [row] = await q
    .select({ id: representativeLinkTable.id })
    .from(representativeLinkTable)
    .where(
      and(
        eq(representativeLinkTable.representativeAccountId, accountId),
        eq(representativeLinkTable.patientId, patientId),
        isNull(representativeLinkTable.endedAt),
        activeAt(representativeLinkTable.validFrom, representativeLinkTable.validUntil, now),
      ),
    )
    .orderBy(asc(representativeLinkTable.createdAt))
    .limit(1);
  return row?.id;
}

export async function listActiveRepresentedPatients(q: Queryable, accountId: string, now: Date): Promise<{ linkId: string; patientId: string }[]> {
  return q
    .selectDistinctOn([representativeLinkTable.patientId], { linkId: representativeLinkTable.id, patientId: representativeLinkTable.patientId })
    .from(representativeLinkTable)
    .where(
      and(
        eq(representativeLinkTable.representativeAccountId, accountId),
        isNull(representativeLinkTable.endedAt),
        activeAt(representativeLinkTable.validFrom, representativeLinkTable.validUntil, now),
      ),
    )
    .orderBy(asc(representativeLinkTable.patientId), asc(representativeLinkTable.createdAt));
}

export async function findActiveCare(
  q: Queryable,
  accountId: string,
  patientId: string,
  facilityIds: readonly string[],
  now: Date,
): Promise<Pick<CareRelationshipRow, 'id' | 'sourceType' | 'sourceId' | 'facilityId'> | undefined> {
  if (facilityIds.length === 0) return undefined;
  const [row] = await q
    .select({ id: careRelationshipTable.id, sourceType: careRelationshipTable.sourceType, sourceId: careRelationshipTable.sourceId, facilityId: careRelationshipTable.facilityId })
    .from(careRelationshipTable)
    .where(
      and(
        eq(careRelationshipTable.patientId, patientId),
        sql`${careRelationshipTable.practitionerId} = (SELECT practitioner_id FROM user_account WHERE id = ${accountId})`,
        inArray(careRelationshipTable.facilityId, [...facilityIds]),
        lte(careRelationshipTable.activeFrom, now),
        or(isNull(careRelationshipTable.activeUntil), gt(careRelationshipTable.activeUntil, now)),
      ),
    )
    .orderBy(asc(careRelationshipTable.activeFrom))
    .limit(1);
  return row;
}

/** An active care relationship of the patient at the facility, with any of its practitioners (facility systems). */
export async function findActiveCareAtFacility(q: Queryable, patientId: string, facilityId: string, now: Date): Promise<{ sourceType: string; sourceId: string } | undefined> {
  const [row] = await q
    .select({ sourceType: careRelationshipTable.sourceType, sourceId: careRelationshipTable.sourceId })
    .from(careRelationshipTable)
    .where(
      and(
        eq(careRelationshipTable.patientId, patientId),
        eq(careRelationshipTable.facilityId, facilityId),
        lte(careRelationshipTable.activeFrom, now),
        or(isNull(careRelationshipTable.activeUntil), gt(careRelationshipTable.activeUntil, now)),
      ),
    )
    .orderBy(asc(careRelationshipTable.activeFrom))
    .limit(1);
  return row;
}

export async function findActiveGrant(q: Queryable, accountId: string, patientId: string, now: Date): Promise<string | undefined> {
  const [row] = await q
    .select({ id: accessGrantTable.id })
    .from(accessGrantTable)
    .where(
      and(
        eq(accessGrantTable.granteeAccountId, accountId),
        eq(accessGrantTable.patientId, patientId),
        isNull(accessGrantTable.revokedAt),
        activeAt(accessGrantTable.validFrom, accessGrantTable.validUntil, now),
      ),
    )
    .orderBy(asc(accessGrantTable.createdAt))
    .limit(1);
  return row?.id;
}

/**
 * The actor's open supervision cases that cover the patient. Regulatory: Art. 21 — a case reaches only
 * the care given at its facility, so it covers a patient only if that facility cared for them (a care
 * relationship there), whether the case names the patient or the whole facility.
 */
export async function findOpenSupervisionCases(q: Queryable, accountId: string, patientId: string): Promise<{ id: string; facilityId: string }[]> {
  return q
    .select({ id: supervisionCaseTable.id, facilityId: supervisionCaseTable.facilityId })
    .from(supervisionCaseTable)
    .where(
      and(
        eq(supervisionCaseTable.openedBy, accountId),
        isNull(supervisionCaseTable.closedAt),
        or(eq(supervisionCaseTable.patientId, patientId), isNull(supervisionCaseTable.patientId)),
        sql`EXISTS (SELECT 1 FROM care_relationship cr WHERE cr.facility_id = ${supervisionCaseTable.facilityId} AND cr.patient_id = ${patientId})`,
      ),
    )
    .orderBy(asc(supervisionCaseTable.openedAt), asc(supervisionCaseTable.id));
}

/** Whether the facility ever cared for the patient (a care relationship there, open or closed). */
export async function facilityCaredFor(q: Queryable, facilityId: string, patientId: string): Promise<boolean> {
  const [row] = await q
    .select({ id: careRelationshipTable.id })
    .from(careRelationshipTable)
    .where(and(eq(careRelationshipTable.facilityId, facilityId), eq(careRelationshipTable.patientId, patientId)))
    .limit(1);
  return row !== undefined;
}

// ---- accounts (identity's table, read-only) ----

export interface AccountRef {
  id: string;
  role: string;
  status: string;
  patientId: string | null;
  practitionerId: string | null;
}

export async function findAccountByEmailIndex(q: Queryable, emailIndex: string): Promise<AccountRef | undefined> {
  const res = await q.execute<{ id: string; role: string; status: string; patient_id: string | null; practitioner_id: string | null }>(
    sql`SELECT id, role, status, patient_id, practitioner_id FROM user_account WHERE email_index = ${emailIndex}`,
  );
  const r = res.rows[0];
  return r ? { id: r.id, role: r.role, status: r.status, patientId: r.patient_id, practitionerId: r.practitioner_id } : undefined;
}

export async function accountWorksFor(q: Queryable, accountId: string, facilityId: string): Promise<boolean> {
  const res = await q.execute<{ one: number }>(sql`SELECT 1 AS one FROM account_facility WHERE account_id = ${accountId} AND facility_id = ${facilityId}`);
  return res.rows.length > 0;
}

// ---- grants ----

export async function insertGrant(q: Queryable, row: typeof accessGrantTable.$inferInsert): Promise<void> {
  await q.insert(accessGrantTable).values(row);
}

export interface GrantWithGrantee extends AccessGrantRow {
  granteeRole: string;
  granteeEmailEnc: Buffer;
  granteeGivenName: string | null;
  granteeFamilyName: string | null;
}

function grantWithGranteeQuery(q: Queryable) {
  return q
    .select({
      grant: accessGrantTable,
      granteeRole: sql<string>`ua.role`,
      granteeEmailEnc: sql<Buffer>`ua.email_enc`,
      granteeGivenName: sql<string | null>`pr.given_name`,
      granteeFamilyName: sql<string | null>`pr.family_name`,
    })
    .from(accessGrantTable)
    .innerJoin(sql`user_account ua`, sql`ua.id = ${accessGrantTable.granteeAccountId}`)
    .leftJoin(sql`practitioner pr`, sql`pr.id = ua.practitioner_id`);
}

export async function listGrantsOfPatient(q: Queryable, patientId: string): Promise<GrantWithGrantee[]> {
  const rows = await grantWithGranteeQuery(q).where(eq(accessGrantTable.patientId, patientId)).orderBy(desc(accessGrantTable.createdAt), desc(accessGrantTable.id));
  return rows.map((r) => ({ ...r.grant, granteeRole: r.granteeRole, granteeEmailEnc: r.granteeEmailEnc, granteeGivenName: r.granteeGivenName, granteeFamilyName: r.granteeFamilyName }));
}

export async function findGrantWithGrantee(q: Queryable, id: string): Promise<GrantWithGrantee | undefined> {
  const [r] = await grantWithGranteeQuery(q).where(eq(accessGrantTable.id, id)).limit(1);
  return r ? { ...r.grant, granteeRole: r.granteeRole, granteeEmailEnc: r.granteeEmailEnc, granteeGivenName: r.granteeGivenName, granteeFamilyName: r.granteeFamilyName } : undefined;
}

export async function findGrant(q: Queryable, id: string): Promise<AccessGrantRow | undefined> {
  const [row] = await q.select().from(accessGrantTable).where(eq(accessGrantTable.id, id)).limit(1);
  return row;
}

/** Compare-and-swap: revokes only a grant that is not revoked yet (STYLE C9). */
export async function revokeGrant(q: Queryable, id: string, by: string, now: Date): Promise<boolean> {
  const rows = await q
    .update(accessGrantTable)
    .set({ revokedAt: now, revokedBy: by })
    .where(and(eq(accessGrantTable.id, id), isNull(accessGrantTable.revokedAt)))
    .returning({ id: accessGrantTable.id });
  return rows.length === 1;
}

export async function listActiveGrantsForGrantee(q: Queryable, accountId: string, now: Date): Promise<AccessGrantRow[]> {
  return q
    .select()
    .from(accessGrantTable)
    .where(and(eq(accessGrantTable.granteeAccountId, accountId), isNull(accessGrantTable.revokedAt), activeAt(accessGrantTable.validFrom, accessGrantTable.validUntil, now)))
    .orderBy(asc(accessGrantTable.createdAt));
}

// ---- representative links ----

export async function insertRepresentativeLink(q: Queryable, row: typeof representativeLinkTable.$inferInsert): Promise<void> {
  await q.insert(representativeLinkTable).values(row);
}

export async function findRepresentativeLink(q: Queryable, id: string): Promise<RepresentativeLinkRow | undefined> {
  const [row] = await q.select().from(representativeLinkTable).where(eq(representativeLinkTable.id, id)).limit(1);
  return row;
}

export async function listRepresentativeLinksOfFacility(q: Queryable, facilityId: string): Promise<RepresentativeLinkRow[]> {
  return q.select().from(representativeLinkTable).where(eq(representativeLinkTable.facilityId, facilityId)).orderBy(desc(representativeLinkTable.createdAt));
}

/** Compare-and-swap: ends only a link that has not ended. */
export async function endRepresentativeLink(q: Queryable, id: string, by: string, now: Date): Promise<RepresentativeLinkRow | undefined> {
  const [row] = await q
    .update(representativeLinkTable)
    .set({ endedAt: now, endedBy: by })
    .where(and(eq(representativeLinkTable.id, id), isNull(representativeLinkTable.endedAt)))
    .returning();
  return row;
}

// ---- care relationships ----

export async function insertCareRelationship(q: Queryable, row: typeof careRelationshipTable.$inferInsert): Promise<void> {
  await q.insert(careRelationshipTable).values(row);
}

/** Ends every still-open care relationship of one source (a request or consultation) at `at`. */
export async function closeCareRelationships(q: Queryable, sourceType: string, sourceId: string, at: Date): Promise<CareRelationshipRow[]> {
  return q
    .update(careRelationshipTable)
    .set({ activeUntil: at })
    .where(
      and(
        eq(careRelationshipTable.sourceType, sourceType),
        eq(careRelationshipTable.sourceId, sourceId),
        or(isNull(careRelationshipTable.activeUntil), gt(careRelationshipTable.activeUntil, at)),
      ),
    )
    .returning();
}

// ---- supervision cases ----

export async function insertSupervisionCase(q: Queryable, row: typeof supervisionCaseTable.$inferInsert): Promise<void> {
  await q.insert(supervisionCaseTable).values(row);
}

export async function closeSupervisionCase(q: Queryable, id: string, by: string, now: Date): Promise<SupervisionCaseRow | undefined> {
  const [row] = await q
    .update(supervisionCaseTable)
    .set({ closedAt: now, closedBy: by })
    .where(and(eq(supervisionCaseTable.id, id), eq(supervisionCaseTable.openedBy, by), isNull(supervisionCaseTable.closedAt)))
    .returning();
  return row;
}

export async function findSupervisionCase(q: Queryable, id: string): Promise<SupervisionCaseRow | undefined> {
  const [row] = await q.select().from(supervisionCaseTable).where(eq(supervisionCaseTable.id, id)).limit(1);
  return row;
}

export async function facilityExists(q: Queryable, facilityId: string): Promise<boolean> {
  const res = await q.execute<{ one: number }>(sql`SELECT 1 AS one FROM facility WHERE id = ${facilityId}`);
  return res.rows.length > 0;
}

export async function listSupervisionCasesOpenedBy(q: Queryable, accountId: string): Promise<SupervisionCaseRow[]> {
  return q.select().from(supervisionCaseTable).where(eq(supervisionCaseTable.openedBy, accountId)).orderBy(desc(supervisionCaseTable.openedAt), desc(supervisionCaseTable.id));
}

export async function listSupervisionCasesOfFacility(q: Queryable, facilityId: string): Promise<SupervisionCaseRow[]> {
  return q.select().from(supervisionCaseTable).where(eq(supervisionCaseTable.facilityId, facilityId)).orderBy(desc(supervisionCaseTable.openedAt), desc(supervisionCaseTable.id));
}

export async function facilityName(q: Queryable, facilityId: string): Promise<string | undefined> {
  const res = await q.execute<{ name: string }>(sql`SELECT name FROM facility WHERE id = ${facilityId}`);
  return res.rows[0]?.name;
}

/** Active administrator accounts of a facility (told when a supervision case opens or closes there). */
export async function facilityAdminAccounts(q: Queryable, facilityId: string): Promise<string[]> {
  const res = await q.execute<{ id: string }>(
    sql`SELECT u.id FROM user_account u JOIN account_facility af ON af.account_id = u.id
        WHERE af.facility_id = ${facilityId} AND u.role = 'facility_admin' AND u.status = 'active' ORDER BY u.id`,
  );
  return res.rows.map((r) => r.id);
}

/** The patient's own active accounts and their representatives' (active links): who speaks for the patient. */
export async function accountsSpeakingFor(q: Queryable, patientId: string, now: Date): Promise<string[]> {
  const res = await q.execute<{ id: string }>(
    sql`SELECT u.id FROM user_account u WHERE u.patient_id = ${patientId} AND u.status = 'active'
        UNION
        SELECT l.representative_account_id FROM representative_link l JOIN user_account r ON r.id = l.representative_account_id
        WHERE l.patient_id = ${patientId} AND l.ended_at IS NULL AND l.valid_from <= ${now.toISOString()}::timestamptz
          AND (l.valid_until IS NULL OR l.valid_until > ${now.toISOString()}::timestamptz) AND r.status = 'active'
        ORDER BY 1`,
  );
  return res.rows.map((r) => r.id);
}
