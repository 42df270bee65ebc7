import { z } from 'zod';
import type { AuditCatalogue } from '../platform/audit/audit-log.js';

/**
 * The catalogue the audit chain's own tests and bench append with: they test sealing, ordering,
 * canonical JSON and verification with arbitrary data, not the application's events (those are checked
 * against src/contracts/audit-events.ts by every other test).
 */
export const chainTestEvents: AuditCatalogue = { 'patient.read': z.unknown(), 'demo.seeded': z.unknown() };

/** An event of `chainTestEvents`. */
export interface ChainTestEvent {
  action: 'patient.read' | 'demo.seeded';
  data?: Record<string, unknown>;
}
