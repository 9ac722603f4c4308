// npm run bench [-- --runs 5 --json --skip-browser]: times the default suite per backend, the harness's
// overhead against a bare tfjs script doing the same train + save + load + predict work, and the
// browser backends' share of npm test (bench-browser.ts).
// Figures are medians of several runs in one process, reported as ratios: machines are noisy.
import { inProcessExecutors } from '../harness/executor/in-process-executor.ts';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCheck } from '../harness/checks/checks.ts';
import { scenarioData } from '../harness/checks/model-ops.ts';
import { planRun } from '../harness/checks/plan.ts';
import { ScenarioContext } from '../harness/checks/scenario-context.ts';
import { GoldenStore } from '../harness/golden/golden-store.ts';
import { applyPipeline, fitPipeline } from '../harness/preprocessing/pipeline.ts';
import { rowsToTensorData } from '../harness/preprocessing/rows.ts';
import type { Value } from '../harness/types/example.ts';
import { backendNames, isBrowserBackend, type BackendName } from '../harness/runtime/backends.ts';
import { activateBackend, loadRuntime } from '../harness/runtime/load-runtime.ts';
import { withSeed } from '../harness/runtime/seeded-scope.ts';
import type { ModelArtifacts, Tensor } from '../harness/runtime/tf-types.ts';
import { discoverScenarios } from '../harness/scenario/discover-scenarios.ts';
import { benchBrowser, formatBrowserBench } from './bench-browser.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'scaler-regression' },
    // The browser figures take a minute or more (bench-browser.ts).
    'skip-browser': { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
const root = path.resolve(import.meta.dirname, '..');
const runtime = await loadRuntime();
const executors = inProcessExecutors(runtime);
const store = new GoldenStore(path.join(root, 'goldens'));
const discovery = await discoverScenarios(path.join(root, 'scenarios'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (s: string) => {
  if (!args.json) process.stderr.write(s + '\n');
};

/** Per-scenario times of the default suite on one backend (not-applicable checks cost nothing). */
async function timeSuite(backend: BackendName): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  const plan = planRun({ runtime, scenarios: discovery.scenarios, backends: [backend] });
  for (const job of plan.jobs) {
    const start = performance.now();
    const ctx = new ScenarioContext(executors, store, discovery.scenarios.find((s) => s.name === job.scenario)!);
    for (const c of job.checks) {
      const o = await runCheck(ctx, c.check, c.configuration);
      if (o.status === 'fail') throw new Error(`bench: ${o.scenario} ${o.check} on ${backend} failed: ${o.reason}`);
    }
    await ctx.dispose();
    times[job.scenario] = performance.now() - start;
  }
  return times;
}

const scenario = discovery.scenarios.find((s) => s.name === args.scenario);
if (!scenario) throw new Error(`--scenario: "${args.scenario}" not found; known: ${discovery.scenarios.map((s) => s.name).join(', ')}`);
const def = scenario.definition;

/** The same work without the harness: fit, predict, save to memory, load, predict. */
async function bare(): Promise<number> {
  const { tf } = runtime;
  const start = performance.now();
  const data = scenarioData(def);
  const state = fitPipeline(def.preprocessing ?? [], data.train.x);
  // The bare script handles what the benchmark scenario has: one input, one output.
  const x = rowsToTensorData(applyPipeline(state, data.train.x) as Value[], 'x');
  const p = rowsToTensorData(applyPipeline(state, data.probes) as Value[], 'probes');
  await withSeed(def.seed, async () => {
    const model = def.model({ tf, inputShape: x.shape.slice(1), inputShapes: {} });
    const optimizer = tf.train.adam(def.train.learningRate ?? 0.01);
    model.compile({ optimizer, loss: def.train.loss });
    const xs = tf.tensor(x.values, x.shape);
    const ys = tf.tensor2d(data.train.y as number[][]);
    await model.fit(xs, ys, { epochs: def.train.epochs, batchSize: def.train.batchSize, verbose: 0, shuffle: def.train.shuffle ?? true });
    const probes = tf.tensor(p.values, p.shape);
    (model.predict(probes) as Tensor).dataSync();
    let saved: ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    (loaded.predict(probes) as Tensor).dataSync();
    tf.dispose([xs, ys, probes]);
    optimizer.dispose();
    model.dispose();
    loaded.dispose();
  });
  return performance.now() - start;
}

/** The harness's roundtrip check on the memory format: the same work plus bundle, checksums, comparison. */
async function harness(): Promise<number> {
  const start = performance.now();
  const ctx = new ScenarioContext(executors, store, scenario!);
  const o = await runCheck(ctx, 'roundtrip', { runtime: runtime.name, backend: 'cpu', format: 'memory' });
  if (o.status !== 'pass') throw new Error(`bench: roundtrip failed: ${o.reason}`);
  await ctx.dispose();
  return performance.now() - start;
}

const usable = backendNames.filter((b) => runtime.backends[b].usable);
const suite: Record<string, number> = {};
const perScenario: Record<string, Record<string, number>> = {};
for (const backend of usable) {
  await timeSuite(backend); // warm-up: kernels, wasm compilation, first-call costs
  const samples: Record<string, number>[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timeSuite(backend));
  for (const name of Object.keys(samples[0]!)) (perScenario[name] ??= {})[backend] = median(samples.map((t) => t[name]!));
  const totals = samples.map((t) => Object.values(t).reduce((a, b) => a + b, 0));
  suite[backend] = median(totals);
  log(
    `suite on ${backend.padEnd(10)} median ${suite[backend]!.toFixed(0)} ms over ${runs} runs (${totals.map((t) => t.toFixed(0)).join(', ')})`,
  );
}
await activateBackend(runtime, 'cpu');
await bare();
await harness();
const bareTimes: number[] = [];
const harnessTimes: number[] = [];
for (let i = 0; i < Math.max(runs, 5); i++) {
  bareTimes.push(await bare());
  harnessTimes.push(await harness());
}
const overhead = median(harnessTimes) / median(bareTimes);
const browser = args['skip-browser'] ? undefined : await benchBrowser(runtime, discovery.scenarios, store);
const result = {
  runtime: runtime.name,
  runs,
  suiteMs: suite,
  suiteRatioToCpu: Object.fromEntries(Object.entries(suite).map(([b, t]) => [b, t / suite.cpu!])),
  scenarioMs: perScenario,
  overhead: { scenario: scenario.name, bareMs: median(bareTimes), harnessMs: median(harnessTimes), ratio: overhead },
  // Browser backends are measured in pages (bench-browser.ts), not in this process.
  skipped: backendNames.filter((b) => !runtime.backends[b].usable && !(browser && isBrowserBackend(b))),
  ...(browser ? { browser } : {}),
};
if (args.json) {
  console.log(JSON.stringify(result, null, 1));
} else {
  console.log(`\n| scenario | ${usable.join(' | ')} |\n|---|${usable.map(() => '---').join('|')}|`);
  for (const [name, byBackend] of Object.entries(perScenario)) {
    console.log(
      `| ${name} | ${usable.map((b) => `${byBackend[b]!.toFixed(0)} ms (${(byBackend[b]! / byBackend.cpu!).toFixed(2)}×)`).join(' | ')} |`,
    );
  }
  console.log(
    `\nsuite time relative to cpu: ${Object.entries(result.suiteRatioToCpu)
      .map(([b, r]) => `${b} ${r.toFixed(2)}×`)
      .join(', ')} (a backend that cannot train a scenario skips that training)`,
  );
  console.log(
    `harness overhead (${scenario.name}, train + save + load + predict on cpu): ${overhead.toFixed(2)}× a bare tfjs script (${result.overhead.harnessMs.toFixed(0)} ms vs ${result.overhead.bareMs.toFixed(0)} ms, medians)`,
  );
  if (browser) console.log(formatBrowserBench(browser));
  if (result.skipped.length) console.log(`backends not measured (not usable): ${result.skipped.join(', ')}; see npx tfjs-repro doctor`);
}
