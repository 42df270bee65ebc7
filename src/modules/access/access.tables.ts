import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../../platform/crypto/keyring.js';

const tstz = (name: string) => timestamp(name, { withTimezone: true });

export const accessGrantTable = pgTable('access_grant', {
  id: uuid('id').primaryKey(),
  patientId: uuid('patient_id').notNull(),
  granteeAccountId: uuid('grantee_account_id').notNull(),
  grantedByAccountId: uuid('granted_by_account_id').notNull(),
  scope: text('scope').notNull().$type<'read'>(),
  purposeEnc: bytea('purpose_enc').notNull(),
  validFrom: tstz('valid_from').notNull(),
  validUntil: tstz('valid_until'),
  revokedAt: tstz('revoked_at'),
  revokedBy: uuid('revoked_by'),
  createdAt: tstz('created_at').notNull(),
});

export const representativeLinkTable = pgTable('representative_link', {
  id: uuid('id').primaryKey(),
  representativeAccountId: uuid('representative_account_id').notNull(),
  patientId: uuid('patient_id').notNull(),
  basis: text('basis').notNull().$type<'parent' | 'guardian' | 'curator'>(),
  documentRefEnc: bytea('document_ref_enc').notNull(),
  facilityId: uuid('facility_id').notNull(),
  validFrom: tstz('valid_from').notNull(),
  validUntil: tstz('valid_until'),
  createdBy: uuid('created_by').notNull(),
  createdAt: tstz('created_at').notNull(),
  endedAt: tstz('ended_at'),
  endedBy: uuid('ended_by'),
});

export const careRelationshipTable = pgTable('care_relationship', {
  id: uuid('id').primaryKey(),
  patientId: uuid('patient_id').notNull(),
  practitionerId: uuid('practitioner_id').notNull(),
  facilityId: uuid('facility_id').notNull(),
  sourceType: text('source_type').notNull(),
  sourceId: uuid('source_id').notNull(),
  activeFrom: tstz('active_from').notNull(),
  activeUntil: tstz('active_until'),
  createdAt: tstz('created_at').notNull(),
});

export const supervisionCaseTable = pgTable('supervision_case', {
  id: uuid('id').primaryKey(),
  facilityId: uuid('facility_id').notNull(),
  patientId: uuid('patient_id'),
  openedBy: uuid('opened_by').notNull(),
  reasonEnc: bytea('reason_enc').notNull(),
  /** The inspection order number or other legal act the case acts under (Art. 21); not patient data. */
  legalBasis: text('legal_basis').notNull(),
  openedAt: tstz('opened_at').notNull(),
  closedAt: tstz('closed_at'),
  closedBy: uuid('closed_by'),
});
