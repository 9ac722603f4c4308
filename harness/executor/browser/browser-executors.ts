// Opens the browser backends a host was asked for, once: a page per backend in one Chromium. A backend
// that cannot start (no Chromium, no WebGPU adapter, a quiet fallback of tfjs) is reported with the reason.
import type { BrowserBackendName } from '../../runtime/backends.ts';
import type { BackendStatus } from '../../runtime/load-runtime.ts';
import { BrowserExecutor } from './browser-executor.ts';
import { openBackendPage } from './browser-backends.ts';
import { closeBrowser } from './launch-browser.ts';

export interface BrowserExecutorsOptions {
  /** Directory whose node_modules holds the tfjs the pages load (the host's runtime). */
  runtimeRoot?: string;
  tfjsVersion: string;
  scenarioFile(name: string): string | undefined;
}
export interface BrowserExecutors {
  statuses: Partial<Record<BrowserBackendName, BackendStatus>>;
  executors: Map<BrowserBackendName, BrowserExecutor>;
  /** Closes every page and the browser: playwright keeps Node alive until then. */
  close(): Promise<void>;
}

export async function openBrowserExecutors(names: BrowserBackendName[], o: BrowserExecutorsOptions): Promise<BrowserExecutors> {
  const statuses: BrowserExecutors['statuses'] = {};
  const executors = new Map<BrowserBackendName, BrowserExecutor>();
  // One after the other: a WebGL context per page, and the first launch starts the browser.
  for (const backend of names) {
    const opened = await openBackendPage(backend, o.runtimeRoot ? { runtimeRoot: o.runtimeRoot } : {});
    if (!opened.usable) {
      statuses[backend] = { usable: false, reason: opened.reason };
      continue;
    }
    statuses[backend] = { usable: true };
    executors.set(backend, new BrowserExecutor({ backend, page: opened.page, tfjsVersion: o.tfjsVersion, scenarioFile: o.scenarioFile }));
  }
  return {
    statuses,
    executors,
    async close() {
      await Promise.all([...executors.values()].map((e) => e.close().catch(() => undefined)));
      await closeBrowser();
    },
  };
}
