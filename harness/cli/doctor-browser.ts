// The browser part of `doctor`: which Chromium, its build, the GPU renderers it offers, and each
// browser backend usable or why not (no Chromium, no WebGPU adapter, a quiet fallback of tfjs).
import { createRequire } from 'node:module';
import path from 'node:path';
import { openBrowserExecutors } from '../executor/browser/browser-executors.ts';
import { chromiumMissing, chromiumPath } from '../executor/browser/launch-browser.ts';
import { browserBackendNames, type BrowserBackendName } from '../runtime/backends.ts';
import type { BackendReport } from '../runtime/describe-runtime.ts';
import { projectRoot, type Runtime } from '../runtime/load-runtime.ts';

export interface BrowserReport {
  chromium: string;
  /** "Chromium 150.0.7871.100", or undefined when no page could start. */
  build?: string;
  /** Why no page could start, when none could. */
  problem?: string;
  renderers: { webgl?: string; webgpu?: string };
  webgpuPackage: string | null;
  fingerprints: Record<string, Record<string, string>>;
  backends: BackendReport[];
}

function webgpuPackage(): string | null {
  try {
    const req = createRequire(path.join(projectRoot, 'package.json'));
    return (req('@tensorflow/tfjs-backend-webgpu/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

const NOT_STARTED = 'not started (-b names no browser backend)';

/** Opens each named browser backend once, in a fresh page each, and closes the browser again; none named: no browser. */
export async function describeBrowser(
  runtime: Runtime,
  names: readonly BrowserBackendName[] = browserBackendNames,
): Promise<BrowserReport> {
  const report: BrowserReport = { chromium: chromiumPath(), renderers: {}, webgpuPackage: webgpuPackage(), fingerprints: {}, backends: [] };
  if (!names.length) {
    report.problem = NOT_STARTED;
    return report;
  }
  const missing = chromiumMissing();
  if (missing) report.problem = missing;
  const opened = await openBrowserExecutors([...names], { tfjsVersion: runtime.version, scenarioFile: () => undefined });
  try {
    for (const [name, e] of opened.executors) report.fingerprints[name] = await e.fingerprint();
    report.backends = names.map((backend): BackendReport => {
      const st = opened.statuses[backend]!;
      const f = report.fingerprints[backend];
      if (f?.browser) report.build ??= f.browser;
      if (f?.renderer && backend === 'webgl') report.renderers.webgl = f.renderer;
      if (f?.renderer && backend === 'webgpu') report.renderers.webgpu = f.renderer;
      return { backend, usable: st.usable, ...(st.reason ? { reason: st.reason } : {}), ...(f?.renderer ? { detail: f.renderer } : {}) };
    });
    if (!report.build && !report.problem) report.problem = report.backends.find((b) => b.reason)?.reason ?? 'no page started';
  } finally {
    await opened.close();
  }
  return report;
}

/** The browser section of doctor's text output; the backends are listed with the others. */
export function browserLines(b: BrowserReport): string[] {
  const pad = (s: string) => s.padEnd(32);
  return [
    `${pad('chromium')} ${b.build ? `${b.build} (${b.chromium})` : b.problem === NOT_STARTED ? b.problem : `not usable: ${b.problem}`}`,
    ...(b.renderers.webgl ? [`${pad('  webgl renderer')} ${b.renderers.webgl}`] : []),
    ...(b.renderers.webgpu ? [`${pad('  webgpu adapter')} ${b.renderers.webgpu}`] : []),
    `${pad('@tensorflow/tfjs-backend-webgpu')} ${b.webgpuPackage ?? 'not installed (npm install; webgpu is then not usable)'}`,
  ];
}
