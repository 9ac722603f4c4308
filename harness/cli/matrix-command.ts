import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { crossMatrix, type CrossRuntime } from '../matrix/cross-matrix.ts';
import { installRuntime } from '../matrix/install-runtime.ts';
import { readCachedOutcomes, resultKey, writeCachedOutcomes } from '../matrix/result-cache.ts';
import { matrixHtml } from '../matrix/matrix-html.ts';
import { applyKnownDrift, cellsFromOutcomes, matrixMarkdown, type MatrixResult } from '../matrix/matrix-report.ts';
import { ensureNative, runChecks } from '../matrix/matrix-runs.ts';
import { discoverScenarios } from '../scenario/discover-scenarios.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { dirOptions } from './shared-options.ts';
import type { CheckOutcome } from '../checks/outcome.ts';

interface MatrixArgs {
  tfjs: string;
  backend?: string;
  out: string;
  json: boolean;
  scenarios: string;
  goldens: string;
  scenario?: string[];
  fresh: boolean;
  cross: boolean;
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
    dirOptions(y)
      .positional('scenario', { type: 'string', array: true, describe: 'scenario names to include (default: all)' })
      .option('tfjs', { type: 'string', demandOption: true, describe: 'comma-separated exact tfjs versions, e.g. 3.21.0,4.10.0,4.22.0' })
      .option('backend', { alias: 'b', type: 'string', describe: 'backends to include (comma-separated; default: every usable one)' })
      .option('out', { type: 'string', default: 'reports', describe: 'directory for matrix.json and matrix.md' })
      .option('json', { type: 'boolean', default: false, describe: 'print matrix.json to stdout, no progress' })
      .option('cross', {
        type: 'boolean',
        default: false,
        describe: "each version saves every scenario's bundle (in the cache) and every version replays every version's bundles",
      })
      .option('fresh', { type: 'boolean', default: false, describe: 'ignore cached results of earlier runs (installs stay cached)' })
      .example('$0 matrix --tfjs 4.10.0,4.22.0 --out /tmp/m', 'drift between two releases')
      .example('$0 matrix --tfjs 3.21.0,4.22.0 --cross -b cpu', 'bundles saved by each version, loaded by each') as never,
  handler: async (a) => {
    const ownRuntime = await loadRuntime();
    const own = ownRuntime.version;
    // Which backends work is part of what a cached result depends on (e.g. after setup:native).
    const usable = Object.entries(ownRuntime.backends)
      .filter(([, s]) => s.usable)
      .map(([b]) => b);
    const wanted = a.backend?.split(',').map((b) => b.trim()) ?? usable;
    const versions = a.tfjs
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (!versions.length) throw new Error('--tfjs must name at least one version, e.g. --tfjs 4.10.0,4.22.0');
    const say = (s: string) => {
      if (!a.json) process.stderr.write(s);
    };
    const result: MatrixResult = { ...(a.cross ? { cross: true } : {}), versions: [], cells: [] };
    const discovery = await discoverScenarios(path.resolve(a.scenarios));
    const drift = Object.fromEntries(discovery.scenarios.map((s) => [s.name, s.definition.knownDrift]));
    const runtimes: (CrossRuntime & { index: number; start: number; absent?: Partial<Record<string, string>> })[] = [];
    for (const [index, version] of versions.entries()) {
      const start = performance.now();
      const step = `[${index + 1}/${versions.length}] tfjs ${version}`;
      if (version === own) {
        runtimes.push({ version, index, start });
        result.versions.push({ version, status: 'ran', wasm: own, durationMs: 0 });
        continue;
      }
      say(`${step}: installing… `);
      try {
        const r = await installRuntime(version);
        say(r.reused ? 'cached\n' : `done (${((performance.now() - start) / 1000).toFixed(1)} s)\n`);
        // The native backend of another version: its tfjs-node built against the project's libtensorflow.
        const native = wanted.includes('tensorflow') ? await ensureNative(r.root, a.fresh) : undefined;
        if (wanted.includes('tensorflow')) say(`${step}: tensorflow backend ${native ? `not usable: ${native}` : 'built'}\n`);
        // A browser backend whose package this release lacks (webgpu before 4.6) is not applicable there.
        const absent = r.webgpu === null ? { webgpu: r.webgpuReason ?? `no @tensorflow/tfjs-backend-webgpu ${version}` } : {};
        runtimes.push({ version, root: r.root, index, start, absent });
        result.versions.push({
          version,
          status: 'ran',
          wasm: r.wasm,
          durationMs: 0,
          cached: r.reused,
          ...(r.wasm ? {} : { reason: `no @tensorflow/tfjs-backend-wasm ${version}` }),
          ...(native ? { native } : {}),
        });
      } catch (err) {
        say('failed\n');
        result.versions.push({ version, status: 'not-applicable', wasm: null, reason: (err as Error).message, durationMs: 0 });
      }
    }
    const keyExtra = { usable, own };
    if (a.cross) {
      const cross = await crossMatrix({ ...a, runtimes, keyExtra, say: (t) => say(`  ${t}`) });
      result.cells.push(...applyKnownDrift(cross.cells, drift));
      for (const v of result.versions) v.durationMs = cross.durationMs[v.version] ?? 0;
    }
    for (const r of a.cross ? [] : runtimes) {
      const step = `[${r.index + 1}/${versions.length}] tfjs ${r.version}`;
      const entry = result.versions.find((v) => v.version === r.version)!;
      const key = await resultKey(
        r.version,
        { scenario: a.scenario ?? null, backend: a.backend ?? null, own: !r.root, usable: r.root ? null : usable },
        a.scenarios,
        a.goldens,
      );
      const reused = a.fresh ? undefined : await readCachedOutcomes(r.version, key);
      say(
        `${step}: ${reused ? 'reusing the results of an earlier run with the same scenarios, goldens and harness… ' : 'replaying and retraining every scenario… '}`,
      );
      const absent = r.absent ?? {};
      const { backend, notApplicable } = withoutAbsent(
        a,
        r.version,
        absent,
        discovery.scenarios.map((sc) => sc.name),
      );
      const run = reused
        ? { outcomes: reused }
        : backend === ''
          ? { outcomes: [] as CheckOutcome[] }
          : await runChecks({ ...a, ...(backend !== undefined ? { backend } : {}), ...(r.root ? { root: r.root } : {}) }, [
              'replay',
              'retrain',
            ]);
      if (!reused) run.outcomes = [...run.outcomes.filter((o) => !absent[o.configuration.backend]), ...notApplicable];
      if (!reused && !run.error) await writeCachedOutcomes(r.version, key, run.outcomes);
      entry.durationMs = Math.round(performance.now() - r.start);
      if (run.error) {
        say('failed\n');
        Object.assign(entry, { status: 'not-applicable', reason: `the run failed: ${run.error}` });
        continue;
      }
      // The goldens compared with were recorded with the project's version.
      const cells = applyKnownDrift(cellsFromOutcomes(r.version, run.outcomes, own), drift);
      result.cells.push(...cells);
      say(
        `${cells.filter((c) => c.status === 'pass').length} passed, ${cells.filter((c) => c.status === 'fail').length} failed, ${cells.filter((c) => c.status === 'not-applicable').length} not applicable (${(entry.durationMs / 1000).toFixed(1)} s)\n`,
      );
    }
    for (const c of result.cells) {
      const native = result.versions.find((v) => v.version === c.version)?.native;
      if (native && c.backend === 'tensorflow' && c.status === 'not-applicable')
        c.reason = `tfjs ${c.version}: the tensorflow backend is not usable: ${native}`;
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
