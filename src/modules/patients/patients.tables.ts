import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../../platform/crypto/keyring.js';

export const patientTable = pgTable('patient', {
  id: uuid('id').primaryKey(),
  identifierKind: text('identifier_kind').notNull(),
  identifierIndex: text('identifier_index').notNull(),
  pii: bytea('pii').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  version: integer('version').notNull().default(1),
});
