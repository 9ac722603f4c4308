import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { CheckOutcome } from '../checks/outcome.ts';
import { installRuntime } from '../matrix/install-runtime.ts';
import { readCachedOutcomes, resultKey, writeCachedOutcomes } from '../matrix/result-cache.ts';
import { matrixHtml } from '../matrix/matrix-html.ts';
import { applyKnownDrift, cellsFromOutcomes, matrixMarkdown, type MatrixResult } from '../matrix/matrix-report.ts';
import { discoverScenarios } from '../scenario/discover-scenarios.ts';
import { loadRuntime, projectRoot } from '../runtime/load-runtime.ts';

interface MatrixArgs {
  tfjs: string;
  backend?: string;
  out: string;
  json: boolean;
  scenarios: string;
  goldens: string;
  scenario?: string[];
  fresh: boolean;
}

const bin = path.join(projectRoot, 'bin', 'tfjs-repro.js');

function runVersion(a: MatrixArgs, root: string | undefined, backend = a.backend): Promise<{ outcomes: CheckOutcome[]; error?: string }> {
  // Formats move bytes, not numbers: one (memory) is enough to see a version's drift.
  const args = [
    bin,
    'run',
    ...(a.scenario ?? []),
    '--check',
    'replay',
    '--check',
    'retrain',
    '--format',
    'memory',
    '--json',
    '--scenarios',
    a.scenarios,
    '--goldens',
    a.goldens,
    ...(backend ? ['--backend', backend] : []),
    ...(root ? ['--runtime-root', root] : []),
  ];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 28 }, (_err, stdout, stderr) => {
      // `run` exits 1 on failing checks; only output that is not a result file is an error.
      try {
        resolve({ outcomes: (JSON.parse(stdout) as { outcomes: CheckOutcome[] }).outcomes });
      } catch {
        resolve({ outcomes: [], error: (stderr || stdout).trim().split('\n').slice(-3).join(' ') || 'the run printed no result' });
      }
    });
  });
}

/** The -b list without the backends this version lacks, and their cells as not applicable. */
function withoutAbsent(a: MatrixArgs, version: string, absent: Partial<Record<string, string>>, all: string[]) {
  const named = a.backend?.split(',').map((b) => b.trim());
  const gone = (named ?? []).filter((b) => absent[b]);
  if (!named || !gone.length) return { backend: a.backend, notApplicable: [] as CheckOutcome[] };
  const scenarios = a.scenario?.length ? a.scenario : all;
  const notApplicable = gone.flatMap((b) =>
    scenarios.flatMap((scenario) =>
      (['replay', 'retrain'] as const).map(
        (check): CheckOutcome => ({
          scenario,
          configuration: { runtime: `tfjs@${version}`, backend: b },
          check,
          status: 'not-applicable',
          reason: absent[b]!,
          durationMs: 0,
        }),
      ),
    ),
  );
  return { backend: named.filter((b) => !absent[b]).join(','), notApplicable };
}

