import type { CommandModule } from 'yargs';
import { requiredBackendsFromEnv } from '../checks/plan.ts';
import { openBrowserExecutors } from '../executor/browser/browser-executors.ts';
import { chromiumPath } from '../executor/browser/launch-browser.ts';
import { browserBackendNames } from '../runtime/backends.ts';
import { describeRuntime, type BackendReport } from '../runtime/describe-runtime.ts';
import { loadRuntime, type Runtime } from '../runtime/load-runtime.ts';
import { describePython, pythonDoctorLines } from './doctor-python.ts';

interface BrowserReport {
  chromium: string;
  fingerprints: Record<string, Record<string, string>>;
  backends: BackendReport[];
}

/** Opens every browser backend once: the browser build, each backend's renderer, and which can run. */
async function describeBrowser(runtime: Runtime): Promise<BrowserReport> {
  const opened = await openBrowserExecutors([...browserBackendNames], { tfjsVersion: runtime.version, scenarioFile: () => undefined });
  try {
    const fingerprints: BrowserReport['fingerprints'] = {};
    for (const [name, e] of opened.executors) fingerprints[name] = await e.fingerprint();
    const backends = browserBackendNames.map((backend): BackendReport => {
      const st = opened.statuses[backend]!;
      const f = fingerprints[backend];
      return {
        backend,
        usable: st.usable,
        ...(st.reason ? { reason: st.reason } : {}),
        ...(f ? { detail: [f.browser, f.renderer].filter(Boolean).join(', ') } : {}),
      };
    });
    return { chromium: chromiumPath(), fingerprints, backends };
  } finally {
    await opened.close();
  }
}

interface DoctorArgs {
  json: boolean;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'what is installed and usable: tfjs packages, each backend (usable or why not), libtensorflow, the Python toolchain',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
      .example('$0 doctor --json', 'backends and versions as JSON') as never,
  handler: async (a) => {
    const runtime = await loadRuntime();
    const report = await describeRuntime(runtime);
    const browser = await describeBrowser(runtime);
    report.backends = [...report.backends, ...browser.backends];
    const required = requiredBackendsFromEnv();
    const missing = report.backends.filter((b) => !b.usable && required.includes(b.backend));
    const python = describePython();
    if (a.json) {
      process.stdout.write(
        JSON.stringify(
          { ...report, browser: { chromium: browser.chromium, fingerprints: browser.fingerprints }, python: python.status },
          null,
          1,
        ) + '\n',
      );
    } else {
      const lines = [`node ${report.node} on ${report.platform}`];
      for (const [p, v] of Object.entries(report.packages)) lines.push(`${p.padEnd(32)} ${v ?? 'not installed'}`);
      lines.push(`${'chromium'.padEnd(32)} ${browser.chromium}`, '');
      for (const b of report.backends) {
        lines.push(
          `${b.usable ? '✔' : '✘'} ${b.backend.padEnd(14)} ${b.usable ? `usable${b.detail ? `: ${b.detail}` : ''}` : `not usable: ${b.reason}`}`,
        );
      }
      if (missing.length)
        lines.push('', `required by TFJS_REPRO_REQUIRE_BACKENDS but not usable: ${missing.map((b) => b.backend).join(', ')}`);
      lines.push('', ...pythonDoctorLines(python));
      process.stdout.write(lines.join('\n') + '\n');
    }
    process.exitCode = missing.length || python.missing || !report.backends.find((b) => b.backend === 'cpu')?.usable ? 1 : 0;
  },
};
