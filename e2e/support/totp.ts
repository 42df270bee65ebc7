import { totpCode } from '../../src/modules/identity/index.js';

const STEP_MS = 30_000;

/**
 * TOTP codes for journeys that sign in and sign with a second factor. The server accepts the code of
 * the previous, the current and the next 30-second step, each step once per account (replay
 * protection). Each call gives the account the current step, or the next one when the current one is
 * used; only a third code within one step waits, for the step boundary that makes it acceptable.
 *
 * Tricky: never the previous step. Its code is accepted only for what is left of the current step
 * (0-30 s): a sign-in whose request reaches the server after the boundary is refused ("code not
 * valid"), which on a loaded machine made the consultation journeys flaky. A current-step code stays
 * valid for 30-60 s and a next-step code for 60-90 s.
 * @param serverMillis - the server's clock in epoch milliseconds (a journey on an injected clock passes it)
 * @returns `fresh(account)`: an unused code that the server accepts for at least 30 s
 */
export function createTotpCodes(serverMillis: () => number = () => Date.now()): (account: { email: string; totpSecret: string }) => Promise<string> {
  const lastStep = new Map<string, number>();
  return async (account) => {
    const current = Math.floor(serverMillis() / STEP_MS);
    const step = Math.max(current, (lastStep.get(account.email) ?? current - 1) + 1);
    lastStep.set(account.email, step);
    // Two codes of this account in this step already: wait until `step` is the server's next step.
    const boundary = (step - 1) * STEP_MS;
    if (serverMillis() < boundary) await new Promise((r) => setTimeout(r, boundary - serverMillis() + 250));
    return totpCode(account.totpSecret, step * (STEP_MS / 1000));
  };
}