export const matrixCommand: CommandModule<object, MatrixArgs> = {
  command: 'matrix [scenario..]',
  describe:
    'install tfjs versions side by side (cached), replay every golden and retrain on each, and write matrix.json, matrix.md and matrix.html',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', array: true, describe: 'scenario names to include (default: all)' })
      .option('tfjs', { type: 'string', demandOption: true, describe: 'comma-separated exact tfjs versions, e.g. 3.21.0,4.10.0,4.22.0' })
      .option('backend', { alias: 'b', type: 'string', describe: 'backends to include (comma-separated; default: every usable one)' })
      .option('out', { type: 'string', default: 'reports', describe: 'directory for matrix.json and matrix.md' })
      .option('json', { type: 'boolean', default: false, describe: 'print matrix.json to stdout, no progress' })
      .option('fresh', { type: 'boolean', default: false, describe: 'ignore cached results of earlier runs (installs stay cached)' })
      .option('scenarios', { type: 'string', default: 'scenarios', describe: 'directory of *.scenario.ts files' })
      .option('goldens', { type: 'string', default: 'goldens', describe: 'directory of recorded goldens' })
      .example('$0 matrix --tfjs 4.10.0,4.22.0 --out /tmp/m', 'drift between two releases') as never,
  handler: async (a) => {
    const ownRuntime = await loadRuntime();
    const own = ownRuntime.version;
    // Which backends work is part of what a cached result depends on (e.g. after setup:native).
    const usable = Object.entries(ownRuntime.backends)
      .filter(([, s]) => s.usable)
      .map(([b]) => b);
    const versions = a.tfjs
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (!versions.length) throw new Error('--tfjs must name at least one version, e.g. --tfjs 4.10.0,4.22.0');
    const say = (s: string) => {
      if (!a.json) process.stderr.write(s);
    };
    const result: MatrixResult = { versions: [], cells: [] };
    const discovery = await discoverScenarios(path.resolve(a.scenarios));
    const drift = Object.fromEntries(discovery.scenarios.map((s) => [s.name, s.definition.knownDrift]));
    for (const [i, version] of versions.entries()) {
      const start = performance.now();
      const step = `[${i + 1}/${versions.length}] tfjs ${version}`;
      let root: string | undefined;
      let wasm: string | null;
      let cached: boolean | undefined;
      let absent: Partial<Record<string, string>> = {};
      if (version !== own) {
        say(`${step}: installing… `);
        try {
          const r = await installRuntime(version);
          ({ root, wasm } = r);
          if (r.webgpu === null) absent = { webgpu: r.webgpuReason ?? `no @tensorflow/tfjs-backend-webgpu ${version}` };
          cached = r.reused;
          say(r.reused ? 'cached\n' : `done (${((performance.now() - start) / 1000).toFixed(1)} s)\n`);
        } catch (err) {
          say('failed\n');
          result.versions.push({ version, status: 'not-applicable', wasm: null, reason: (err as Error).message, durationMs: 0 });
          continue;
        }
      } else {
        wasm = own;
      }
      const key = await resultKey(
        version,
        { scenario: a.scenario ?? null, backend: a.backend ?? null, own: version === own, usable: version === own ? usable : null },
        a.scenarios,
        a.goldens,
      );
      const reused = a.fresh ? undefined : await readCachedOutcomes(version, key);
      say(
        `${step}: ${reused ? 'reusing the results of an earlier run with the same scenarios, goldens and harness… ' : 'replaying and retraining every scenario… '}`,
      );
      // A browser backend whose package this version lacks is not applicable there, with the reason.
      const { backend, notApplicable } = withoutAbsent(
        a,
        version,
        absent,
        discovery.scenarios.map((s) => s.name),
      );
      const run = reused ? { outcomes: reused } : backend === '' ? { outcomes: [] } : await runVersion(a, root, backend);
      run.outcomes = [...run.outcomes.filter((o) => !absent[o.configuration.backend]), ...notApplicable];
      if (!reused && !run.error) await writeCachedOutcomes(version, key, run.outcomes);
      if (run.error) {
        say('failed\n');
        result.versions.push({
          version,
          status: 'not-applicable',
          wasm,
          reason: `the run failed: ${run.error}`,
          durationMs: Math.round(performance.now() - start),
        });
        continue;
      }
      const cells = applyKnownDrift(cellsFromOutcomes(version, run.outcomes), drift);
      result.cells.push(...cells);
      result.versions.push({
        version,
        status: 'ran',
        wasm,
        durationMs: Math.round(performance.now() - start),
        ...(cached !== undefined ? { cached } : {}),
        ...(wasm ? {} : { reason: `no @tensorflow/tfjs-backend-wasm ${version}` }),
      });
      say(
        `${cells.filter((c) => c.status === 'pass').length} passed, ${cells.filter((c) => c.status === 'fail').length} failed (${((performance.now() - start) / 1000).toFixed(1)} s)\n`,
      );
    }
    await mkdir(a.out, { recursive: true });
    await writeFile(path.join(a.out, 'matrix.json'), JSON.stringify(result, null, 1) + '\n');
    await writeFile(path.join(a.out, 'matrix.md'), matrixMarkdown(result));
    await writeFile(path.join(a.out, 'matrix.html'), await matrixHtml(result));
    if (a.json) process.stdout.write(JSON.stringify(result, null, 1) + '\n');
    else say(`wrote ${['matrix.json', 'matrix.md', 'matrix.html'].map((f) => path.join(a.out, f)).join(', ')}\n`);
    process.exitCode = result.cells.some((c) => c.status === 'fail') ? 1 : 0;
  },
};
