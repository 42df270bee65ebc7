import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld } from '../../test/gp-world.js';
import { readOutbox } from '../../test/mail-sink.js';
import { smsLength } from '../notifications/index.js';

// The prophylaxis plan's reminders (W20, R-PRO-01) on PGlite and (DATABASE_URL) PostgreSQL: the daily job on
// the injected clock, moved across the 1 May 2026 holiday (Labour Code Art. 154; fixture
// bg-official-non-working-weekdays-2022-2026.md) and the weekend after it, to the month's first working day.
const clock = fixedClock('2026-04-20T08:00:00Z');
let t: TestApp;
let g: GpWorld;

async function prophylaxisNotifications() {
  return (await t.deps.db.execute<{ kind: string; recipient: string | null; status: string }>(sql`SELECT kind, recipient_account_id AS recipient, status FROM notification
    WHERE kind IN ('prophylaxis_due', 'prophylaxis_worklist') ORDER BY kind, recipient_account_id`)).rows;
}
async function dayTick(iso: string) {
  clock.set(iso);
  const run = await t.deps.prophylaxisReminders.tick();
  await t.deps.outbox.drain(500);
  return run;
}

beforeAll(async () => {
  t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true', PUBLIC_URL: 'https://distansia.example.bg' } });
  g = await buildGpWorld(t, clock);
  const reg = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: g.w.patientA.id, practitionerId: g.gp1, facilityId: g.practice1 } });
  expect(reg.statusCode, reg.body).toBe(201);
  // The representative reads English: the same reminder reaches each recipient in their own language.
  await t.deps.db.execute(sql`UPDATE user_account SET notification_lang = 'en' WHERE id = ${g.w.sessions.repOfA.accountId}`);
  await t.deps.outbox.drain(500);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('the prophylaxis plan’s reminders (W20)', () => {
  it('R-PRO-01: on 1 May 2026 (a holiday) and the weekend after it nothing is planned or sent', async () => {
    for (const day of ['2026-05-01T06:30:00Z', '2026-05-02T06:30:00Z', '2026-05-03T06:30:00Z']) {
      const run = await dayTick(day);
      expect(run?.result, day).toEqual({ skipped: 'not_first_working_day' });
    }
    expect(await prophylaxisNotifications()).toEqual([]);
  });

  it('R-PRO-01: on Monday 4 May, the first working day, the due adult is invited at 09:00 and the GP is told', async () => {
    const run = await dayTick('2026-05-04T04:00:00Z'); // 07:00 in Sofia: planned now, sent at 09:00
    expect(run?.result).toEqual({ month: '2026-05', patients: 1, gps: 1 });
    expect(await prophylaxisNotifications()).toEqual([]);
    await dayTick('2026-05-04T06:00:01Z');
    const sent = await prophylaxisNotifications();
    const expected = [g.w.sessions.patientA.accountId, g.w.sessions.repOfA.accountId].sort();
    expect(sent.filter((n) => n.kind === 'prophylaxis_due').map((n) => n.recipient).sort()).toEqual(expected);
    expect(sent.filter((n) => n.kind === 'prophylaxis_worklist')).toHaveLength(1);
    expect(sent.every((n) => n.status === 'sent')).toBe(true);

    const mail = await readOutbox(t.dataDir);
    const toPatient = mail.find((m) => m.to === g.w.sessions.patientA.email && m.subject.includes('профилактичния'));
    expect(toPatient?.body).toContain('май 2026');
    expect(toPatient?.body).toContain('АИППМП д-р Първанова');
    const toRep = mail.find((m) => m.to === g.w.sessions.repOfA.email && m.subject.includes('preventive check-up'));
    expect(toRep?.body).toContain('May 2026');
    expect(toRep?.body).not.toMatch(/[а-я]{4,} [а-я]{4,}/); // English only, apart from the practice's own name
    const toGp = mail.find((m) => m.subject.includes('1 пациент за профилактика през май 2026'));
    expect(toGp).toBeDefined();
    // Security: no diagnosis, identifier or name of the patient in any reminder.
    const all = JSON.stringify(mail.filter((m) => /профилакти|preventive/.test(m.subject)));
    for (const secret of [g.w.patientA.demographics.identifier, g.w.patientA.demographics.familyName]) expect(all).not.toContain(secret);
    const audit = (await t.deps.db.execute<{ data: unknown }>(sql`SELECT data FROM audit_event WHERE action = 'practice.prophylaxis_reminders_planned'`)).rows;
    expect(audit).toEqual([{ data: { month: '2026-05', count: 1, rule: 'R-PRO-01' } }]);
  });

  it('R-PRO-01: the day runs once; planning it again sends nothing twice; the next day plans nothing', async () => {
    expect(await dayTick('2026-05-04T10:00:00Z')).toBeUndefined();
    const before = (await prophylaxisNotifications()).length;
    expect(await t.deps.practice.planProphylaxisReminders('2026-05-04')).toMatchObject({ patients: 1 });
    await t.deps.outbox.drain(500);
    expect((await prophylaxisNotifications()).length).toBe(before);
    expect((await dayTick('2026-05-05T06:30:00Z'))?.result).toEqual({ skipped: 'not_first_working_day' });
  });

  it('R-PRO-01: January 2027 starts on a holiday Friday: the reminders wait for Monday 4 January', async () => {
    expect(await t.deps.practice.planProphylaxisReminders('2027-01-01')).toEqual({ skipped: 'not_first_working_day' });
    clock.set('2027-01-04T05:00:00Z');
    expect(await t.deps.practice.planProphylaxisReminders('2027-01-04')).toEqual({ month: '2027-01', patients: 1, gps: 1 });
  });

  it('the reminder SMS texts fit one segment in both languages (docs/notifications.md#texts)', async () => {
    const { renderNotification } = await import('../notifications/index.js');
    const m = { kind: 'prophylaxis_due' as const, practice: 'АИППМП д-р Първанова', gp: 'д-р Първанова', month: '2026-05', phone: '02 987 6543' };
    for (const lang of ['bg', 'en'] as const) {
      const l = smsLength(renderNotification(m, 'sms', lang).text);
      expect(l.length).toBeLessThanOrEqual(l.limit);
    }
  });
});
