// Measures every golden on every browser backend against the golden's cpu outputs: max abs/rel error,
// bit identity across two browser launches, launch and first-predict times, float16 overflow.
// Run: npx tsx harness/executor/browser/measure-browser-drift.ts [--json file]
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareTensors } from '../../compare/compare-tensors.ts';
import { resolveTolerance } from '../../compare/tolerance.ts';
import type { TrainedScenario } from '../../scenario/define-scenario.ts';
import type { Predictions } from '../../types/tensor-data.ts';
import { browserBackendNames, openBackendPage, type BrowserBackendName } from './browser-backends.ts';
import { closeBrowser, launchBrowser } from './launch-browser.ts';
import { goldenOutputs, replayGoldenInPage } from './replay-golden-in-page.ts';
import { GoldenStore } from '../../golden/golden-store.ts';
import { toWire } from './wire-tensor.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const goldens = path.join(root, 'goldens');

interface Cell {
  scenario: string;
  backend: string;
  maxAbs: number;
  maxRel: number;
  crossBackendOk: boolean;
  halfPrecisionOk: boolean;
  equalsNode?: boolean;
  labelsEqual?: boolean;
  nonFinite: number;
  predictMs: number;
}

async function definition(scenario: string): Promise<TrainedScenario> {
  const file = path.join(root, 'scenarios', `${scenario}.scenario.ts`);
  return ((await import(pathToFileURL(file).href)) as { default: TrainedScenario }).default;
}

async function sweep(
  scenarios: string[],
): Promise<{ cells: Cell[]; raw: Record<string, string>; firstPredictMs: Record<string, number>; pageMs: Record<string, number> }> {
  const cells: Cell[] = [];
  const raw: Record<string, string> = {};
  const firstPredictMs: Record<string, number> = {};
  const pageMs: Record<string, number> = {};
  for (const backend of browserBackendNames) {
    const t = performance.now();
    const opened = await openBackendPage(backend);
    pageMs[backend] = performance.now() - t;
    if (!opened.usable) {
      console.error(`${backend}: not usable: ${opened.reason}`);
      continue;
    }
    for (const scenario of scenarios) {
      const def = await definition(scenario);
      const replay = await replayGoldenInPage(opened.page, {
        goldens,
        scenario,
        definition: def,
        ...(def.customObjects ? { scenarioFile: path.join(root, 'scenarios', `${scenario}.scenario.ts`) } : {}),
      });
      firstPredictMs[backend] ??= replay.predictMs;
      const expected = await goldenOutputs(goldens, scenario, 'cpu');
      const c = cell(scenario, backend, replay.predictions, expected, def, replay.predictMs);
      const node = NODE_TWIN[backend];
      if (node) c.equalsNode = same(replay.predictions, await goldenOutputs(goldens, scenario, node));
      cells.push(c);
      raw[`${scenario}/${backend}`] = JSON.stringify(Object.entries(replay.predictions).map(([k, v]) => [k, toWire(v).base64]));
    }
    if ((await opened.page.numTensors()) !== 0) console.error(`${backend}: tensors left in the page: ${await opened.page.numTensors()}`);
    await opened.page.close();
  }
  return { cells, raw, firstPredictMs, pageMs };
}

// The Node backend whose golden a browser backend should equal bit for bit.
const NODE_TWIN: Partial<Record<string, string>> = { 'browser-cpu': 'cpu', 'browser-wasm': 'wasm' };
const HALF_PRECISION = { atol: 1e-3, rtol: 1e-3 };
const same = (a: Predictions, e: Predictions) => Object.entries(e).every(([k, t]) => compareTensors(a[k]!, t, { atol: 0, rtol: 0 }).ok);

function cell(
  scenario: string,
  backend: string,
  actual: Predictions,
  expected: Predictions,
  def: TrainedScenario,
  predictMs: number,
): Cell {
  let maxAbs = 0;
  let maxRel = 0;
  let ok = true;
  let half = true;
  let nonFinite = 0;
  let labelsEqual: boolean | undefined;
  for (const [key, e] of Object.entries(expected)) {
    const a = actual[key];
    if (!a) throw new Error(`${scenario} on ${backend}: output ${key} is missing`);
    nonFinite += a.values.filter((v) => !Number.isFinite(v)).length;
    const outcome = compareTensors(a, e, resolveTolerance('crossBackend', def.tolerance, backend, key));
    if (key.endsWith('.labels')) {
      labelsEqual = (labelsEqual ?? true) && outcome.ok;
      continue;
    }
    ok &&= outcome.ok;
    half &&= compareTensors(a, e, HALF_PRECISION).ok;
    if ('stats' in outcome) {
      maxAbs = Math.max(maxAbs, outcome.stats.maxAbsError);
      maxRel = Math.max(maxRel, outcome.stats.maxRelError);
    }
  }
  return {
    scenario,
    backend,
    maxAbs,
    maxRel,
    crossBackendOk: ok,
    halfPrecisionOk: half,
    nonFinite,
    predictMs,
    ...(labelsEqual === undefined ? {} : { labelsEqual }),
  };
}

const scenarios = await new GoldenStore(goldens).list();
const t0 = performance.now();
await launchBrowser();
const launchMs = performance.now() - t0;
const first = await sweep(scenarios);
const replayAllMs = performance.now() - t0;
await closeBrowser();
const t1 = performance.now();
const second = await sweep(scenarios);
const secondMs = performance.now() - t1;
await closeBrowser();
const differing = Object.keys(first.raw).filter((k) => first.raw[k] !== second.raw[k]);
const summary = {
  launchMs,
  replayAllMs,
  secondRunMs: secondMs,
  firstPredictMs: first.firstPredictMs,
  pageMs: first.pageMs,
  bitIdenticalAcrossLaunches: differing.length === 0,
  differing,
  cells: first.cells,
};
const fmt = (x: number) => (x === 0 ? '0' : x.toExponential(1));
const backends = [...new Set(first.cells.map((c) => c.backend))] as BrowserBackendName[];
console.log(`| scenario | ${backends.join(' | ')} |\n|---|${backends.map(() => '---').join('|')}|`);
for (const s of scenarios) {
  console.log(
    `| ${s} | ${backends
      .map((b) => {
        const c = first.cells.find((x) => x.scenario === s && x.backend === b)!;
        return `${fmt(c.maxAbs)} / ${fmt(c.maxRel)}${c.crossBackendOk ? '' : c.halfPrecisionOk ? ' ✗ (half ✓)' : ' ✗ (half ✗)'}${c.equalsNode ? ' =node' : ''}${c.labelsEqual === false ? ' labels≠' : ''}${c.nonFinite ? ` ${c.nonFinite} non-finite` : ''}`;
      })
      .join(' | ')} |`,
  );
}
console.log(JSON.stringify({ ...summary, cells: undefined }, null, 1));
const out = process.argv.indexOf('--json');
if (out > 0) await writeFile(process.argv[out + 1]!, JSON.stringify(summary, null, 1));
