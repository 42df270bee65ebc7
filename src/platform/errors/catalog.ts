/**
 * The one code → HTTP status table (STYLE C4). Every domain error code lives here; `satisfies` makes
 * the build fail if a code lacks a status or a bilingual title. Titles are shown to users, so each has
 * Bulgarian and English text; `detail` on a problem is for the specific case.
 */
export const errorCatalog = {
  /** The request body, query or params did not match the contract. */
  'request.invalid': { status: 400, title: { en: 'Request is invalid', bg: 'Невалидна заявка' } },
  /** No valid session or credentials. */
  'auth.unauthenticated': { status: 401, title: { en: 'Authentication required', bg: 'Необходимо е влизане в системата' } },
  /** The actor may not do this (deny by default). */
  'auth.forbidden': { status: 403, title: { en: 'Not allowed', bg: 'Нямате права за това действие' } },
  /** The resource does not exist, or the actor may not know that it exists. */
  'resource.not_found': { status: 404, title: { en: 'Not found', bg: 'Не е намерено' } },
  /** Identity: unknown e-mail or wrong password (deliberately the same answer for both). */
  'auth.invalid_credentials': { status: 401, title: { en: 'E-mail or password is wrong', bg: 'Грешен имейл или парола' } },
  /** Identity: too many failed attempts; the account is locked for a while (Retry-After). */
  'auth.locked': { status: 429, title: { en: 'Too many failed attempts; try again later', bg: 'Твърде много неуспешни опити; опитайте отново по-късно' } },
  /** Identity: the second-factor code is wrong or was already used. */
  'auth.mfa_invalid': { status: 401, title: { en: 'The code is not valid', bg: 'Кодът не е валиден' } },
  /** Identity: the MFA or enrolment token is unknown, expired or already used; sign in again. */
  'auth.mfa_expired': { status: 401, title: { en: 'The sign-in step has expired; sign in again', bg: 'Стъпката за вход е изтекла; влезте отново' } },
  /** Identity: the account has no second factor yet and must enrol one first. */
  'auth.mfa_enrolment_required': { status: 403, title: { en: 'Set up two-factor authentication first', bg: 'Първо настройте двуфакторно удостоверяване' } },
  /** Identity: a cookie-authenticated write came without a matching CSRF token. */
  'auth.csrf': { status: 403, title: { en: 'The request could not be verified; reload the page', bg: 'Заявката не може да бъде потвърдена; презаредете страницата' } },
  /** Identity: staff roles may act only from the facility networks (Art. 28(1)-(2)). */
  'auth.network_denied': { status: 403, title: { en: 'Access is allowed only from the facility network', bg: 'Достъпът е разрешен само от мрежата на лечебното заведение' } },
  /** Identity: the new password breaks the password policy. */
  'password.too_weak': { status: 422, title: { en: 'The password is too weak', bg: 'Паролата е твърде слаба' } },
  /** Access: no account has the e-mail given for a grant or representative link. */
  'access.account_not_found': { status: 422, title: { en: 'No account uses this e-mail address', bg: 'Няма профил с този имейл адрес' } },
  /** Access: the account's role cannot receive this access (e.g. a grant to the platform operator). */
  'access.account_not_eligible': { status: 422, title: { en: 'This account cannot be given this access', bg: 'На този профил не може да бъде даден такъв достъп' } },
  /** A unique value is already taken. */
  'resource.conflict': { status: 409, title: { en: 'Conflicts with existing data', bg: 'Конфликт със съществуващи данни' } },
  /** The requested slot was booked by someone else first. */
  'appointment.slot_taken': { status: 409, title: { en: 'That time is no longer available', bg: 'Този час вече е зает' } },
  /** The status change is not allowed from the current status. */
  'state.bad_transition': { status: 409, title: { en: 'This action is not possible in the current state', bg: 'Действието не е възможно в текущото състояние' } },
  /** Optimistic lock failed: someone else changed the resource. */
  'resource.version_mismatch': { status: 412, title: { en: 'Resource was changed by someone else', bg: 'Ресурсът е променен от друг потребител' } },
  /** Payload too large. */
  'request.too_large': { status: 413, title: { en: 'The upload is too large', bg: 'Файлът е твърде голям' } },
  /** A domain rule refused an otherwise well-formed request. */
  'rule.violated': { status: 422, title: { en: 'The request breaks a rule', bg: 'Заявката нарушава правило' } },
  /** Too many requests from this client or for this account. */
  'rate.limited': { status: 429, title: { en: 'Too many requests', bg: 'Твърде много опити' } },
  /** The database or another dependency is not available. */
  'dependency.unavailable': { status: 503, title: { en: 'A dependency is unavailable', bg: 'Услугата временно не е достъпна' } },
  /** Anything unexpected; the detail is always generic. */
  internal: { status: 500, title: { en: 'Internal error', bg: 'Вътрешна грешка' } },
} as const satisfies Record<string, { status: number; title: { en: string; bg: string } }>;

export type ErrorCode = keyof typeof errorCatalog;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalog, code);
}
