import type { NotificationKind } from '../../contracts/notifications.js';
import { dayText, fitSms, monthText, transliterate, whenText, type Lang } from './sms-text.js';

// The one catalogue of notification texts (docs/notifications.md#texts): every kind, per channel (e-mail,
// SMS) and per recipient language. Operational content only — reference, facility, time, what happened —
// never clinical content, internal codes or state names. SMS fit one segment where possible (sms-text.ts).

export type { Lang } from './sms-text.js';
export type Channel = 'email' | 'sms';

/** An instant and the zone to show it in. */
export type When = { at: string; zone: string };
/** What happened to a request, in the words of its lifecycle's actions (request-status.ts). */
export type RequestChange = 'accept' | 'decline' | 'schedule' | 'start' | 'complete' | 'document' | 'cancel' | 'no_show' | 'reschedule';
export type StaffChange = 'created' | 'activated' | 'email_changed' | 'mfa_reset';
/** An expertise deadline's subject (R-SL-16, R-SL-17, R-TELK-01, R-TELK-05). */
export type ExpertiseDeadlineKind = 'retroactive_leave' | 'duplicate_leave' | 'telk_protocol' | 'dossier_return';

/** One notification's facts; the catalogue words them for each channel and language. */
export type NotificationMessage =
  | { kind: 'request_received'; ref: string; facility: string; when: When | null }
  | { kind: 'request_new'; ref: string; when: When | null }
  | { kind: 'request_changed'; ref: string; facility: string; when: When | null; change: RequestChange }
  | { kind: 'reminder_24h' | 'reminder_1h'; ref: string; facility: string; when: When }
  | { kind: 'emergency_alert'; ref: string; fromFacility: string }
  | { kind: 'emergency_accepted'; ref: string; specialist: string; facility: string }
  | { kind: 'password_reset'; link: string | null; minutes: number }
  | { kind: 'account_activation'; link: string; hours: number }
  | { kind: 'account_registration'; link: string; hours: number }
  | { kind: 'account_registration'; attempt: 'email' | 'identifier'; loginUrl: string }
  | { kind: 'staff_account_changed'; change: StaffChange; role: string; accountId: string; when: When }
  | { kind: 'deadline_escalated' | 'deadline_missed'; ref: string; facility: string; due: When }
  | { kind: 'supervision_opened' | 'supervision_closed'; facility: string; legalBasis: string }
  | { kind: 'expertise_deadline_escalated' | 'expertise_deadline_missed'; what: ExpertiseDeadlineKind; ref: string; facility: string; dueOn: string }
  | { kind: 'backup_failed'; what: 'backup' | 'restore_check'; reference: string; detail: string }
  | { kind: 'prophylaxis_due'; practice: string; gp: string; month: string; phone: string | null }
  | { kind: 'prophylaxis_worklist'; practice: string; month: string; count: number };

export interface RenderedText {
  /** E-mail subject; empty for SMS. */
  subject: string;
  text: string;
}

type Words = { subject: string; email: string; sms: readonly string[] };
// The message shapes whose kind admits K (some shapes serve two kinds, e.g. both reminders).
type Of<K extends NotificationKind> = NotificationMessage extends infer M ? (M extends { kind: infer MK } ? (K extends MK ? M : never) : never) : never;
type Entry<K extends NotificationKind> = (m: Of<K>, lang: Lang, name: (s: string) => string) => Words;

