import { seedConfirmedTotp } from '../modules/identity/index.js';

/**
 * Enrols a confirmed TOTP authenticator for a demo, test or benchmark account, through identity's
 * seeding use case (never reachable from production code: eslint.config.js).
 */
export const enrolTotpForDemo = seedConfirmedTotp;
