import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { parseChecks, parseShard, planRun, requiredBackendsFromEnv } from '../checks/plan.ts';
import { resultFile } from '../report/result-file.ts';
import { outcomeId, type CheckOutcome } from '../checks/outcome.ts';
import { formatOutcome, summarize } from '../report/format-outcome.ts';
import { withHint } from '../diagnose/most-likely-hint.ts';
import { durationsFile, rememberDurations, startJobs } from '../host/job-order.ts';
import {
  commonOptions,
  makePool,
  poolOptions,
  selectedBackends,
  selectedFormats,
  storeFor,
  timeoutMs,
  type CommonArgs,
  type PoolArgs,
  runtimeAndScenarios,
} from './shared-options.ts';
import { parseSeed } from './parse-args.ts';
import { reportFiles, reportOptions, writeRunReports, type ReportArgs } from './run-reports.ts';
import { jobLine, startProgress } from './progress.ts';
import { goldenHygiene } from '../workflow/golden-hygiene.ts';
import { resultsDir, resultsOption, type ResultsArgs } from './results-option.ts';

interface RunArgs extends CommonArgs, PoolArgs, ReportArgs, ResultsArgs {
  out?: string;
  check?: string | string[];
  seed?: number;
  path?: string;
  shard?: string;
}

const mark = { pass: '✔', fail: '✘', 'not-applicable': '–', skipped: '○' } as const;

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario..]',
  describe: 'replay goldens and run every check for each scenario × backend × format; exits 1 on any failure',
  builder: (y) =>
    reportOptions(resultsOption(poolOptions(commonOptions(y))))
      .option('out', { type: 'string', describe: 'also write the outcomes as JSON to this file' })
      .option('check', { type: 'string', describe: 'only these checks, e.g. replay or "property roundtrip" (comma-separated or repeated)' })
      .option('seed', { type: 'string', describe: 'fast-check seed for properties (printed by a failing property)' })
      .option('path', { type: 'string', describe: 'fast-check path for properties, with --seed, to replay a shrunk failure' })
      .option('runtime-root', {
        type: 'string',
        describe: "use the tfjs installed under this directory instead of the project's (cross-version runs)",
      })
      .option('shard', {
        type: 'string',
        describe: "run only shard i of n (e.g. 1/2); merge the shards' --out files with `tfjs-repro merge`",
      })
      .example('$0 run --shard 1/2 --out shard-1.json', 'one half of the checks, for CI machines working in parallel')
      .example('$0 run my-model --check "property roundtrip" --seed 42 --path "3:1"', 'replay a property failure')
      .example('$0 run --jobs 2 --timeout 60', 'two scenario × backend jobs at once, each stopped after 60 s')
      .example('$0 run scaler-regression --backend wasm --format http', 'one scenario, one configuration') as never,
  handler: async (a) => {
    const checks = a.check
      ? parseChecks(
          [a.check]
            .flat()
            .flatMap((c) => String(c).split(','))
            .map((c) => c.trim())
            .filter(Boolean),
        )
      : undefined;
    const seed = parseSeed(a.seed);
    if (a.out) await checkOutPath(a.out);
    const reports = await reportFiles(a);
    const limit = timeoutMs(a);
    const pool = makePool(a);
    try {
      const { runtime, discovery } = await runtimeAndScenarios(a, pool);
      const store = storeFor(a);
      const plan = planRun({
        // A backend named with --backend is required: asking for it and running nothing must not pass.
        runtime,
        scenarios: discovery.scenarios,
        broken: discovery.broken,
        backends: selectedBackends(a),
        formats: selectedFormats(a),
        requireBackends: [...requiredBackendsFromEnv(), ...(selectedBackends(a) ?? [])],
        ...(checks ? { checks } : {}),
        ...(a.shard ? { shard: parseShard(a.shard) } : {}),
      });
      const progress = startProgress({ total: plan.jobs.reduce((n, j) => n + j.checks.length, 0), unit: 'checks', json: a.json });
      const show = (o: CheckOutcome) => {
        if (!a.json)
          progress.print(
            `${mark[o.status]} ${outcomeId(o)} (${o.durationMs} ms)${o.status === 'pass' ? (o.note ? ` — note: ${o.note}` : '') : o.status === 'fail' ? `\n${indent(formatOutcome(o))}` : ` — ${o.reason}`}\n`,
          );
      };
      if (!a.json) for (const s of plan.skipped) progress.print(`○ backend ${s.backend} skipped for every scenario: ${s.reason}\n`);
      const outcomes: CheckOutcome[] = [...plan.fixed];
      plan.fixed.forEach(show);
      // Jobs run in parallel hosts; their outcomes are printed in plan order, so output is stable.
      const property = { ...(seed !== undefined ? { seed } : {}), ...(a.path ? { path: a.path } : {}) };
      // Scheduled longest first (durations of the last run), printed in plan order.
      const running = await startJobs(pool, plan.jobs, {
        goldens: store.root,
        results: resultsDir(a),
        property,
        ...(limit ? { timeoutMs: limit } : {}),
        onOutcome: () => progress.tick(),
      });
      running.forEach((r, i) => void r.then((os) => progress.done(jobLine(plan.jobs[i]!.scenario, plan.jobs[i]!.backend, os))));
      for (const r of running)
        for (const job of await r) {
          const o = await withHint(job, { scenarios: discovery.scenarios, goldens: a.goldens }); // "most likely: <cause>" (issue 12)
          outcomes.push(o);
          show(o);
        }
      // Orphan and unreferenced goldens fail a full run only: a filtered or sharded one sees part of the scenarios.
      if (!a.scenario?.length && !a.shard && !a.check) {
        const known = [...discovery.scenarios, ...discovery.broken].map((s) => s.name);
        for (const p of await goldenHygiene(store, known)) {
          const o: CheckOutcome = {
            scenario: p.scenario,
            configuration: { runtime: runtime.name, backend: '-' },
            check: 'load',
            status: 'fail',
            durationMs: 0,
            reason: p.reason,
          };
          outcomes.push(o);
          if (!a.json) progress.print(`${mark.fail} ${formatOutcome(o)}\n`);
        }
      }
      progress.stop();
      await rememberDurations(outcomes, durationsFile()).catch(() => undefined); // a cache: a read-only checkout still runs
      const counts = summarize(outcomes);
      const result = resultFile(runtime.name, outcomes, plan.skipped, a.shard);
      if (a.out) {
        await mkdir(path.dirname(path.resolve(a.out)), { recursive: true });
        await writeFile(a.out, JSON.stringify(result, null, 1) + '\n');
      }
      await writeRunReports(a, reports, { runtime: runtime.name, outcomes, skippedBackends: plan.skipped });
      if (a.json) process.stdout.write(JSON.stringify(result, null, 1) + '\n');
      else
        process.stdout.write(
          `\n${counts.pass} passed, ${counts.fail} failed, ${counts['not-applicable']} not applicable${counts.skipped ? `, ${counts.skipped} not run` : ''}${plan.skipped.length ? `; backends skipped: ${plan.skipped.map((s) => s.backend).join(', ')}` : ''}\n`,
        );
      process.exitCode = counts.fail > 0 ? 1 : 0;
    } finally {
      await pool.close();
    }
  },
};

/** --out must name a file: refused before any work when it is a directory. */
async function checkOutPath(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (info?.isDirectory()) throw new Error(`--out ${out}: is a directory; name a file, e.g. ${path.join(out, 'results.json')}`);
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