const CHANGE: Record<RequestChange, Record<Lang, string>> = {
  accept: { bg: 'е приета от специалиста', en: 'was accepted by the specialist' },
  decline: { bg: 'е отказана от специалиста', en: 'was declined by the specialist' },
  schedule: { bg: 'има определен час', en: 'has a confirmed time' },
  start: { bg: 'започна', en: 'has started' },
  complete: { bg: 'приключи', en: 'has ended' },
  document: { bg: 'е документирана', en: 'has been documented' },
  cancel: { bg: 'е отменена', en: 'was cancelled' },
  no_show: { bg: 'е отбелязана като неявяване', en: 'was marked as missed' },
  reschedule: { bg: 'е преместена за друг час', en: 'was moved to another time' },
};
const STAFF_CHANGE: Record<StaffChange, Record<Lang, string>> = {
  created: { bg: 'беше създаден (изпратена е връзка за активиране)', en: 'was created (an activation link was sent)' },
  activated: { bg: 'беше активиран от своя титуляр', en: 'was activated by its holder' },
  email_changed: { bg: 'получи нов имейл адрес (изпратена е нова връзка за активиране)', en: 'got a new e-mail address (a new activation link was sent)' },
  mfa_reset: { bg: 'загуби втория си фактор (изпратена е нова връзка за активиране)', en: 'had its second factor reset (a new activation link was sent)' },
};
const EXPERTISE: Record<ExpertiseDeadlineKind, Record<Lang, string>> = {
  retroactive_leave: { bg: 'болничен лист за минало време', en: 'retroactive sick leave' },
  duplicate_leave: { bg: 'дубликат на болничен лист', en: 'a sick-leave duplicate' },
  telk_protocol: { bg: 'подготовка на документите за ТЕЛК', en: 'the TELK document preparation' },
  dossier_return: { bg: 'връщане на заетото досие', en: 'the return of the lent dossier' },
};
const ROLE: Record<string, Record<Lang, string>> = {
  specialist: { bg: 'лекар', en: 'doctor' },
  facility_admin: { bg: 'администратор', en: 'administrator' },
  coordinator: { bg: 'координатор', en: 'coordinator' },
  supervisor: { bg: 'проверяващ', en: 'inspector' },
  operator: { bg: 'оператор', en: 'operator' },
};
const roleWord = (role: string, lang: Lang) => ROLE[role]?.[lang] ?? (lang === 'bg' ? 'служител' : 'staff member');
const at = (w: When | null, lang: Lang) => (w ? whenText(w.at, w.zone, lang) : '');
const atShort = (w: When | null, lang: Lang) => (w ? whenText(w.at, w.zone, lang, 'short') : '');

