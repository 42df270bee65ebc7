import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Nothing on the page, header included, reaches past the viewport: a phone user never scrolls sideways.
 * Names the widest elements when it fails, so the culprit is obvious.
 * @param page - a page sized like a phone
 */
export async function expectFitsViewport(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} → ${Math.round(el.getBoundingClientRect().right)} px (viewport ${width})`);
  });
  expect(overflow).toEqual([]);
}
