import type { CommandModule } from 'yargs';
import { requiredBackendsFromEnv } from '../checks/plan.ts';
import { describeRuntime } from '../runtime/describe-runtime.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { backendNames, browserBackendNames, isBrowserBackend, type BackendName } from '../runtime/backends.ts';
import { selectedBackends, type CommonArgs } from './shared-options.ts';
import { browserLines, describeBrowser } from './doctor-browser.ts';
import { describePython, pythonDoctorLines } from './doctor-python.ts';

interface DoctorArgs {
  json: boolean;
  backend?: string | string[];
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe:
    'what is installed and usable: tfjs packages, each backend (usable or why not), libtensorflow, the browser, the Python toolchain',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
      .option('backend', {
        alias: 'b',
        type: 'string',
        describe: `only these backends (${backendNames.join(', ')}); comma-separated or repeated. Chromium starts only for browser backends named`,
      })
      .example('$0 doctor --json', 'backends and versions as JSON')
      .example('$0 doctor -b cpu,wasm,tensorflow', 'the Node backends only (no browser start-up)') as never,
  handler: async (a) => {
    // Not the config's backends: doctor without -b shows everything.
    const only = a.backend === undefined ? undefined : selectedBackends({ backend: a.backend } as CommonArgs);
    const runtime = await loadRuntime();
    const report = await describeRuntime(runtime);
    const browser = await describeBrowser(runtime, only ? only.filter(isBrowserBackend) : [...browserBackendNames]);
    report.backends = [...report.backends, ...browser.backends].filter((b) => !only || only.includes(b.backend as BackendName));
    const required = requiredBackendsFromEnv();
    const python = describePython();
    const missing = report.backends.filter((b) => !b.usable && required.includes(b.backend));
    if (a.json) {
      process.stdout.write(
        JSON.stringify({ ...report, browser: { ...browser, backends: undefined }, python: python.status }, null, 1) + '\n',
      );
    } else {
      const lines = [`node ${report.node} on ${report.platform}`];
      for (const [p, v] of Object.entries(report.packages)) lines.push(`${p.padEnd(32)} ${v ?? 'not installed'}`);
      lines.push(...browserLines(browser), '');
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
