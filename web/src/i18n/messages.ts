/**
 * The message catalogue: every string the user sees, in Bulgarian (the default) and English.
 *
 * Keys are flat and dotted by screen (`home.*`, `status.*`). Bulgarian is the source of truth for the
 * key set; `en` is typed against it, so a missing or extra key fails the build. Placeholders are written
 * `{name}` and filled by `t(key, { name })`.
 */

/** Languages the interface is offered in, Bulgarian first. */
export const languages = ['bg', 'en'] as const;
export type Language = (typeof languages)[number];

/** Bulgarian is the language of the service; English is offered for foreigners and visiting staff. */
export const defaultLanguage: Language = 'bg';

/** BCP 47 locales for `Intl` formatting, per interface language. */
export const locales: Record<Language, string> = { bg: 'bg-BG', en: 'en-GB' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

const bg = {
  'app.name': 'Distansia',
  'app.tagline': 'Медицинска помощ от разстояние',

  'language.label': 'Език',
  'language.bg': 'Български',
  'language.en': 'English',

  'layout.skipToContent': 'Към основното съдържание',
  'layout.nav.label': 'Основна навигация',
  'layout.nav.home': 'Начало',
  'layout.nav.status': 'Състояние на системата',
  'layout.nav.apiDocs': 'API документация',
  'layout.footer.emergency': 'При спешно състояние се обадете на 112.',
  'layout.footer.licence': 'Софтуер с отворен код под лиценз AGPL-3.0-or-later.',

  'home.title': 'Медицинска помощ от разстояние',
  'home.lead':
    'Distansia е платформа с отворен код, чрез която лечебните заведения в България оказват медицинска помощ от разстояние – видеоконсултации, заявки и медицинска документация – по правилата на Наредбата за медицинска помощ от разстояние.',
  'home.draftNote':
    'Наредбата все още е проект. Distansia следва публикувания текст и ще бъде съобразена с окончателната редакция.',
  'home.emergency.title': 'Само за планова помощ',
  'home.emergency.body':
    'Пациентите заявяват чрез Distansia планова медицинска помощ. При спешно състояние се обадете на 112.',
  'home.audiences.title': 'За кого е Distansia',
  'home.patients.title': 'Пациенти',
  'home.patients.body':
    'Заявяват планова консултация със специалист, дават писмено информирано съгласие по електронен път и сами решават дали разговорът да бъде записан. Резултатите се вписват в Националната здравноинформационна система.',
  'home.specialists.title': 'Медицински специалисти',
  'home.specialists.body':
    'Преценяват дали всяка заявка е допустима от разстояние, проверяват самоличността на пациента преди всяка услуга, провеждат защитена видеоконсултация и подписват амбулаторния лист в срок.',
  'home.facilities.title': 'Лечебни заведения',
  'home.facilities.body':
    'Публикуват услугите и графиците си за помощ от разстояние, управляват специалистите и текстовете на съгласията и държат ключовете, с които са шифровани данните на пациентите им.',
  'home.supervisor.title': 'Контролен орган',
  'home.supervisor.body':
    'Изпълнителна агенция „Медицински надзор“ контролира медицинската помощ от разстояние. Всяко действие с данни на пациенти оставя запис в журнал, чиято цялост може да бъде проверена.',
  'home.principles.title': 'Как Distansia пази пациентите',
  'home.security.title': 'Сигурност',
  'home.security.body':
    'Вход с втори фактор за всеки, който има достъп до здравни данни, шифроване с ключовете на лечебното заведение и работа в неговата мрежа.',
  'home.quality.title': 'Качество на връзката',
  'home.quality.body':
    'Закъснението в мрежата (до 150 ms) и синхронът между звук и образ (до 50 ms) се измерват при всеки разговор.',
  'home.transparency.title': 'Прозрачност',
  'home.transparency.body':
    'Изходният код е отворен, а журналът на действията само се допълва и е защитен с верига от хешове.',
  'home.more.title': 'За администратори и разработчици',
  'home.more.status': 'Състояние на системата',
  'home.more.statusBody': 'Проверете дали сървърът и базата данни работят.',
  'home.more.api': 'API документация',
  'home.more.apiBody': 'Разгледайте отворения програмен интерфейс (OpenAPI).',

  'status.title': 'Състояние на системата',
  'status.intro': 'Страницата проверява дали сървърът е готов да обслужва заявки.',
  'status.checking': 'Проверка…',
  'status.overall.ok': 'Системата работи',
  'status.overall.unavailable': 'Системата временно не е достъпна',
  'status.checks.caption': 'Проверки',
  'status.checks.component': 'Компонент',
  'status.checks.state': 'Състояние',
  'status.database': 'База данни',
  'status.database.ok': 'Работи',
  'status.database.down': 'Недостъпна',
  'status.migrations': 'Миграции на базата данни',
  'status.migrations.ok': 'Приложени',
  'status.migrations.pending': 'Има неприложени',
  'status.checkedAt': 'Последна проверка: {time}',
  'status.refresh': 'Провери отново',

  'notFound.title': 'Страницата не е намерена',
  'notFound.body': 'Адресът може да е грешен или страницата да е преместена.',
  'notFound.home': 'Към началната страница',

  'error.title': 'Нещо се обърка',
  'error.body': 'Страницата не успя да се покаже. Презаредете я или опитайте отново по-късно.',
  'error.reload': 'Презареди страницата',

  'problem.reference': 'Код за справка: {instance}',
  // One message per server error code (src/platform/errors/catalog.ts), chosen by `problem.code`.
  'problem.request.invalid': 'Някои от данните са невалидни. Проверете отбелязаните полета.',
  'problem.auth.unauthenticated': 'Трябва да влезете в системата.',
  'problem.auth.forbidden': 'Нямате права за това действие.',
  'problem.resource.not_found': 'Търсеното не беше намерено.',
  'problem.resource.conflict': 'Данните са в конфликт със съществуващ запис.',
  'problem.auth.invalid_credentials': 'Грешен имейл или парола.',
  'problem.auth.locked': 'Твърде много неуспешни опити. Опитайте отново по-късно.',
  'problem.auth.mfa_invalid': 'Кодът не е валиден.',
  'problem.auth.mfa_expired': 'Стъпката за вход е изтекла. Влезте отново.',
  'problem.auth.mfa_enrolment_required': 'Първо настройте двуфакторно удостоверяване.',
  'problem.auth.csrf': 'Заявката не може да бъде потвърдена. Презаредете страницата.',
  'problem.auth.network_denied': 'Достъпът е разрешен само от мрежата на лечебното заведение.',
  'problem.password.too_weak': 'Паролата е твърде слаба.',
  'problem.access.account_not_found': 'Няма профил с този имейл адрес.',
  'problem.access.account_not_eligible': 'На този профил не може да бъде даден такъв достъп.',
  'problem.appointment.slot_taken': 'Този час току-що беше зает. Моля, изберете друг.',
  'problem.state.bad_transition': 'Действието не е възможно в текущото състояние.',
  'problem.resource.version_mismatch': 'Някой друг промени данните междувременно. Презаредете и опитайте отново.',
  'problem.request.too_large': 'Файлът е твърде голям.',
  'problem.rule.violated': 'Заявката нарушава правило на системата.',
  'problem.rate.limited': 'Твърде много опити. Изчакайте малко и опитайте отново.',
  'problem.dependency.unavailable': 'Услугата временно не е достъпна. Опитайте отново след малко.',
  'problem.internal': 'Възникна неочаквана грешка. Опитайте отново по-късно.',
  // Codes the web client itself assigns when there is no problem document from the server.
  'problem.network.unreachable': 'Няма връзка със сървъра. Проверете интернет връзката си.',
  'problem.response.invalid': 'Сървърът върна неочакван отговор.',
};

export type MessageKey = keyof typeof bg;

const en: Record<MessageKey, string> = {
  'app.name': 'Distansia',
  'app.tagline': 'Medical care at a distance',

  'language.label': 'Language',
  'language.bg': 'Български',
  'language.en': 'English',

  'layout.skipToContent': 'Skip to main content',
  'layout.nav.label': 'Main navigation',
  'layout.nav.home': 'Home',
  'layout.nav.status': 'System status',
  'layout.nav.apiDocs': 'API reference',
  'layout.footer.emergency': 'In an emergency, call 112.',
  'layout.footer.licence': 'Open-source software under the AGPL-3.0-or-later licence.',

  'home.title': 'Medical care at a distance',
  'home.lead':
    'Distansia is an open-source platform through which healthcare facilities in Bulgaria provide medical care at a distance – video consultations, requests and medical records – under the rules of the Ordinance on medical care at a distance.',
  'home.draftNote':
    'The ordinance is still a draft. Distansia follows the published text and will be aligned with the final version.',
  'home.emergency.title': 'For planned care only',
  'home.emergency.body': 'Patients use Distansia to request planned medical care. In an emergency, call 112.',
  'home.audiences.title': 'Who Distansia is for',
  'home.patients.title': 'Patients',
  'home.patients.body':
    'Request a planned consultation with a specialist, give written informed consent electronically and decide for themselves whether the call may be recorded. Results are entered in the National Health Information System.',
  'home.specialists.title': 'Medical specialists',
  'home.specialists.body':
    'Decide whether each request can be handled at a distance, verify the patient’s identity before every service, hold a secure video consultation and sign the ambulatory sheet on time.',
  'home.facilities.title': 'Healthcare facilities',
  'home.facilities.body':
    'Publish their remote-care services and schedules, manage their specialists and consent texts, and hold the keys that encrypt their patients’ data.',
  'home.supervisor.title': 'Supervisory authority',
  'home.supervisor.body':
    'The Executive Agency “Medical Supervision” oversees medical care at a distance. Every action on patient data leaves an entry in a log whose integrity can be verified.',
  'home.principles.title': 'How Distansia protects patients',
  'home.security.title': 'Security',
  'home.security.body':
    'Second-factor sign-in for everyone with access to health data, encryption with the facility’s own keys, and operation inside the facility’s network.',
  'home.quality.title': 'Call quality',
  'home.quality.body': 'Network latency (up to 150 ms) and audio–video sync (up to 50 ms) are measured on every call.',
  'home.transparency.title': 'Transparency',
  'home.transparency.body': 'The source code is open, and the activity log is append-only and protected by a hash chain.',
  'home.more.title': 'For administrators and developers',
  'home.more.status': 'System status',
  'home.more.statusBody': 'Check that the server and the database are working.',
  'home.more.api': 'API reference',
  'home.more.apiBody': 'Browse the open programming interface (OpenAPI).',

  'status.title': 'System status',
  'status.intro': 'This page checks whether the server is ready to handle requests.',
  'status.checking': 'Checking…',
  'status.overall.ok': 'The system is operational',
  'status.overall.unavailable': 'The system is temporarily unavailable',
  'status.checks.caption': 'Checks',
  'status.checks.component': 'Component',
  'status.checks.state': 'State',
  'status.database': 'Database',
  'status.database.ok': 'Working',
  'status.database.down': 'Unavailable',
  'status.migrations': 'Database migrations',
  'status.migrations.ok': 'Applied',
  'status.migrations.pending': 'Some pending',
  'status.checkedAt': 'Last checked: {time}',
  'status.refresh': 'Check again',

  'notFound.title': 'Page not found',
  'notFound.body': 'The address may be wrong, or the page may have moved.',
  'notFound.home': 'Go to the home page',

  'error.title': 'Something went wrong',
  'error.body': 'The page could not be displayed. Reload it or try again later.',
  'error.reload': 'Reload the page',

  'problem.reference': 'Reference: {instance}',
  'problem.request.invalid': 'Some of the data is invalid. Check the highlighted fields.',
  'problem.auth.unauthenticated': 'You need to sign in.',
  'problem.auth.forbidden': 'You are not allowed to do this.',
  'problem.resource.not_found': 'What you are looking for was not found.',
  'problem.resource.conflict': 'This conflicts with an existing record.',
  'problem.auth.invalid_credentials': 'The e-mail or password is wrong.',
  'problem.auth.locked': 'Too many failed attempts. Try again later.',
  'problem.auth.mfa_invalid': 'The code is not valid.',
  'problem.auth.mfa_expired': 'The sign-in step has expired. Sign in again.',
  'problem.auth.mfa_enrolment_required': 'Set up two-factor authentication first.',
  'problem.auth.csrf': 'The request could not be verified. Reload the page.',
  'problem.auth.network_denied': 'Access is allowed only from the facility network.',
  'problem.password.too_weak': 'The password is too weak.',
  'problem.access.account_not_found': 'No account uses this e-mail address.',
  'problem.access.account_not_eligible': 'This account cannot be given this access.',
  'problem.appointment.slot_taken': 'That time has just been taken. Please choose another.',
  'problem.state.bad_transition': 'This action is not possible in the current state.',
  'problem.resource.version_mismatch': 'Someone else changed this in the meantime. Reload and try again.',
  'problem.request.too_large': 'The file is too large.',
  'problem.rule.violated': 'The request breaks a rule of the system.',
  'problem.rate.limited': 'Too many attempts. Wait a moment and try again.',
  'problem.dependency.unavailable': 'The service is temporarily unavailable. Try again shortly.',
  'problem.internal': 'Something went wrong on our side. Try again later.',
  'problem.network.unreachable': 'Cannot reach the server. Check your internet connection.',
  'problem.response.invalid': 'The server sent an unexpected response.',
};

export const messages: Record<Language, Record<MessageKey, string>> = { bg, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(bg, key);
}

/** Fills `{name}` placeholders; an unknown placeholder is left as written so the gap is visible. */
export function formatMessage(template: string, vars?: Readonly<Record<string, string | number>>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}
