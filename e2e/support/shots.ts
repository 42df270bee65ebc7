import type { Page } from 'playwright-core';

// With SCREENSHOTS=1 a journey also saves its screens to docs/screenshots/<name>-{phone,desktop}.png
// (375 and 1280 px) for people to look at; without it, nothing is written.
const enabled = process.env.SCREENSHOTS === '1';

/**
 * Saves the page at phone and desktop width, then restores its viewport.
 * @param page - the page as the journey left it
 * @param name - the file name's stem
 */
export async function shot(page: Page, name: string): Promise<void> {
  if (!enabled) return;
  const before = page.viewportSize();
  for (const [size, width] of [['phone', 375], ['desktop', 1280]] as const) {
    await page.setViewportSize({ width, height: size === 'phone' ? 812 : 900 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `docs/screenshots/${name}-${size}.png`, fullPage: size === 'desktop' });
  }
  if (before) await page.setViewportSize(before);
}
