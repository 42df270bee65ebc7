import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app-harness.js';
import { buildAccessWorld, type AccessWorld } from './access-world.js';
import { FIXTURE_FORM, insertRequestFixture } from './consultation-world.js';
import { readOutbox } from './mail-sink.js';

// The request fixture of the consultation, consent and e2e tests writes its form as the requests
// service does: encrypted with the providing facility's key. A placeholder made every outbox handler
// that reads the form fail with "not a Distansia envelope".

describe('insertRequestFixture', () => {
  let t: TestApp;
  let w: AccessWorld;
  let requestId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { DEV_MAIL_SINK: 'true' } });
    w = await buildAccessWorld(t);
    const practitionerId = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string;
    requestId = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId });
  });
  afterAll(async () => t?.close());

  it('stores the form as an envelope of the facility key that the requester reads back', async () => {
    const res = await w.as('patientA', { method: 'GET', url: `/api/v1/requests/${requestId}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().form).toEqual(FIXTURE_FORM);
  });

  it('lets the outbox handler read the recipient phone: the notification is sent, not retried with a decryption error', async () => {
    const outboxId = await t.deps.outbox.enqueue(t.deps.db, 'request.notify', { requestId, event: 'cancel', side: 'provider' });
    await t.deps.outbox.drain(50);
    const [row] = (await t.deps.db.execute(sql`SELECT status, last_error FROM outbox WHERE id = ${outboxId}`)).rows;
    expect(row).toEqual({ status: 'done', last_error: null });
    const sms = (await readOutbox(t.dataDir)).filter((m) => m.channel === 'sms');
    expect(sms.map((m) => m.to)).toContain(FIXTURE_FORM.phone);
  });
});
