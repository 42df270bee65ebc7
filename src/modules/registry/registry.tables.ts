import { boolean, char, date, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const facilityTypeTable = pgTable('facility_type', {
  code: text('code').primaryKey(),
  nameBg: text('name_bg').notNull(),
  nameEn: text('name_en').notNull(),
  legalBasis: text('legal_basis').notNull(),
  eligible: boolean('eligible').notNull(),
});

export const rhifRegionTable = pgTable('rhif_region', {
  code: char('code', { length: 2 }).primaryKey(),
  oblast: char('oblast', { length: 3 }).notNull(),
  nameBg: text('name_bg').notNull(),
  nameEn: text('name_en').notNull(),
});

export const facilityTable = pgTable('facility', {
  id: uuid('id').primaryKey(),
  number: char('number', { length: 10 }).notNull(),
  name: text('name').notNull(),
  typeCode: text('type_code').notNull(),
  rhifCode: char('rhif_code', { length: 2 }).notNull(),
  ekatte: char('ekatte', { length: 5 }),
  settlement: text('settlement').notNull(),
  address: text('address').notNull(),
  phone: text('phone'),
  email: text('email'),
  website: text('website'),
  description: text('description').notNull().default(''),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  timeZone: text('time_zone').notNull().default('Europe/Sofia'),
  maxWeeklyHoursPerSpecialist: smallint('max_weekly_hours_per_specialist').notNull().default(40),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull().default(1),
});

export const facilityCertificateTable = pgTable('facility_certificate', {
  id: uuid('id').primaryKey(),
  facilityId: uuid('facility_id').notNull(),
  kind: text('kind', { enum: ['software', 'diagnostic_equipment', 'ict_equipment', 'infrastructure', 'ce_mark', 'other'] }).notNull(),
  title: text('title').notNull(),
  issuer: text('issuer').notNull(),
  reference: text('reference').notNull(),
  issuedOn: date('issued_on', { mode: 'string' }).notNull(),
  expiresOn: date('expires_on', { mode: 'string' }),
  withdrawnAt: ts('withdrawn_at'),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: ts('recorded_at').notNull(),
});

export const specialtyTable = pgTable('specialty', {
  code: char('code', { length: 4 }).primaryKey(),
  nhifCode: char('nhif_code', { length: 2 }),
  nameBg: text('name_bg').notNull(),
  nameEn: text('name_en').notNull(),
  dental: boolean('dental').notNull(),
  source: text('source').notNull(),
  active: boolean('active').notNull().default(true),
  updatedAt: ts('updated_at'),
});

export const serviceKindTable = pgTable('service_kind', {
  code: text('code').primaryKey(),
  nameBg: text('name_bg').notNull(),
  nameEn: text('name_en').notNull(),
  allowedForDental: boolean('allowed_for_dental').notNull(),
  prohibitedRule: text('prohibited_rule'),
  sortOrder: integer('sort_order').notNull(),
});

export const practitionerTable = pgTable('practitioner', {
  id: uuid('id').primaryKey(),
  uin: char('uin', { length: 10 }).notNull(),
  givenName: text('given_name').notNull(),
  familyName: text('family_name').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at'),
  version: integer('version').notNull().default(1),
});

export const practitionerSpecialtyTable = pgTable(
  'practitioner_specialty',
  {
    practitionerId: uuid('practitioner_id').notNull(),
    specialtyCode: char('specialty_code', { length: 4 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.practitionerId, t.specialtyCode] })],
);

export const practitionerRoleTable = pgTable('practitioner_role', {
  id: uuid('id').primaryKey(),
  practitionerId: uuid('practitioner_id').notNull(),
  facilityId: uuid('facility_id').notNull(),
  active: boolean('active').notNull().default(true),
  listed: boolean('listed').notNull().default(true),
  createdAt: ts('created_at').notNull(),
});

export const facilityServiceTable = pgTable('facility_service', {
  id: uuid('id').primaryKey(),
  facilityId: uuid('facility_id').notNull(),
  specialtyCode: char('specialty_code', { length: 4 }).notNull(),
  kindCode: text('kind_code').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  mode: text('mode', { enum: ['synchronous', 'asynchronous'] }).notNull(),
  typicalMinutes: smallint('typical_minutes').notNull(),
  priceEurCents: integer('price_eur_cents'),
  nhifPaid: boolean('nhif_paid').notNull().default(false),
  status: text('status', { enum: ['draft', 'published', 'withdrawn'] }).notNull().default('draft'),
  publishedAt: ts('published_at'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull().default(1),
});

export const centreTable = pgTable('telemedicine_centre', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ['draft', 'active', 'suspended'] }).notNull().default('draft'),
  contractReference: text('contract_reference'),
  contractSignedOn: date('contract_signed_on', { mode: 'string' }),
  headName: text('head_name'),
  headPractitionerId: uuid('head_practitioner_id'),
  activatedAt: ts('activated_at'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull().default(1),
});

export const centreMemberTable = pgTable(
  'centre_member',
  {
    centreId: uuid('centre_id').notNull(),
    facilityId: uuid('facility_id').notNull(),
    rightsObligations: text('rights_obligations').notNull().default(''),
    joinedAt: ts('joined_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.centreId, t.facilityId] })],
);

export const centreStructureTable = pgTable('centre_structure', {
  id: uuid('id').primaryKey(),
  centreId: uuid('centre_id').notNull(),
  facilityId: uuid('facility_id').notNull(),
  structure: text('structure').notNull(),
  specialtyCode: char('specialty_code', { length: 4 }).notNull(),
});

export const emergencyContractTable = pgTable('emergency_contract', {
  id: uuid('id').primaryKey(),
  requesterFacilityId: uuid('requester_facility_id').notNull(),
  providerFacilityId: uuid('provider_facility_id').notNull(),
  reference: text('reference').notNull(),
  validFrom: date('valid_from', { mode: 'string' }).notNull(),
  validTo: date('valid_to', { mode: 'string' }),
  status: text('status', { enum: ['active', 'terminated'] }).notNull().default('active'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull().default(1),
});

export const emergencyContractSpecialtyTable = pgTable(
  'emergency_contract_specialty',
  {
    contractId: uuid('contract_id').notNull(),
    specialtyCode: char('specialty_code', { length: 4 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.specialtyCode] })],
);