const CATALOGUE: { [K in NotificationKind]: Entry<K> } = {
  request_received: (m, lang, n) =>
    lang === 'bg'
      ? {
          subject: `Дистансия: заявка ${m.ref} е получена`,
          email: `Заявката ви ${m.ref} към ${m.facility}${m.when ? ` за ${at(m.when, lang)}` : ''} е получена. Специалистът ще я прегледа и ще ви уведомим за решението.`,
          sms: [`Заявка ${m.ref} към ${n(m.facility)}${m.when ? `, ${atShort(m.when, lang)}` : ''} е получена.`, `Заявка ${m.ref}${m.when ? `, ${atShort(m.when, lang)}` : ''} е получена.`],
        }
      : {
          subject: `Distansia: request ${m.ref} received`,
          email: `Your request ${m.ref} to ${m.facility}${m.when ? ` for ${at(m.when, lang)}` : ''} was received. The specialist will review it and we will tell you the decision.`,
          sms: [`Distansia: your request ${m.ref} to ${n(m.facility)}${m.when ? ` for ${atShort(m.when, lang)}` : ''} was received. We will tell you the specialist's decision.`, `Distansia: request ${m.ref}${m.when ? ` for ${atShort(m.when, lang)}` : ''} received.`],
        },
  request_new: (m, lang) =>
    lang === 'bg'
      ? { subject: `Дистансия: нова заявка ${m.ref}`, email: `Имате нова заявка ${m.ref}${m.when ? ` за ${at(m.when, lang)}` : ''}. Отворете работния списък в Дистансия.`, sms: [`Нова заявка ${m.ref}${m.when ? `, ${atShort(m.when, lang)}` : ''}. Вижте Дистансия.`] }
      : { subject: `Distansia: new request ${m.ref}`, email: `You have a new request ${m.ref}${m.when ? ` for ${at(m.when, lang)}` : ''}. Open your worklist in Distansia.`, sms: [`Distansia: new request ${m.ref}${m.when ? ` for ${atShort(m.when, lang)}` : ''}. Open your worklist.`] },
  request_changed: (m, lang, n) => {
    const what = CHANGE[m.change][lang];
    return lang === 'bg'
      ? {
          subject: `Дистансия: заявка ${m.ref} ${what}`,
          email: `Заявка ${m.ref} към ${m.facility}${m.when ? ` (${at(m.when, lang)})` : ''} ${what}. Подробности има в Дистансия.`,
          sms: [`Заявка ${m.ref}${m.when ? ` (${atShort(m.when, lang)})` : ''} ${what}.`, `Заявка ${m.ref} ${what}.`],
        }
      : {
          subject: `Distansia: request ${m.ref} ${what}`,
          email: `Request ${m.ref} to ${m.facility}${m.when ? ` (${at(m.when, lang)})` : ''} ${what}. See Distansia for details.`,
          sms: [`Distansia: request ${m.ref} to ${n(m.facility)}${m.when ? ` (${atShort(m.when, lang)})` : ''} ${what}.`, `Distansia: request ${m.ref} ${what}.`],
        };
  },
  reminder_24h: (m, lang, n) => reminder(m, lang, n, lang === 'bg' ? 'утре' : 'tomorrow'),
  reminder_1h: (m, lang, n) => reminder(m, lang, n, lang === 'bg' ? 'след един час' : 'in one hour'),
  emergency_alert: (m, lang) =>
    lang === 'bg'
      ? { subject: `СПЕШНО: консултация ${m.ref} от ${m.fromFacility}`, email: `Спешна консултация ${m.ref} от ${m.fromFacility} очаква потвърждение. Отворете Дистансия веднага.`, sms: [`СПЕШНО: консултация ${m.ref} чака потвърждение. Отворете Дистансия.`] }
      : { subject: `URGENT: consultation ${m.ref} from ${m.fromFacility}`, email: `Emergency consultation ${m.ref} from ${m.fromFacility} awaits your acknowledgement. Open Distansia now.`, sms: [`URGENT: emergency consultation ${m.ref} awaits your acknowledgement. Open Distansia now.`] },
  emergency_accepted: (m, lang, n) =>
    lang === 'bg'
      ? { subject: `Дистансия: спешната консултация ${m.ref} е поета`, email: `${m.specialist} (${m.facility}) пое спешната консултация ${m.ref}.`, sms: [`Спешната консултация ${m.ref} е поета от ${n(m.specialist)}.`, `Спешната консултация ${m.ref} е поета.`] }
      : { subject: `Distansia: emergency consultation ${m.ref} accepted`, email: `${m.specialist} (${m.facility}) accepted emergency consultation ${m.ref}.`, sms: [`Distansia: ${n(m.specialist)} accepted emergency consultation ${m.ref}.`, `Distansia: emergency consultation ${m.ref} accepted.`] },
  password_reset: (m, lang) => {
    if (!m.link)
      return lang === 'bg'
        ? { subject: 'Distansia: смяна на паролата', email: 'Поискана е смяна на паролата на вашия профил, но той няма настроен втори фактор, затова паролата не може да се смени по имейл. Помолете администратора на лечебното заведение за нова връзка за активиране. Ако не сте поискали смяна, не правете нищо.', sms: ['Паролата не може да се смени без втори фактор. Питайте администратора.'] }
        : { subject: 'Distansia: password reset', email: 'A password reset was asked for your account, but it has no second factor, so its password cannot be reset by e-mail. Ask your facility administrator for a new activation link. If you did not ask for this, do nothing.', sms: ['Distansia: your password cannot be reset without a second factor. Ask your facility administrator.'] };
    return lang === 'bg'
      ? { subject: 'Distansia: смяна на паролата', email: `За да смените паролата си, отворете ${m.link} до ${m.minutes} минути. Ще ви трябва и код от приложението за удостоверяване. Ако не сте поискали смяна, не правете нищо.`, sms: [`Смяна на паролата до ${m.minutes} мин: ${m.link}`] }
      : { subject: 'Distansia: password reset', email: `To reset your password, open ${m.link} within ${m.minutes} minutes. You will also need a code from your authenticator app. If you did not ask for this, do nothing.`, sms: [`Distansia password reset, within ${m.minutes} minutes: ${m.link}`] };
  },
  account_activation: (m, lang) =>
    lang === 'bg'
      ? { subject: 'Distansia: активиране на профила', email: `Отворете ${m.link} до ${m.hours} часа, задайте своя парола и свържете приложение за удостоверяване (напр. Google Authenticator, Aegis). Връзката може да се ползва веднъж. Никой от лечебното заведение няма да ви поиска паролата.`, sms: [`Активиране до ${m.hours} ч: ${m.link}`] }
      : { subject: 'Distansia: account activation', email: `Open ${m.link} within ${m.hours} hours, choose your own password and link an authenticator app. The link works once. Nobody at the facility will ever ask you for your password.`, sms: [`Distansia account activation, within ${m.hours} hours: ${m.link}`] },
  account_registration: (m, lang) => {
    if ('attempt' in m) {
      const what = m.attempt === 'email' ? { bg: 'вашия имейл адрес', en: 'your e-mail address' } : { bg: 'вашето ЕГН/ЛНЧ', en: 'your personal number' };
      return lang === 'bg'
        ? { subject: 'Distansia: опит за регистрация', email: `Някой се опита да създаде профил в Distansia с ${what.bg}, но вие вече имате профил. Ако сте били вие, влезте от ${m.loginUrl} или сменете паролата си от „Забравена парола“. Ако не сте били вие, не правете нищо: нов профил не е създаден.`, sms: ['Опит за регистрация с вашите данни. Нов профил не е създаден.'] }
        : { subject: 'Distansia: registration attempt', email: `Someone tried to create a Distansia account with ${what.en}, but you already have one. If it was you, sign in at ${m.loginUrl} or use "Forgotten password". If it was not you, do nothing: no account was created.`, sms: ['Distansia: someone tried to register with your details. No account was created.'] };
    }
    return lang === 'bg'
      ? { subject: 'Distansia: потвърдете имейла си', email: `Благодарим, че се регистрирахте в Distansia. Отворете ${m.link} до ${m.hours} часа, за да потвърдите имейла си; след това ще свържете приложение за удостоверяване (втори фактор). Ако не сте се регистрирали, не правете нищо.`, sms: [`Потвърдете до ${m.hours} ч: ${m.link}`] }
      : { subject: 'Distansia: confirm your e-mail', email: `Thank you for registering with Distansia. Open ${m.link} within ${m.hours} hours to confirm your e-mail; you will then link an authenticator app (second factor). If you did not register, do nothing.`, sms: [`Distansia: confirm your e-mail within ${m.hours} hours: ${m.link}`] };
  },
  staff_account_changed: (m, lang) => {
    const what = STAFF_CHANGE[m.change][lang];
    return lang === 'bg'
      ? { subject: 'Distansia: промяна в профил на служител', email: `Профилът на ${roleWord(m.role, lang)} от вашето лечебно заведение (номер ${m.accountId}) ${what} на ${at(m.when, lang)}. Ако не го очаквате, проверете одитния журнал и страницата „Служители“.`, sms: ['Промяна в профил на служител. Вижте „Служители“ в Дистансия.'] }
      : { subject: 'Distansia: staff account change', email: `The account of a ${roleWord(m.role, lang)} of your facility (number ${m.accountId}) ${what} on ${at(m.when, lang)}. If you did not expect this, check the audit trail and the Staff page.`, sms: ['Distansia: a staff account of your facility changed. See the Staff page.'] };
  },
  deadline_escalated: (m, lang) =>
    lang === 'bg'
      ? { subject: `Дистансия: срокът за документиране на услуга ${m.ref} изтича (${at(m.due, lang)})`, email: `80% от срока по чл. 17 за документиране на услуга ${m.ref} в ${m.facility} изтече; срокът е ${at(m.due, lang)}. Вижте сигналите в Дистансия.`, sms: [`Услуга ${m.ref}: срокът за документиране е ${atShort(m.due, lang)}.`] }
      : { subject: `Distansia: documentation of service ${m.ref} is due ${at(m.due, lang)}`, email: `80% of the Art. 17 documentation time of service ${m.ref} at ${m.facility} has passed; it is due ${at(m.due, lang)}. See the alerts in Distansia.`, sms: [`Distansia: documentation of service ${m.ref} is due ${atShort(m.due, lang)}.`] },
  deadline_missed: (m, lang) =>
    lang === 'bg'
      ? { subject: `Дистансия: пропуснат срок за документиране на услуга ${m.ref}`, email: `Срокът по чл. 17 за документиране на услуга ${m.ref} в ${m.facility} (${at(m.due, lang)}) е пропуснат. Вижте сигналите в Дистансия.`, sms: [`Услуга ${m.ref}: пропуснат срок за документиране.`] }
      : { subject: `Distansia: documentation deadline of service ${m.ref} missed`, email: `The Art. 17 documentation deadline of service ${m.ref} at ${m.facility} (${at(m.due, lang)}) was missed. See the alerts in Distansia.`, sms: [`Distansia: the documentation deadline of service ${m.ref} was missed.`] },
  supervision_opened: (m, lang, n) =>
    lang === 'bg'
      ? { subject: `Дистансия: проверка на ИАМН в ${m.facility}`, email: `Изпълнителна агенция „Медицински надзор“ откри проверка (${m.legalBasis}) на ${m.facility}. Докато е открита, проверяващият вижда данните, записани от ${m.facility}; всеки достъп се вижда в „Кой е видял данните ми“.`, sms: ['ИАМН откри проверка. Вижте „Кой е видял данните ми“.'] }
      : { subject: `Distansia: inspection of ${m.facility}`, email: `The Executive Agency "Medical Supervision" opened an inspection (${m.legalBasis}) of ${m.facility}. While it is open the inspector sees the data ${m.facility} recorded, and every access shows in "Who accessed my data".`, sms: [`Distansia: the Medical Supervision agency opened an inspection of ${n(m.facility)}.`, 'Distansia: the Medical Supervision agency opened an inspection.'] },
  supervision_closed: (m, lang, n) =>
    lang === 'bg'
      ? { subject: `Дистансия: приключена проверка на ИАМН в ${m.facility}`, email: `Проверката (${m.legalBasis}) на ${m.facility} е приключена; данните вече не са достъпни за проверяващия.`, sms: ['Проверката на ИАМН е приключена.'] }
      : { subject: `Distansia: inspection of ${m.facility} closed`, email: `The inspection (${m.legalBasis}) of ${m.facility} is closed; the inspector no longer sees the data.`, sms: [`Distansia: the inspection of ${n(m.facility)} is closed.`, 'Distansia: the inspection is closed.'] },
  expertise_deadline_escalated: (m, lang) => {
    const what = EXPERTISE[m.what][lang];
    return lang === 'bg'
      ? { subject: `Дистансия: срокът за ${what} изтича на ${dayText(m.dueOn, lang)} (${m.ref})`, email: `Срокът за ${what} в ${m.facility} (${m.ref}) изтича на ${dayText(m.dueOn, lang)}. Вижте сроковете за експертизи в Дистансия.`, sms: [`Срокът за ${what} (${m.ref}) изтича на ${dayText(m.dueOn, lang, 'short')}.`, `Срок ${m.ref} изтича на ${dayText(m.dueOn, lang, 'short')}.`] }
      : { subject: `Distansia: the deadline for ${what} is ${dayText(m.dueOn, lang)} (${m.ref})`, email: `The deadline for ${what} at ${m.facility} (${m.ref}) is ${dayText(m.dueOn, lang)}. See the expertise deadlines in Distansia.`, sms: [`Distansia: the deadline for ${what} (${m.ref}) is ${dayText(m.dueOn, lang, 'short')}.`] };
  },
  expertise_deadline_missed: (m, lang) => {
    const what = EXPERTISE[m.what][lang];
    return lang === 'bg'
      ? { subject: `Дистансия: пропуснат срок за ${what} (${m.ref})`, email: `Срокът за ${what} в ${m.facility} (${m.ref}) изтече на ${dayText(m.dueOn, lang)}. Вижте сроковете за експертизи в Дистансия.`, sms: [`Пропуснат срок за ${what} (${m.ref}).`, `Пропуснат срок ${m.ref}.`] }
      : { subject: `Distansia: the deadline for ${what} was missed (${m.ref})`, email: `The deadline for ${what} at ${m.facility} (${m.ref}) passed on ${dayText(m.dueOn, lang)}. See the expertise deadlines in Distansia.`, sms: [`Distansia: the deadline for ${what} (${m.ref}) was missed.`] };
  },
  backup_failed: (m, lang) => {
    const what = m.what === 'backup' ? { bg: 'Резервното копие', en: 'Backup' } : { bg: 'Проверката за възстановяване на копие', en: 'The restore check of backup' };
    return lang === 'bg'
      ? { subject: `Distansia: ${what.bg.toLowerCase()} ${m.reference} не е успешно`, email: `${what.bg} ${m.reference} не е успешно.\n${m.detail}\nВижте страницата „Резервни копия“ на оператора.`, sms: ['Резервното копие не е успешно. Вижте „Резервни копия“.'] }
      : { subject: `Distansia: ${what.en.toLowerCase()} ${m.reference} failed`, email: `${what.en} ${m.reference} failed.\n${m.detail}\nSee the operator's Backups page.`, sms: [`Distansia: ${what.en.toLowerCase()} ${m.reference} failed. See the Backups page.`] };
  },
  prophylaxis_due: (m, lang, n) =>
    lang === 'bg'
      ? {
          subject: `Дистансия: време е за профилактичния ви преглед (${monthText(m.month, lang)})`,
          email: `През ${monthText(m.month, lang)} ви предстои профилактичен преглед при личния ви лекар ${m.gp}, ${m.practice}. Профилактичните прегледи по НЗОК са безплатни за вас. Запазете час${m.phone ? ` на ${m.phone}` : ''} или през Дистансия.`,
          sms: [`Време е за профилактичен преглед при ${n(m.gp)}.${m.phone ? ` Тел. ${m.phone}` : ''}`, `Време е за профилактичния ви преглед.${m.phone ? ` Тел. ${m.phone}` : ''}`, 'Време е за профилактичния ви преглед.'],
        }
      : {
          subject: `Distansia: your preventive check-up is due (${monthText(m.month, lang)})`,
          email: `Your preventive check-up with your GP ${m.gp}, ${m.practice}, is due in ${monthText(m.month, lang)}. NHIF preventive check-ups are free for you. Book a time${m.phone ? ` on ${m.phone}` : ''} or in Distansia.`,
          sms: [`Distansia: your preventive check-up with ${n(m.gp)}, ${n(m.practice)}, is due this month. Book${m.phone ? ` on ${m.phone}` : ' in Distansia'}.`, `Distansia: your preventive check-up with your GP is due this month.${m.phone ? ` Book on ${m.phone}.` : ''}`],
        },
  prophylaxis_worklist: (m, lang) =>
    lang === 'bg'
      ? { subject: `Дистансия: ${m.count} ${m.count === 1 ? 'пациент' : 'пациенти'} за профилактика през ${monthText(m.month, lang)}`, email: `${m.count} ${m.count === 1 ? 'пациент' : 'пациенти'} от листата на ${m.practice} ${m.count === 1 ? 'има' : 'имат'} профилактичен преглед през ${monthText(m.month, lang)}; ${m.count === 1 ? 'поканен е' : 'поканени са'}. Списъкът е в Дистансия, „Профилактика“.`, sms: [`${m.count} за профилактика през ${monthText(m.month, lang)}. Вижте „Профилактика“.`] }
      : { subject: `Distansia: ${m.count} ${m.count === 1 ? 'patient' : 'patients'} due a preventive check-up in ${monthText(m.month, lang)}`, email: `${m.count} ${m.count === 1 ? 'patient' : 'patients'} on the list of ${m.practice} ${m.count === 1 ? 'is' : 'are'} due a preventive check-up in ${monthText(m.month, lang)} and ${m.count === 1 ? 'has' : 'have'} been invited. The list is in Distansia, Prevention.`, sms: [`Distansia: ${m.count} of your patients are due a preventive check-up in ${monthText(m.month, lang)}. See Prevention.`] },
};

