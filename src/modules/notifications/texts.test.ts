import { describe, expect, it } from 'vitest';
import { NotificationKindSchema, type NotificationKind } from '../../contracts/notifications.js';
import { fitSms, smsLength, transliterate, whenText } from './sms-text.js';
import { renderNotification, type NotificationMessage } from './texts.js';

// Every kind × channel × language of the catalogue, with realistic lengths: facility names as the directory
// holds them, a reference as the requests show it, links as the identity module builds them.
const when = { at: '2026-12-07T08:00:00Z', zone: 'Europe/Sofia' };
const facility = 'МЦ „Св. Лука“';
const link = 'https://distansia.example.bg/reset-password#token=Q2xhc3NpY2FsbHlMb25nVG9rZW5WYWx1ZQ';
const SAMPLES: Record<NotificationKind, NotificationMessage[]> = {
  request_received: [{ kind: 'request_received', ref: '01A2B3C4', facility, when }, { kind: 'request_received', ref: '01A2B3C4', facility, when: null }],
  request_new: [{ kind: 'request_new', ref: '01A2B3C4', when }],
  request_changed: (['accept', 'decline', 'schedule', 'start', 'complete', 'document', 'cancel', 'no_show', 'reschedule'] as const).map((change) => ({ kind: 'request_changed', ref: '01A2B3C4', facility, when, change })),
  reminder_24h: [{ kind: 'reminder_24h', ref: '01A2B3C4', facility, when }],
  reminder_1h: [{ kind: 'reminder_1h', ref: '01A2B3C4', facility, when }],
  emergency_alert: [{ kind: 'emergency_alert', ref: '01A2B3C4', fromFacility: 'УМБАЛ „Александровска“' }],
  emergency_accepted: [{ kind: 'emergency_accepted', ref: '01A2B3C4', specialist: 'д-р Николай Ангелов', facility }],
  password_reset: [{ kind: 'password_reset', link, minutes: 30 }, { kind: 'password_reset', link: null, minutes: 30 }],
  account_activation: [{ kind: 'account_activation', link, hours: 72 }],
  account_registration: [{ kind: 'account_registration', link, hours: 24 }, { kind: 'account_registration', attempt: 'email', loginUrl: 'https://distansia.example.bg/login' }, { kind: 'account_registration', attempt: 'identifier', loginUrl: 'https://distansia.example.bg/login' }],
  staff_account_changed: (['created', 'activated', 'email_changed', 'mfa_reset'] as const).map((change) => ({ kind: 'staff_account_changed', change, role: 'facility_admin', accountId: '0190a000-0000-7000-8000-000000000001', when })),
  deadline_escalated: [{ kind: 'deadline_escalated', ref: '01A2B3C4', facility, due: when }],
  deadline_missed: [{ kind: 'deadline_missed', ref: '01A2B3C4', facility, due: when }],
  supervision_opened: [{ kind: 'supervision_opened', facility, legalBasis: 'чл. 21 от Наредбата' }],
  supervision_closed: [{ kind: 'supervision_closed', facility, legalBasis: 'чл. 21 от Наредбата' }],
  expertise_deadline_escalated: (['retroactive_leave', 'duplicate_leave', 'telk_protocol', 'dossier_return'] as const).map((what) => ({ kind: 'expertise_deadline_escalated', what, ref: '01A2B3C4', facility, dueOn: '2026-12-08' })),
  expertise_deadline_missed: (['retroactive_leave', 'duplicate_leave', 'telk_protocol', 'dossier_return'] as const).map((what) => ({ kind: 'expertise_deadline_missed', what, ref: '01A2B3C4', facility, dueOn: '2026-12-08' })),
  backup_failed: [{ kind: 'backup_failed', what: 'backup', reference: '20261207-0300', detail: 'A destination is missing it.' }, { kind: 'backup_failed', what: 'restore_check', reference: '20261207-0300', detail: 'Check 42: the audit chain does not verify.' }],
  prophylaxis_due: [{ kind: 'prophylaxis_due', practice: 'АИППМП д-р Първанова', gp: 'д-р Мария Първанова', month: '2026-05', phone: '02 987 6543' }, { kind: 'prophylaxis_due', practice: 'АИППМП д-р Първанова', gp: 'д-р Мария Първанова', month: '2026-05', phone: null }],
  prophylaxis_worklist: [{ kind: 'prophylaxis_worklist', practice: 'АИППМП д-р Първанова', month: '2026-05', count: 14 }, { kind: 'prophylaxis_worklist', practice: 'АИППМП д-р Първанова', month: '2026-05', count: 1 }],
};
// What must never reach a person: snake_case codes, the lifecycle's state and action names (in a Bulgarian
// text any of them is a leaked code; in English ones only the forms no sentence uses), arrows between states.
const STATES = ['requested', 'accepted', 'declined', 'scheduled', 'completed', 'documented', 'cancelled', 'noshow', 'reschedule', 'accept', 'decline', 'schedule', 'start', 'complete', 'document', 'cancel'];
const ALL_KINDS = NotificationKindSchema.options;

