import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { messages } from '../../web/src/i18n/messages.js';
import { seedDemo } from '../../src/modules/demo/index.js';
import { launchBrowser } from './browser.js';
import { startServer, type E2eServer } from './server.js';

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
  /** A TOTP code of a 30-second step this account has not used yet (the server refuses replays). */
  freshCode(a: DemoAccount): Promise<string>;
  /** Signs in through the web UI (password, then TOTP) in a new browser context. */
  newSession(a: DemoAccount): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the platform with the demo data and a Chromium, for journeys that sign in as demo users.
 * @param opts - extra server environment
 * @returns the world; call `close()` in afterAll
 */
export async function openDemoWorld(opts: { env?: Record<string, string> } = {}): Promise<DemoWorld> {
  const browser = await launchBrowser();
  const server = await startServer({ ...(opts.env ? { env: opts.env } : {}), seed: async (deps) => void (await seedDemo(deps)) });
  const accounts = JSON.parse(await readFile(join(server.deps.config.DATA_DIR, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
  const contexts: BrowserContext[] = [];
  const usedStep = new Map<string, number>();
  const bg = messages.bg;

  async function freshCode(a: DemoAccount): Promise<string> {
    let step = Math.floor(Date.now() / 30_000);
    const used = usedStep.get(a.email) ?? -1;
    if (step <= used) {
      // Tricky: a TOTP step is accepted once per account, so a second code waits for the next step.
      await new Promise((r) => setTimeout(r, (used + 1) * 30_000 - Date.now() + 250));
      step = used + 1;
    }
    usedStep.set(a.email, step);
    return generate({ secret: a.totpSecret, epoch: step * 30 });
  }

  return {
    server,
    browser,
    account(roleOrEmail) {
      const found = accounts.find((a) => a.role === roleOrEmail || a.email === roleOrEmail);
      if (!found) throw new Error(`no demo account ${roleOrEmail}`);
      return found;
    },
    freshCode,
    async newSession(a) {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel(bg['auth.field.email']).fill(a.email);
      await page.getByLabel(bg['auth.field.password']).fill(a.password);
      await page.getByRole('button', { name: bg['auth.signIn.continue'] }).click();
      const code = page.getByLabel(bg['auth.field.code'], { exact: true });
      await code.waitFor();
      await code.fill(await freshCode(a));
      await page.getByRole('button', { name: bg['auth.signIn.verify'] }).click();
      await page.getByTestId('account-menu').waitFor();
      return page;
    },
    async close() {
      for (const c of contexts) await c.close();
      await browser.close();
      await server.close();
    },
  };
}
