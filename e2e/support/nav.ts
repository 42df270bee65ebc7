import type { Page } from 'playwright-core';
import { messages } from '../../web/src/i18n/messages.js';

const bg = messages.bg;

/**
 * Follows a header navigation link the way a person would: straight from the header row, or through
 * "Още" (desktop) or the menu button (phones) when the link is not in the row.
 * @param page - the page
 * @param name - the link's text
 */
export async function clickNav(page: Page, name: string): Promise<void> {
  const link = page.getByRole('navigation').getByRole('link', { name, exact: true }).first();
  const banner = page.getByRole('banner');
  const more = banner.getByRole('button', { name: bg['ui.more'] });
  const menu = banner.getByRole('button', { name: bg['ui.menu'] });
  await link.or(more).or(menu).first().waitFor();
  if (!(await link.isVisible())) {
    if (await menu.isVisible()) await menu.click();
    if (!(await link.isVisible()) && (await more.isVisible())) await more.click();
  }
  await link.click();
}

/**
 * Opens the account menu in the header (who is signed in, sessions, sign-out).
 * @param page - the page
 */
export async function openAccountMenu(page: Page): Promise<void> {
  const banner = page.getByRole('banner');
  const menu = banner.getByRole('button', { name: bg['ui.menu'] });
  const account = page.getByTestId('account-menu');
  await account.waitFor({ state: 'attached' });
  if (await menu.isVisible()) await menu.click();
  const button = account.getByRole('button').first();
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}
