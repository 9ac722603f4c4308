// One headless Chromium per run (Debian's, driven by playwright-core; never downloaded), started on
// first use and shared; one page server per tfjs runtime root; a fresh page for every backend.
import type { Browser } from 'playwright-core';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleForPage } from './bundle-for-page.ts';
import { BrowserPage } from './browser-page.ts';
import { startPageServer, type PageServer } from './page-server.ts';

export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const projectRoot = path.resolve(import.meta.dirname, '..', '..', '..');

// No network here: without these, Chromium's own background connections fail noisily.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

export interface OpenPageOptions {
  /** Directory whose node_modules holds the tfjs to serve; defaults to this project. */
  runtimeRoot?: string;
}

let browser: Promise<Browser> | undefined;
let pageScript: Promise<string> | undefined;
const servers = new Map<string, Promise<PageServer>>();

/** Why the browser cannot run here, or undefined when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  const file = chromiumPath();
  return existsSync(file) ? undefined : `${file} is not installed (apt-get install -y chromium, or set CHROMIUM_PATH)`;
}

export function launchBrowser(): Promise<Browser> {
  browser ??= (async () => {
    const missing = chromiumMissing();
    if (missing) throw new Error(`browser backends: ${missing}`);
    const { chromium } = await import('playwright-core');
    // playwright kills the browser process when Node exits, whatever path it takes.
    return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  })();
  browser.catch(() => {
    browser = undefined;
  });
  return browser;
}

function serverFor(root: string): Promise<PageServer> {
  let server = servers.get(root);
  if (!server) {
    pageScript ??= bundleForPage(path.join(import.meta.dirname, 'page', 'page-main.ts'), { root: projectRoot });
    server = pageScript.then((script) => startPageServer({ runtimeRoot: root, pageScript: script }));
    servers.set(root, server);
  }
  return server;
}

/** A fresh page with tfjs loaded and no backend started yet; requests off the server are aborted. */
export async function openPage(options: OpenPageOptions = {}): Promise<BrowserPage> {
  const root = path.resolve(options.runtimeRoot ?? projectRoot);
  const [b, server] = await Promise.all([launchBrowser(), serverFor(root)]);
  const context = await b.newContext();
  const page = await context.newPage();
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.origin + '/')) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.origin + '/');
  await page
    .waitForFunction(() => 'tfjsRepro' in window, null, { timeout: 30_000 })
    .catch((err: Error) => {
      throw new Error(`browser page did not start: ${errors.join('; ') || err.message}`);
    });
  return new BrowserPage({ page, context, server, blocked, projectRoot, browserVersion: b.version() });
}

/** Closes the browser and the page servers; the next openPage starts them again. */
export async function closeBrowser(): Promise<void> {
  const [b, all] = [browser, [...servers.values()]];
  browser = undefined;
  servers.clear();
  await Promise.all(
    all.map((s) =>
      s.then(
        (x) => x.close(),
        () => undefined,
      ),
    ),
  );
  if (b)
    await b.then(
      (x) => x.close(),
      () => undefined,
    );
}
