import { withTransaction } from '../../platform/db/index.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { RegistrationBody } from '../../contracts/identity.js';
import type { RegistrationDeps } from './registration.deps.js';
import { checkRegistrant } from './registration-rules.js';

/**
 * A patient registers (docs/registration.md). The answer is the same 202 whatever is already registered:
 * a new e-mail and identifier get an account and a confirmation link; an e-mail that has an account gets a
 * notice at that address (or, still unconfirmed, a new link); an identifier that is already registered
 * creates nothing and its holder, if they have an account, is told. Only the form's own mistakes (a bad
 * checksum, a date of birth the EGN contradicts, a weak password) are answered, since they need no lookup.
 * @param deps - identity, patients, database and audit
 * @returns the use case
 */
export function createRegisterPatient(deps: RegistrationDeps) {
  return async function registerPatient(ctx: RequestCtx, body: RegistrationBody): Promise<void> {
    const check = checkRegistrant(body);
    if (!check.ok) {
      throw new AppError(check.code, { detail: 'Correct the marked fields', errors: check.problems.map((p) => ({ in: 'body' as const, ...p })) });
    }
    // argon2 runs before the transaction and on every path, so the answer takes the same time.
    const passwordHash = await deps.identity.hashPassword(body.password, body.email);
    await withTransaction(deps.db, async (tx) => {
      const existing = await deps.identity.accountByEmail(tx, body.email);
      if (existing) {
        if (existing.unconfirmed) await deps.identity.issueEmailConfirmation(tx, ctx, existing.id);
        else await deps.identity.noticeRegistrationAttempt(tx, existing.id, 'already_registered');
        await deps.audit.record(tx, ctx, { action: 'account.registration_requested', outcome: 'denied', subject: { type: 'user_account', id: existing.id }, data: { reason: 'email_registered' } });
        return;
      }
      const patientId = await deps.patients.findPatientIdByIdentifier(tx, body.identifierKind, body.identifier);
      if (patientId) {
        // Security: an existing record is never handed to whoever types its identifier; linking it to an
        // account needs the person's identity checked (docs/registration.md#existing-records).
        const holder = await deps.identity.accountIdOfPatient(tx, patientId);
        if (holder) await deps.identity.noticeRegistrationAttempt(tx, holder, 'identifier_used');
        await deps.audit.record(tx, ctx, { action: 'account.registration_requested', outcome: 'denied', patientId, data: { reason: 'identifier_registered' } });
        return;
      }
      // The patient record is created by the system on the registrant's behalf (the request is anonymous).
      const sys = { ...systemCtx('registration'), ip: ctx.ip, requestId: ctx.requestId };
      const newPatientId = await deps.patients.createPatient(tx, sys, {
        identifierKind: body.identifierKind,
        identifier: body.identifier,
        givenName: body.givenName,
        ...(body.middleName ? { middleName: body.middleName } : {}),
        familyName: body.familyName,
        birthDate: body.birthDate,
        sex: check.sex,
        phone: body.phone,
        email: body.email,
      });
      const accountId = await deps.identity.createAccount(tx, sys, { email: body.email, passwordHash, role: 'patient', patientId: newPatientId, selfRegistered: true });
      await deps.identity.issueEmailConfirmation(tx, ctx, accountId);
      await deps.audit.record(tx, ctx, { action: 'account.registration_requested', subject: { type: 'user_account', id: accountId }, patientId: newPatientId });
    });
  };
}
