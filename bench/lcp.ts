import { chromium } from 'playwright-core';
import { seedDemo } from '../src/demo/index.js';
import { startServer } from '../e2e/support/server.js';

// Largest Contentful Paint of the public directory page on a throttled phone, through the DevTools
// protocol: Chromium's "Fast 4G" network profile (DevTools values: 9 Mb/s down, 1.5 Mb/s up, 165 ms RTT)
// and a 4× CPU slowdown, 375 × 812, cold cache each run. The demo data is seeded; the web app must be
// built first (`npm run build:web`).
//   npx tsx bench/lcp.ts            (BENCH_RUNS=5, BENCH_PATH=/directory?specialty=1020&mode=synchronous)

const runs = Number(process.env.BENCH_RUNS ?? 5);
const path = process.env.BENCH_PATH ?? '/directory?specialty=1020&mode=synchronous';
const FAST_4G = { offline: false, latency: 165, downloadThroughput: (9_000_000 / 8) * 0.9, uploadThroughput: (1_500_000 / 8) * 0.9 };

const server = await startServer({ seed: async (deps) => void (await seedDemo(deps)) });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const results: { lcp: number; js: number; element: string }[] = [];
try {
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'bg-BG', timezoneId: 'Europe/Sofia' });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: { t: number; el: string } };
      w.__lcp = { t: 0, el: '' };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { element?: Element })[]) w.__lcp = { t: e.startTime, el: e.element ? `${e.element.tagName.toLowerCase()}.${e.element.className}` : '' };
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', FAST_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let js = 0;
    page.on('response', (r) => {
      if (r.url().endsWith('.js')) void r.body().then((b) => (js += b.length), () => undefined);
    });
    await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'networkidle' });
    // LCP is final once the page has been idle; a short settle lets the last entry arrive.
    await page.waitForTimeout(500);
    const lcp = await page.evaluate(() => (window as unknown as { __lcp: { t: number; el: string } }).__lcp);
    results.push({ lcp: lcp.t, js, element: lcp.el });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
// A run where Chromium reported no LCP entry (it happens under heavy throttling) is counted apart.
const sorted = results.map((r) => r.lcp).filter((t) => t > 0).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
console.log(JSON.stringify({ path, runs, profile: 'Fast 4G + 4x CPU, 375x812, cold cache', lcpMs: results.map((r) => Math.round(r.lcp)), medianLcpMs: Math.round(median), runsWithoutEntry: results.filter((r) => r.lcp === 0).length, jsBytesFirstLoad: results[0]?.js ?? 0, lcpElement: results[0]?.element }, null, 2));
