/**
 * Identity: accounts, password + second-factor sign-in, sessions, CSRF and the staff
 * network gateway. Other modules use `assertUser`/`assertRole` in services or `requireRole` on routes,
 * and read the actor from `req.ctx` (filled by the auth hook).
 */
export { createIdentityService, type IdentityService } from './identity.service.js';
export {
  assertUser,
  assertRole,
  ARGON2_OPTIONS,
  LOCKOUT,
  PASSWORD_RESET,
  PASSWORD_RESET_MAIL,
  ACTIVATION,
  ACTIVATION_MAIL,
  REGISTRATION_MAIL,
  EMAIL_CONFIRMATION,
  STAFF_CHANGE_NOTICE,
  DEVICE_COOKIE,
  SESSION_COOKIE,
  CSRF_COOKIE,
  CSRF_HEADER,
  type IdentityDeps,
  type CreateAccountInput,
} from './identity.policy.js';
export { identityRoutes } from './identity.routes.js';
export { createStaffAccountsService, type StaffAccountsService } from './staff-accounts.service.js';
export { staffAccountsRoutes } from './staff-accounts.routes.js';
export { registerAuthHook, requireRole } from './auth-hook.js';
export { STAFF_ROLES } from './network-gateway.js';
export { totpCode } from './totp.js';
// Seeding only (src/demo, src/test, bench): the lint forbids it everywhere else.
export { seedConfirmedTotp } from './seed-totp.js';