describe('the notification texts catalogue', () => {
  it('has a sample of every kind (a new kind needs its texts here)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...ALL_KINDS].sort());
  });

  for (const kind of ALL_KINDS)
    for (const channel of ['email', 'sms'] as const)
      for (const lang of ['bg', 'en'] as const)
        it(`${kind} by ${channel} in ${lang}: one language, no internal codes${channel === 'sms' ? ', one SMS segment' : ''}`, () => {
          for (const m of SAMPLES[kind]) {
            const { subject, text } = renderNotification(m, channel, lang);
            const all = `${subject}\n${text}`.replace(/https?:\/\/\S+/g, '');
            expect(text.length).toBeGreaterThan(10);
            expect(all).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
            expect(all).not.toContain('→');
            if (lang === 'bg') for (const s of STATES) expect(all).not.toMatch(new RegExp(`\\b${s}\\b`));
            expect(all).not.toMatch(/\bnoshow\b|\bin progress\b/);
            expect(all).not.toContain(' / ');
            if (lang === 'en') expect(all.replace(/[„“]/g, '')).not.toMatch(channel === 'sms' ? /[а-яА-Я]/ : /Дистансия|консултация|заявка/);
            if (lang === 'bg') expect(all).toMatch(/[а-яА-Я]/);
            if (channel === 'sms') {
              expect(subject).toBe('');
              const l = smsLength(text);
              expect(l.encoding).toBe(lang === 'en' ? 'gsm7' : 'ucs2');
              // Links cannot be shortened: the identity links' SMS may take a second segment.
              if (!/https?:/.test(text)) expect(l.length, text).toBeLessThanOrEqual(l.limit);
            } else expect(subject.length).toBeGreaterThan(5);
          }
        });
});

describe('SMS helpers', () => {
  it('GSM-7 counts 160 septets, extension characters twice; Cyrillic is UCS-2 with 70', () => {
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'gsm7', length: 160, limit: 160 });
    expect(smsLength('€10')).toMatchObject({ encoding: 'gsm7', length: 4 });
    expect(smsLength('Заявка')).toEqual({ encoding: 'ucs2', length: 6, limit: 70 });
  });
  it('a long facility name drops out before the time does', () => {
    const long = 'Медицински център за специализирана извънболнична помощ „Свети Пантелеймон“';
    const text = renderNotification({ kind: 'reminder_24h', ref: '01A2B3C4', facility: long, when }, 'sms', 'bg').text;
    expect(text).toBe('Консултация 01A2B3C4: утре, 7.12, 10:00');
    expect(fitSms(['x'.repeat(200), 'y'.repeat(100)])).toBe('y'.repeat(100));
  });
  it('Bulgarian names in Latin letters by the transliteration law', () => {
    expect(transliterate('МЦ „Св. Лука“, София')).toBe('MTs "Sv. Luka", Sofia');
    expect(transliterate('д-р Щерев, Шумен, Юлия')).toBe('d-r Shterev, Shumen, Yulia');
  });
  it('dates as people write them, in the recipient’s language', () => {
    expect(whenText(when.at, when.zone, 'bg')).toBe('пн, 7 декември, 10:00');
    expect(whenText(when.at, when.zone, 'en')).toBe('Mon 7 December, 10:00');
    expect(whenText(when.at, when.zone, 'en', 'short')).toBe('7 Dec, 10:00');
  });
});
