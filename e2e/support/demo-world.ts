import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { messages } from '../../web/src/i18n/messages.js';
import { seedDemo } from '../../src/demo/index.js';
import type { Deps } from '../../src/composition.js';
import type { Clock } from '../../src/platform/clock.js';
import { launchBrowser } from './browser.js';
import { startServer, type E2eServer } from './server.js';
import { createTotpCodes } from './totp.js';

/** One line of `DATA_DIR/demo-accounts.json`. */
export interface DemoAccount {
  role: string;
  email: string;
  password: string;
  totpSecret: string;
}

export interface DemoWorld {
  server: E2eServer;
  browser: Browser;
  /** The first demo account with this role, or the account with this e-mail. */
  account(roleOrEmail: string): DemoAccount;
  /** A TOTP code of a 30-second step this account has not used yet (the server refuses replays; see totp.ts). */
  freshCode(a: DemoAccount): Promise<string>;
  /** Signs in through the web UI (password, then TOTP) in a new browser context. */
  newSession(a: DemoAccount, opts?: SessionOptions): Promise<Page>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** A phone-sized touch screen (390 × 844) instead of the desktop default. */
  phone?: boolean;
  /** Runs on the new page before it opens the sign-in page (init scripts, listeners). */
  prepare?(page: Page): void | Promise<void>;
}

/**
 * Starts the platform with the demo data and a Chromium, for journeys that sign in as demo users.
 * @param opts - extra server environment, a fake camera and microphone (WebRTC journeys), more data
 *   seeded after the demo's, and the server's clock (sign-in codes follow it)
 * @returns the world; call `close()` in afterAll
 */
export async function openDemoWorld(opts: { env?: Record<string, string>; fakeMedia?: boolean; seed?: (deps: Deps) => Promise<void>; clock?: Clock } = {}): Promise<DemoWorld> {
  const browser = await launchBrowser({ fakeMedia: opts.fakeMedia ?? false });
  const server = await startServer({
    ...(opts.env ? { env: opts.env } : {}),
    seed: async (deps) => {
      await seedDemo(deps);
      await opts.seed?.(deps);
    },
    ...(opts.clock ? { overrides: { clock: opts.clock } } : {}),
  });
  const accounts = JSON.parse(await readFile(join(server.deps.config.DATA_DIR, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
  const contexts: BrowserContext[] = [];
  const clock = opts.clock;
  const freshCode = createTotpCodes(clock ? () => clock.now().epochMilliseconds : undefined);
  const bg = messages.bg;

  return {
    server,
    browser,
    account(roleOrEmail) {
      const found = accounts.find((a) => a.role === roleOrEmail || a.email === roleOrEmail);
      if (!found) throw new Error(`no demo account ${roleOrEmail}`);
      return found;
    },
    freshCode,
    async newSession(a, session = {}) {
      const context = await browser.newContext(session.phone ? { viewport: { width: 390, height: 844 }, hasTouch: true } : {});
      contexts.push(context);
      const page = await context.newPage();
      await session.prepare?.(page);
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel(bg['auth.field.email']).fill(a.email);
      await page.getByLabel(bg['auth.field.password']).fill(a.password);
      await page.getByRole('button', { name: bg['auth.signIn.continue'] }).click();
      const code = page.getByLabel(bg['auth.field.code'], { exact: true });
      await code.waitFor();
      await code.fill(await freshCode(a));
      await page.getByRole('button', { name: bg['auth.signIn.verify'] }).click();
      await page.getByTestId('account-menu').waitFor({ state: 'attached' });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close();
      await browser.close();
      await server.close();
    },
  };
}
