// Measures the errors behind the default tolerances: for every scenario and usable backend, how far
// the golden bundle's predictions (agreement) and a fresh training run (retrain) are from the
// reference backend's golden outputs. Usage: npm run measure [-- --json]
import { inProcessExecutors } from '../harness/executor/in-process-executor.ts';
import path from 'node:path';
import { ScenarioContext } from '../harness/checks/scenario-context.ts';
import { compareTensors } from '../harness/compare/compare-tensors.ts';
import { GoldenStore } from '../harness/golden/golden-store.ts';
import { backendNames, referenceBackend } from '../harness/runtime/backends.ts';
import { loadRuntime } from '../harness/runtime/load-runtime.ts';
import { discoverScenarios } from '../harness/scenario/discover-scenarios.ts';
import type { Predictions } from '../harness/checks/model-ops.ts';

const root = path.resolve(import.meta.dirname, '..');
const runtime = await loadRuntime();
const store = new GoldenStore(path.join(root, 'goldens'));
const { scenarios } = await discoverScenarios(path.join(root, 'scenarios'));

function worst(actual: Predictions, expected: Predictions): { maxAbs: number; maxRel: number } {
  let maxAbs = 0;
  let maxRel = 0;
  for (const [k, e] of Object.entries(expected)) {
    const c = compareTensors(actual[k]!, e, { atol: Infinity, rtol: 0 });
    if (c.ok || c.reason === 'values') {
      maxAbs = Math.max(maxAbs, c.stats.maxAbsError);
      maxRel = Math.max(maxRel, c.stats.maxRelError);
    }
  }
  return { maxAbs, maxRel };
}

const rows: Record<string, string | number>[] = [];
for (const s of scenarios) {
  const ctx = new ScenarioContext(inProcessExecutors(runtime), store, s);
  const reference = (await ctx.expected(referenceBackend)).outputs;
  for (const backend of backendNames.filter((b) => runtime.backends[b].usable)) {
    const agreement = worst(await ctx.replayPredictions(backend, 'memory'), reference);
    const retrain = await ctx.trained(backend).then(
      (t) => worst(t.predictions, reference),
      (e: Error) => e.message,
    );
    rows.push({
      scenario: s.name,
      backend,
      agreementMaxAbs: agreement.maxAbs,
      agreementMaxRel: agreement.maxRel,
      retrainMaxAbs: typeof retrain === 'string' ? 'n/a' : retrain.maxAbs,
      retrainMaxRel: typeof retrain === 'string' ? `n/a (${retrain})` : retrain.maxRel,
    });
  }
  await ctx.dispose();
}
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ runtime: runtime.name, rows }, null, 1));
} else {
  const fmt = (v: string | number) => (typeof v === 'number' ? v.toExponential(2) : v);
  console.log(
    `| scenario | backend | agreement max abs | agreement max rel | retrain max abs | retrain max rel |\n|---|---|---|---|---|---|`,
  );
  for (const r of rows)
    console.log(
      `| ${r.scenario} | ${r.backend} | ${fmt(r.agreementMaxAbs!)} | ${fmt(r.agreementMaxRel!)} | ${fmt(r.retrainMaxAbs!)} | ${fmt(r.retrainMaxRel!)} |`,
    );
}
