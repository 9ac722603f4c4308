import type { CommandModule } from 'yargs';
import { explainLayers } from '../checks/explain-layers.ts';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { browserBackendsIn, hostExecutors, type HostExecutors } from '../executor/host-executors.ts';
import { parseBackendName, type BackendName } from '../runtime/backends.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { discoverScenarios } from '../scenario/discover-scenarios.ts';
import path from 'node:path';
import { dirOptions, storeFor } from './shared-options.ts';

interface ExplainArgs {
  scenario: string;
  backend: string;
  against: string;
  json: boolean;
  scenarios: string;
  goldens: string;
}

const num = (v: number) => v.toExponential(2);

export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: 'explain <scenario>',
  describe: 'run the golden bundle layer by layer on two backends and name the first layer whose output diverges beyond crossBackend',
  builder: (y) =>
    dirOptions(y)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'the scenario to trace' })
      .option('backend', { alias: 'b', type: 'string', demandOption: true, describe: 'the backend under suspicion' })
      .option('against', { type: 'string', default: 'cpu', describe: 'the backend to compare with (default: cpu, the reference backend)' })
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
      .example('$0 explain scaler-regression --backend wasm --against cpu', 'where wasm starts to drift from cpu') as never,
  handler: async (a) => {
    const backend = parseBackendName(a.backend, '--backend');
    const against = parseBackendName(a.against, '--against');
    if (backend === against)
      throw new Error(`--backend and --against must differ (both are ${backend}); compare e.g. --backend wasm --against cpu`);
    const runtime = await loadRuntime();
    // A browser backend gets its page here; the browser must be closed, or it keeps this process alive.
    const executors = await hostExecutors(runtime, { browserBackends: browserBackendsIn(backend, against) });
    try {
      await explainWith(a, executors, backend, against);
    } finally {
      await executors.close();
    }
  },
};

async function explainWith(a: ExplainArgs, executors: HostExecutors, backend: BackendName, against: BackendName): Promise<void> {
  for (const b of [backend, against]) {
    if (!executors.backends[b].usable) throw new Error(`backend ${b} is not usable: ${executors.backends[b].reason}`);
  }
  const common = { scenario: [a.scenario], json: a.json, scenarios: a.scenarios, goldens: a.goldens };
  // explain runs one scenario in this process (no time limit): it is a diagnosis tool, not a CI gate.
  const discovery = await discoverScenarios(path.resolve(a.scenarios), (n) => n === a.scenario);
  const scenario = discovery.scenarios[0];
  if (!scenario) throw new Error(discovery.broken[0]?.error ?? `scenario "${a.scenario}" not found in ${a.scenarios}/`);
  executors.useScenario(scenario.name, scenario.file);
  const ctx = new ScenarioContext(executors, storeFor(common), scenario);
  const result = await explainLayers(ctx, backend, against);
  await ctx.dispose();
  if (a.json) {
    process.stdout.write(JSON.stringify(result, null, 1) + '\n');
    return;
  }
  const lines = [`${result.scenario}: ${backend} against ${against}, layer by layer (crossBackend tolerance)`];
  const nameWidth = Math.max(...result.layers.map((l) => l.layer.length));
  const classWidth = Math.max(...result.layers.map((l) => l.className.length));
  for (const l of result.layers) {
    const c = l.comparison;
    const stats = c.ok || c.reason === 'values' ? c.stats : undefined;
    const mark = l.layer === result.firstDivergent ? '✘ first divergence' : c.ok ? '✔' : '✘';
    lines.push(
      `  ${l.layer.padEnd(nameWidth)}  ${l.className.padEnd(classWidth)}  ${stats ? `max abs ${num(stats.maxAbsError)}  max rel ${num(stats.maxRelError)}  ${stats.mismatches}/${stats.total} beyond tolerance` : (c as { message: string }).message}  ${mark}`,
    );
  }
  lines.push(
    result.firstDivergent
      ? `first layer beyond tolerance: ${result.firstDivergent}`
      : 'no layer diverges beyond the crossBackend tolerance',
  );
  if (result.firstDifferent) lines.push(`first layer whose output differs at all: ${result.firstDifferent}`);
  else lines.push('every layer output is bit-identical');
  process.stdout.write(lines.join('\n') + '\n');
}
