// Whether a browser end-to-end test file runs. Like the scenario suite: when one of its browser backends
// is selected (TFJS_REPRO_BACKENDS unset selects them all) or required, and Chromium is installed. A run
// on the Node backends alone then costs no Chromium, so `npm test` compares with `run` on the same backends.
import type { BrowserBackendName } from '../../runtime/backends.ts';
import type { BrowserExecutor } from './browser-executor.ts';
import type { BrowserExecutors } from './browser-executors.ts';
import { chromiumMissing } from './launch-browser.ts';

const list = (name: string): Set<string> | undefined => {
  const v = process.env[name];
  return v === undefined ? undefined : new Set(v.split(',').map((b) => b.trim()));
};

/** True when the file must run (a browser backend or Chromium is required): a missing Chromium then fails it. */
export function browserTestsRequired(backends: readonly string[]): boolean {
  const required = list('TFJS_REPRO_REQUIRE_BACKENDS') ?? new Set();
  return process.env.TFJS_REPRO_REQUIRE_CHROMIUM === '1' || backends.some((b) => required.has(b));
}

/** Skips the suite of `ctx` (with the reason in its title) unless it should run; throws when it must run but cannot. */
export function gateBrowserTests(ctx: Mocha.Context, backends: readonly string[]): void {
  const required = browserTestsRequired(backends);
  const selected = list('TFJS_REPRO_BACKENDS');
  const skip = (reason: string) => {
    ctx.test!.parent!.title += ` (skipped: ${reason})`;
    ctx.skip();
  };
  if (!required && selected && !backends.some((b) => selected.has(b)))
    skip(`none of ${backends.join(', ')} is in TFJS_REPRO_BACKENDS=${process.env.TFJS_REPRO_BACKENDS}; add one to run it`);
  const missing = chromiumMissing();
  if (missing && required)
    throw new Error(`a browser backend is required (TFJS_REPRO_REQUIRE_CHROMIUM / TFJS_REPRO_REQUIRE_BACKENDS) but ${missing}`);
  if (missing) skip(missing);
}

/** The opened executor of a backend; a test whose backend could not open is skipped with the reason, unless it is required. */
export function openedExecutor(ctx: Mocha.Context, browser: BrowserExecutors, backend: BrowserBackendName): BrowserExecutor {
  const e = browser.executors.get(backend);
  if (e) return e;
  const reason = browser.statuses[backend]?.reason ?? 'not opened';
  if (list('TFJS_REPRO_REQUIRE_BACKENDS')?.has(backend))
    throw new Error(`${backend} is named in TFJS_REPRO_REQUIRE_BACKENDS but cannot run: ${reason}`);
  ctx.test!.title += ` (skipped: ${reason})`;
  ctx.skip();
}
