import { describe, expect, it } from 'vitest';
import { OutboxMessageSchema } from './outbox.js';

describe('outbox catalogue', () => {
  it('accepts the catalogued kinds with their payloads', () => {
    expect(OutboxMessageSchema.safeParse({ type: 'records.nhis_submit', payload: { submissionId: 's-1' } }).success).toBe(true);
    expect(OutboxMessageSchema.safeParse({ type: 'request.notify', payload: { requestId: 'r-1', event: 'accept', side: 'provider' } }).success).toBe(true);
    expect(OutboxMessageSchema.safeParse({ type: 'auth.password_reset_mail', payload: { accountId: 'a-1', noSecondFactor: true } }).success).toBe(true);
  });

  it('refuses an unknown kind, a missing field and a stray field', () => {
    expect(OutboxMessageSchema.safeParse({ type: 'records.nhis_submitt', payload: { submissionId: 's-1' } }).success).toBe(false);
    expect(OutboxMessageSchema.safeParse({ type: 'records.deadline_check', payload: { requestId: 'r-1' } }).success).toBe(false);
    expect(OutboxMessageSchema.safeParse({ type: 'records.nhis_submit', payload: { submissionId: 's-1', patientName: 'x' } }).success).toBe(false);
  });
});
