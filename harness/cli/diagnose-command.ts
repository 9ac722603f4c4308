import path from 'node:path';
import type { CommandModule } from 'yargs';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { diagnoseFile } from '../diagnose/diagnose.ts';
import { verdictLine, formatDiagnosis } from '../report/format-diagnosis.ts';
import { formatConfusion, selfTestScenario, type SelfTestCell } from '../diagnose/self-test.ts';
import { browserBackendsIn, hostExecutors, type HostExecutors } from '../executor/host-executors.ts';
import { parseBackendName, referenceBackend, type BackendName } from '../runtime/backends.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { discoverScenarios, type LoadedScenario } from '../scenario/discover-scenarios.ts';
import { storeFor } from './shared-options.ts';

interface DiagnoseArgs {
  scenario?: string[];
  obtained?: string;
  'self-test': boolean;
  backend?: string;
  pairs: boolean;
  versions: boolean;
  json: boolean;
  scenarios: string;
  goldens: string;
}

export const diagnoseCommand: CommandModule<object, DiagnoseArgs> = {
  command: 'diagnose [scenario..]',
  describe:
    'name the known cause (a fault of the catalog, another backend, quantized weights, or a pair) that reproduces predictions obtained on the golden probes',
  builder: (y) =>
    y
      .positional('scenario', {
        type: 'string',
        array: true,
        describe: 'the scenario whose probes were predicted (with --self-test: scenarios to include, default all)',
      })
      .option('obtained', {
        type: 'string',
        describe: 'predictions on the golden probes: an outputs file (golden codec) or a JSON array of rows',
      })
      .option('self-test', {
        type: 'boolean',
        default: false,
        describe: 'inject each prediction-changing fault, diagnose it, and print the confusion matrix',
      })
      .option('backend', {
        alias: 'b',
        type: 'string',
        describe: 'environments to try (default: the usable Node backends); browser backends start Chromium',
      })
      .option('pairs', {
        type: 'boolean',
        default: true,
        describe: 'also try pairs of one model-side cause and one environment (--no-pairs to skip)',
      })
      .option('versions', {
        type: 'boolean',
        default: true,
        describe: 'also try the other tfjs versions installed by `matrix` (a child process each; --no-versions to skip)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
      .option('scenarios', { type: 'string', default: 'scenarios', describe: 'directory of *.scenario.ts files' })
      .option('goldens', { type: 'string', default: 'goldens', describe: 'directory of recorded goldens' })
      .example('$0 diagnose scaler-regression --obtained preds.json', "why my app's predictions differ from the golden")
      .example('$0 diagnose --self-test', 'the confusion matrix of injected faults × diagnosed causes') as never,
  handler: async (a) => {
    if (!a['self-test'] && (a.scenario?.length !== 1 || !a.obtained))
      throw new Error('diagnose: name one scenario and --obtained <file> (predictions on its golden probes), or use --self-test');
    const backends = a.backend?.split(',').map((b) => parseBackendName(b.trim(), '--backend'));
    const executors = await hostExecutors(await loadRuntime(), { browserBackends: browserBackendsIn(a.backend) });
    try {
      const discovery = await discoverScenarios(path.resolve(a.scenarios), a.scenario?.length ? (n) => a.scenario!.includes(n) : undefined);
      const missing = (a.scenario ?? []).filter((n) => !discovery.scenarios.some((s) => s.name === n));
      if (missing.length) throw new Error(discovery.broken[0]?.error ?? `scenario "${missing[0]}" not found in ${a.scenarios}/`);
      const o = { pairs: a.pairs, versions: a.versions && !a['self-test'], ...(backends ? { backends } : {}) };
      if (a['self-test']) await selfTest(a, executors, discovery.scenarios, o);
      else await diagnoseOne(a, executors, discovery.scenarios[0]!, o);
    } finally {
      await executors.close();
    }
  },
};

type TableArgs = { pairs: boolean; versions: boolean; backends?: BackendName[] };

async function diagnoseOne(a: DiagnoseArgs, executors: HostExecutors, scenario: LoadedScenario, o: TableArgs): Promise<void> {
  executors.useScenario(scenario.name, scenario.file);
  const ctx = new ScenarioContext(executors, storeFor({ ...a, json: a.json }), scenario);
  try {
    const r = await diagnoseFile(ctx, a.obtained!, o);
    if (a.json) {
      const strip = (x: { hypothesis: { outputs: unknown } }) => ({ ...x, hypothesis: { ...x.hypothesis, outputs: undefined } });
      process.stdout.write(
        JSON.stringify(
          { ...r, obtained: { ...r.obtained, outputs: undefined }, ranked: r.ranked.map(strip), verdictText: verdictLine(r.verdict) },
          null,
          1,
        ) + '\n',
      );
    } else {
      const n = Object.values(r.obtained.outputs).reduce((k, t) => k + t.values.length, 0);
      process.stdout.write(
        formatDiagnosis(r, `${scenario.name}: ${n} obtained values (${a.obtained}) against ${r.hypotheses} hypotheses on ${r.base}`) + '\n',
      );
    }
    process.exitCode = r.verdict.kind === 'unexplained' ? 1 : 0;
  } finally {
    await ctx.dispose();
  }
}

async function selfTest(a: DiagnoseArgs, executors: HostExecutors, scenarios: LoadedScenario[], o: TableArgs): Promise<void> {
  const cells: SelfTestCell[] = [];
  for (const scenario of scenarios) {
    executors.useScenario(scenario.name, scenario.file);
    const ctx = new ScenarioContext(executors, storeFor({ ...a, json: a.json }), scenario);
    try {
      cells.push(...(await selfTestScenario(ctx, referenceBackend, undefined, o)));
    } finally {
      await ctx.dispose();
    }
  }
  if (a.json) process.stdout.write(JSON.stringify(cells, null, 1) + '\n');
  else process.stdout.write(formatConfusion(cells) + '\n');
  process.exitCode = cells.some((c) => c.status === 'wrong') ? 1 : 0;
}
