import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { parseChecks, parseShard, planRun, requiredBackendsFromEnv } from '../checks/plan.ts';
import { resultFile } from '../report/result-file.ts';
import { outcomeId, type CheckOutcome } from '../checks/outcome.ts';
import { formatOutcome, summarize } from '../report/format-outcome.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { commonOptions, discover, selectedBackends, selectedFormats, storeFor, type CommonArgs } from './shared-options.ts';

interface RunArgs extends CommonArgs { out?: string; check?: string | string[]; seed?: number; path?: string; shard?: string; 'runtime-root'?: string }

const mark = { pass: '✔', fail: '✘', 'not-applicable': '–', skipped: '○' } as const;

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario..]',
  describe: 'replay goldens and run every check for each scenario × backend × format; exits 1 on any failure',
  builder: (y) => commonOptions(y)
    .option('out', { type: 'string', describe: 'also write the outcomes as JSON to this file' })
    .option('check', { type: 'string', describe: 'only these checks, e.g. replay or "property roundtrip" (repeatable)' })
    .option('seed', { type: 'number', describe: 'fast-check seed for properties (printed by a failing property)' })
    .option('path', { type: 'string', describe: 'fast-check path for properties, with --seed, to replay a shrunk failure' })
    .option('runtime-root', { type: 'string', describe: 'use the tfjs installed under this directory instead of the project\'s (cross-version runs)' })
    .option('shard', { type: 'string', describe: 'run only shard i of n (e.g. 1/2); merge the shards\' --out files with `tfjs-repro merge`' })
    .example('$0 run --shard 1/2 --out shard-1.json', 'one half of the checks, for CI machines working in parallel')
    .example('$0 run my-model --check "property roundtrip" --seed 42 --path "3:1"', 'replay a property failure')
    .example('$0 run', 'every scenario on every usable backend and format')
    .example('$0 run scaler-regression --backend wasm --format http', 'one scenario, one configuration') as never,
  handler: async (a) => {
    const runtime = await loadRuntime(a['runtime-root'] ? { root: a['runtime-root'] } : {});
    const store = storeFor(a);
    const discovery = await discover(a);
    const { scenarios: plans, skipped } = planRun({
      // A backend named with --backend is required: asking for it and running nothing must not pass.
      runtime, store, discovery, backends: selectedBackends(a), formats: selectedFormats(a), requireBackends: [...requiredBackendsFromEnv(), ...(selectedBackends(a) ?? [])],
      ...(a.check ? { checks: parseChecks([a.check].flat().map(String)) } : {}),
      property: { ...(a.seed !== undefined ? { seed: a.seed } : {}), ...(a.path ? { path: a.path } : {}) },
      ...(a.shard ? { shard: parseShard(a.shard) } : {}),
    });
    const outcomes: CheckOutcome[] = [];
    if (!a.json) for (const s of skipped) process.stdout.write(`○ backend ${s.backend} skipped for every scenario: ${s.reason}\n`);
    for (const plan of plans) {
      for (const c of plan.checks) {
        const o = await c.run();
        outcomes.push(o);
        if (!a.json) process.stdout.write(`${mark[o.status]} ${outcomeId(o)} (${o.durationMs} ms)${o.status === 'pass' ? '' : o.status === 'fail' ? `\n${indent(formatOutcome(o))}` : ` — ${o.reason}`}\n`);
      }
      await plan.dispose();
    }
    // Orphan goldens fail a full run only: a filtered or sharded one sees part of the scenarios.
    if (!a.scenario?.length && !a.shard && !a.check) {
      const known = new Set([...discovery.scenarios, ...discovery.broken].map((s) => s.name));
      for (const name of await store.list()) {
        if (!known.has(name)) {
          const o: CheckOutcome = { scenario: name, configuration: { runtime: runtime.name, backend: '-' }, check: 'load', status: 'fail', durationMs: 0, reason: `orphan golden ${store.dir(name)}: no scenarios/${name}.scenario.ts; delete the golden or restore the scenario` };
          outcomes.push(o);
          if (!a.json) process.stdout.write(`${mark.fail} ${formatOutcome(o)}\n`);
        }
      }
    }
    const counts = summarize(outcomes);
    const result = resultFile(runtime.name, outcomes, skipped, a.shard);
    if (a.out) {
      await mkdir(path.dirname(path.resolve(a.out)), { recursive: true });
      await writeFile(a.out, JSON.stringify(result, null, 1) + '\n');
    }
    if (a.json) process.stdout.write(JSON.stringify(result, null, 1) + '\n');
    else process.stdout.write(`\n${counts.pass} passed, ${counts.fail} failed, ${counts['not-applicable']} not applicable${skipped.length ? `; backends skipped: ${skipped.map((s) => s.backend).join(', ')}` : ''}\n`);
    process.exitCode = counts.fail > 0 ? 1 : 0;
  },
};

const indent = (s: string) => s.split('\n').map((l) => `    ${l}`).join('\n');
