import type { Locator } from 'playwright-core';

/**
 * Waits until a locator's text equals (or contains) the expected text, as Playwright's web-first
 * assertions do: reading `textContent()` once right after a click races the render.
 * @param locator - what to read
 * @param expected - the text
 * @param mode - exact match or substring
 * @param timeoutMs - how long to wait
 */
export async function expectText(locator: Locator, expected: string, mode: 'equals' | 'contains' = 'equals', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  for (;;) {
    try {
      last = await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) });
    } catch {
      last = null;
    }
    const ok = last !== null && (mode === 'equals' ? last.trim() === expected.trim() : last.includes(expected));
    if (ok) return;
    if (Date.now() > deadline) {
      throw new Error(`Expected text ${mode === 'equals' ? 'to be' : 'to contain'} ${JSON.stringify(expected)}, last seen ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
