import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/**
 * Debian's Chromium (STACK.md, "Chromium, Playwright and WebRTC"). Playwright never downloads a
 * browser of its own here: playwright-core has no bundled browser, and we always pass this path.
 */
export const chromiumPath = '/usr/bin/chromium';

/** The command that installs the browser these journeys run in. */
export const chromiumInstallCommand = 'apt-get install -y chromium';

/** Flags for a quiet, reproducible headless run in containers and CI (STACK.md). */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fake camera and microphone, granted without a prompt: for the WebRTC call journeys. */
export const fakeMediaArgs: readonly string[] = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

export interface LaunchBrowserOptions {
  /** Add the fake media device flags (`true`), or a custom list such as a file-backed fake camera. */
  fakeMedia?: boolean | readonly string[];
  /** Any further Chromium flags. */
  extraArgs?: readonly string[];
}

/**
 * The browser's environment: this process's, without libfaketime. CI runs journeys with the machine's
 * clock a year ahead (`faketime '+365 days'`, .ci/run) to prove the server reads only the injected
 * clock; a Chromium started under the same LD_PRELOAD never renders the page, so it runs on the real
 * clock while the server and the test process stay a year ahead.
 *
 * @param env - the environment to clean, this process's by default
 * @returns a copy without LD_PRELOAD and any FAKETIME* variable
 */
export function browserEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || key === 'LD_PRELOAD' || key.startsWith('FAKETIME')) continue;
    clean[key] = value;
  }
  return clean;
}

/**
 * Fails loudly when the browser is missing: a journey that silently skips is a journey that never ran.
 *
 * @throws {Error} whose message contains the install command, when the executable is absent.
 */
export function assertChromiumInstalled(path: string = chromiumPath): void {
  try {
    accessSync(path, constants.X_OK);
  } catch (cause) {
    throw new Error(
      `Chromium is not installed at ${path}; the E2E journeys need it. Install it with: ${chromiumInstallCommand}`,
      { cause },
    );
  }
}

/**
 * Launches headless Debian Chromium. Use one browser per test file and a fresh `browser.newContext()`
 * per journey (each context is an isolated profile: its own storage, cookies and permissions).
 *
 * @param options - fake media devices for WebRTC journeys, extra flags
 * @returns the running browser; the caller closes it
 * @throws {Error} with the install command, when /usr/bin/chromium is missing
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<Browser> {
  assertChromiumInstalled();
  const media = options.fakeMedia === true ? fakeMediaArgs : options.fakeMedia || [];
  const launchOptions: LaunchOptions = {
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArgs, ...media, ...(options.extraArgs ?? [])],
    env: browserEnv(),
  };
  const browser = await chromium.launch(launchOptions);
  if (underFaketime()) {
    // The browser cannot run under libfaketime, so each of its contexts gets Playwright's clock set to this
    // process's (shifted) time: a user's browser and the server agree on the date, and a form that
    // defaults to "today" asks for the server's today.
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (options) => {
      const context = await newContext(options);
      await context.clock.install({ time: Date.now() });
      return context;
    };
  }
  return browser;
}

/** Whether this process runs under libfaketime (`faketime '+365 days' …`, .ci/run). */
export function underFaketime(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.LD_PRELOAD ?? '').includes('faketime');
}
