/**
 * The whole message catalogue: every string the user sees, in Bulgarian (the default) and English.
 *
 * Keys are flat and dotted by screen (`home.*`, `status.*`). Bulgarian is the source of truth for the
 * key set; `en` is typed against it, so a missing or extra key fails the build. Placeholders are written
 * `{name}` and filled by `t(key, { name })`.
 */
import { requestsMessages } from '../features/requests/messages.js';
import { authSecurityMessages } from '../features/auth/messages.js';
import { recordsMessages } from '../features/records/messages.js';
import { registryAdminMessages } from '../features/registry-admin/messages.js';
import { healthRecordMessages } from '../features/health-record/messages.js';
import { complianceMessages } from '../features/compliance/messages.js';
import { gpMessages } from '../features/gp/messages.js';
import { gpDeskMessages } from '../features/gp/desk-messages.js';
import { sickLeaveMessages } from '../features/sick-leave/messages.js';
import { sickLeaveExpertiseMessages } from '../features/sick-leave/messages-expertise.js';
import { sickLeaveNoticeMessages } from '../features/sick-leave/messages-notices.js';
import { insuranceMessages } from '../features/insurance/messages.js';
import { practiceMessages } from '../features/practice/messages.js';
import { personalDataMessages } from '../features/practice/personal-data-messages.js';
import { referralsMessages } from '../features/referrals/messages.js';
import { referralIssueMessages } from '../features/referrals/issue-messages.js';
import { staffAdminMessages } from '../features/staff-admin/messages.js';
import { uiMessages } from '../components/messages.js';
import { accessLogMessages } from '../features/access-log/messages.js';
import { registrationMessages } from '../features/registration/messages.js';
import { bookingMessages } from '../features/requests/booking-messages.js';
import { opsMessages } from '../features/ops/messages.js';
import { coreBg, coreEn } from './core-messages.js';
import { shellBg } from './shell-messages.js';
import { shellEn } from './shell-messages-en.js';
import type { Language } from './catalogue.js';

/*
 * Features keep their own strings beside their code (see `define-messages.ts`): to add one, import its
 * catalogue here and spread it into both languages.
 */
const bg = {
  ...shellBg,
  ...coreBg,
  ...healthRecordMessages.bg,
  ...complianceMessages.bg,
  ...authSecurityMessages.bg,
  ...requestsMessages.bg,
  ...recordsMessages.bg,
  ...registryAdminMessages.bg,
  ...staffAdminMessages.bg,
  ...gpMessages.bg,
  ...gpDeskMessages.bg,
  ...sickLeaveMessages.bg,
  ...sickLeaveExpertiseMessages.bg,
  ...sickLeaveNoticeMessages.bg,
  ...insuranceMessages.bg,
  ...uiMessages.bg,
  ...accessLogMessages.bg,
  ...practiceMessages.bg,
  ...personalDataMessages.bg,
  ...registrationMessages.bg,
  ...bookingMessages.bg,
  ...referralsMessages.bg,
  ...opsMessages.bg,
  ...referralIssueMessages.bg,
};
export type MessageKey = keyof typeof bg;
const en: Record<MessageKey, string> = {
  ...shellEn,
  ...coreEn,
  ...healthRecordMessages.en,
  ...complianceMessages.en,
  ...authSecurityMessages.en,
  ...requestsMessages.en,
  ...recordsMessages.en,
  ...registryAdminMessages.en,
  ...staffAdminMessages.en,
  ...gpMessages.en,
  ...gpDeskMessages.en,
  ...sickLeaveMessages.en,
  ...sickLeaveExpertiseMessages.en,
  ...sickLeaveNoticeMessages.en,
  ...insuranceMessages.en,
  ...uiMessages.en,
  ...accessLogMessages.en,
  ...practiceMessages.en,
  ...personalDataMessages.en,
  ...registrationMessages.en,
  ...bookingMessages.en,
  ...referralsMessages.en,
  ...opsMessages.en,
  ...referralIssueMessages.en,
};

export const messages: Record<Language, Record<MessageKey, string>> = { bg, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(bg, key);
}
