import { describe, expect, it } from 'vitest';
import { AuditEventSchema, auditActions, auditEventData } from './audit-events.js';

// STYLE C13: every audit action is catalogued with the shape of its data, and codes are `domain.past_tense`.
describe('audit event catalogue', () => {
  it('accepts catalogued actions with their data', () => {
    expect(AuditEventSchema.safeParse({ action: 'patient.read', data: { basis: 'care', fields: 'demographics' } }).success).toBe(true);
    expect(AuditEventSchema.safeParse({ action: 'demo.seeded' }).success).toBe(true);
    expect(AuditEventSchema.safeParse({ action: 'account.deactivated', data: { code: 'auth.forbidden' } }).success).toBe(true);
    expect(AuditEventSchema.safeParse({ action: 'recording.started', data: { media: 'audio', code: 'auth.forbidden' } }).success).toBe(true);
  });

  it('refuses an unknown action, a missing field, a stray field and data on an action without data', () => {
    expect(AuditEventSchema.safeParse({ action: 'patient.readd', data: { basis: 'care', fields: 'demographics' } }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ action: 'patient.read', data: { basis: 'care' } }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ action: 'record.read', data: { kind: 'x', revision: 1, format: 'json', text: 'клинична бележка' } }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ action: 'demo.seeded', data: { name: 'Иван' } }).success).toBe(false);
    expect(auditEventData['consultation.viewed'].safeParse({ code: 'internal' }).success).toBe(false);
  });

  it('names every action domain.past_tense-style, once', () => {
    expect(new Set(auditActions).size).toBe(auditActions.length);
    for (const a of auditActions) expect(a).toMatch(/^[a-z0-9_]+\.[a-z0-9_]+$/);
  });
});
