// Trains every scenario in the page (browser-cpu and webgl) and compares with Node's cpu training:
// browser-cpu must equal it bit for bit; webgl is measured against the retrain tolerance; a save →
// load round trip on webgl must be exact. Run: npx tsx harness/executor/browser/measure-browser-training.ts
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { predict, trainScenario } from '../../checks/model-ops.ts';
import { compareTensors } from '../../compare/compare-tensors.ts';
import { resolveTolerance } from '../../compare/tolerance.ts';
import { disposeModel } from '../../bundle/load-bundle.ts';
import { loadRuntime } from '../../runtime/load-runtime.ts';
import type { TrainedScenario } from '../../scenario/define-scenario.ts';
import type { Predictions } from '../../types/tensor-data.ts';
import { openBackendPage, type BrowserBackendName } from './browser-backends.ts';
import { closeBrowser } from './launch-browser.ts';
import { pageTrainData } from './page-train-data.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
// Arguments: backends (comma-separated, default browser-cpu,webgl), then scenario names (default all).
const [backendArg, ...scenarioArgs] = process.argv.slice(2);
const backends = (backendArg ?? 'browser-cpu,webgl').split(',') as BrowserBackendName[];
const names = scenarioArgs.length ? scenarioArgs : ['custom-activation', 'image-conv', 'iris-labels', 'minmax-out-of-range', 'multi-io', 'scaler-regression', 'stateful-lstm', 'text-embedding', 'text-gru'];

function maxAbs(a: Predictions, e: Predictions, tol = { atol: 0, rtol: 0 }): { maxAbs: number; ok: boolean } {
  let m = 0; let ok = true;
  for (const [k, t] of Object.entries(e)) {
    const o = compareTensors(a[k]!, t, tol);
    ok &&= o.ok;
    if ('stats' in o) m = Math.max(m, o.stats.maxAbsError);
  }
  return { maxAbs: m, ok };
}

const { tf } = await loadRuntime();
const pages = Object.fromEntries(await Promise.all(backends.map(async (b) => [b, await openBackendPage(b)] as const)));
for (const name of names) {
  const file = path.join(root, 'scenarios', `${name}.scenario.ts`);
  const s = ((await import(pathToFileURL(file).href)) as { default: TrainedScenario }).default;
  const node = await trainScenario(tf, s);
  const expected = predict(tf, node.model, node.preprocessing, node.probes, s);
  disposeModel(tf, node.model);
  const data = pageTrainData(s);
  const row: Record<string, unknown> = { scenario: name };
  for (const [backend, opened] of Object.entries(pages)) {
    if (!opened.usable) { row[backend] = opened.reason; continue; }
    const p = opened.page;
    const t = performance.now();
    try {
      const trained = await p.train(await p.serveScenario(file), data.train);
      const trainMs = performance.now() - t;
      const options = { batchSize: s.predictBatchSize, labels: s.labels };
      const got = await p.predict(trained.id, data.probes(trained.inputNames), options);
      const reloaded = await p.loadModel(await p.save(trained.id), { scenarioUrl: await p.serveScenario(file) });
      const again = await p.predict(reloaded.id, data.probes(reloaded.inputNames), options);
      const twice = await p.train(await p.serveScenario(file), data.train);
      const second = await p.predict(twice.id, data.probes(twice.inputNames), options);
      for (const id of [trained.id, reloaded.id, twice.id]) await p.dispose(id);
      const vsNode = maxAbs(got, expected, backend === 'browser-cpu' ? { atol: 0, rtol: 0 } : resolveTolerance('retrain', s.tolerance, backend));
      row[backend] = { trainMs: Math.round(trainMs), maxAbsVsNodeCpu: vsNode.maxAbs, withinTolerance: vsNode.ok, roundtripExact: maxAbs(again, got).ok, trainTwiceExact: maxAbs(second, got).ok, tensorsLeft: await p.numTensors() };
    } catch (err) {
      row[backend] = `error: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  console.log(JSON.stringify(row));
}
await closeBrowser();