function reminder(m: Of<'reminder_24h'>, lang: Lang, n: (s: string) => string, when: string): Words {
  return lang === 'bg'
    ? {
        subject: `Дистансия: напомняне за ${at(m.when, lang)}`,
        email: `Напомняне: консултацията ви ${m.ref} при ${m.facility} е ${when}, ${at(m.when, lang)}. Влезте в Дистансия няколко минути по-рано.`,
        sms: [`Консултация ${m.ref} при ${n(m.facility)}: ${when}, ${atShort(m.when, lang)}`, `Консултация ${m.ref}: ${when}, ${atShort(m.when, lang)}`],
      }
    : {
        subject: `Distansia: reminder for ${at(m.when, lang)}`,
        email: `Reminder: your consultation ${m.ref} at ${m.facility} is ${when}, ${at(m.when, lang)}. Sign in to Distansia a few minutes early.`,
        sms: [`Distansia reminder: your consultation ${m.ref} at ${n(m.facility)} is ${when}, ${atShort(m.when, lang)}.`, `Distansia reminder: consultation ${m.ref} ${when}, ${atShort(m.when, lang)}.`],
      };
}

/**
 * Words a notification for one channel and language. SMS in English name Bulgarian places in Latin letters
 * (GSM-7); SMS take the fullest text that fits one segment.
 * @returns subject (e-mail only) and text
 */
export function renderNotification(message: NotificationMessage, channel: Channel, lang: Lang): RenderedText {
  const name = channel === 'sms' && lang === 'en' ? transliterate : (s: string) => s;
  const words = (CATALOGUE[message.kind] as Entry<NotificationKind>)(message as Of<NotificationKind>, lang, name);
  if (channel === 'email') return { subject: words.subject, text: words.email };
  return { subject: '', text: fitSms(lang === 'en' ? words.sms.map(transliterate) : words.sms) };
}
