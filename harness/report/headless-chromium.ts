// Opens a report file in Debian's Chromium (no browser download; playwright-core drives it) for the
// HTML report tests, collecting console errors. CHROMIUM_PATH names another binary; whether a test
// runs is decided by browser-test-gate.fixture.ts.
import type { Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs `use` on the page of a local file; returns the console errors and page errors it met. */
export async function withChromiumPage(file: string, use: (page: Page) => Promise<void>): Promise<string[]> {
  const { chromium } = await import('playwright-core');
  // The flags keep Chromium from reaching for the network, which CI machines may not have.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    // A report must not fetch anything: every request but the file itself fails the test.
    page.on('request', (r) => {
      if (r.url() !== `file://${file}`) errors.push(`request to ${r.url()}`);
    });
    await page.goto(`file://${file}`);
    await use(page);
    return errors;
  } finally {
    await browser.close();
  }
}
