// The browser half of the executor in a real headless Chromium: the golden bundle replayed on every
// browser backend against the cpu golden, training in the page, and the page's network boundary.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { trainScenario } from '../../checks/model-ops.ts';
import { compareTensors } from '../../compare/compare-tensors.ts';
import { resolveTolerance, type Tolerance } from '../../compare/tolerance.ts';
import { loadRuntime } from '../../runtime/load-runtime.ts';
import type { TrainedScenario } from '../../scenario/define-scenario.ts';
import type { Predictions, TensorData } from '../../types/tensor-data.ts';
import scalerDefinition from '../../../scenarios/scaler-regression.scenario.ts';
import { readBundleDir } from '../../bundle/bundle-dir.ts';
import type { Tensor } from '../../runtime/tf-types.ts';
import { browserBackendNames, openBackendPage, type BrowserBackendName } from './browser-backends.ts';
import type { BrowserPage } from './browser-page.ts';
import { pageTrainData } from './page-train-data.ts';
import { chromiumMissing, closeBrowser, openPage } from './launch-browser.ts';
import { goldenOutputs, replayGoldenInPage } from './replay-golden-in-page.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const goldens = path.join(root, 'goldens');
const SCENARIO = 'scaler-regression';
const scenarioFile = path.join(root, 'scenarios', `${SCENARIO}.scenario.ts`);
const required = new Set((process.env.TFJS_REPRO_REQUIRE_BACKENDS ?? '').split(',').map((b) => b.trim()));
const chromiumRequired = process.env.TFJS_REPRO_REQUIRE_CHROMIUM === '1' || browserBackendNames.some((b) => required.has(b));
// Planned `halfPrecision` level (issue 11); to move into compare/tolerance.ts with the level.
const scalerRegression: TrainedScenario = scalerDefinition;
const HALF_PRECISION: Tolerance = { atol: 1e-3, rtol: 1e-3 };

function expectWithin(actual: Predictions, expected: Predictions, tol: Tolerance, what: string): number {
  let maxAbs = 0;
  for (const [key, e] of Object.entries(expected)) {
    const outcome = compareTensors(actual[key]!, e, tol);
    expect(outcome.ok, `${what} ${key}: ${JSON.stringify(outcome)}`).to.equal(true);
    if ('stats' in outcome) maxAbs = Math.max(maxAbs, outcome.stats.maxAbsError);
  }
  return maxAbs;
}

describe('browser executor in headless Chromium', function () {
  this.timeout(120_000);
  const pages = new Map<BrowserBackendName, BrowserPage>();
  let cpu: Predictions;

  before(async function () {
    const missing = chromiumMissing();
    if (missing && chromiumRequired) throw new Error(`a browser backend is required (TFJS_REPRO_REQUIRE_CHROMIUM / TFJS_REPRO_REQUIRE_BACKENDS) but ${missing}`);
    if (missing) {
      this.test!.parent!.title += ` (skipped: ${missing})`;
      this.skip();
    }
    cpu = await goldenOutputs(goldens, SCENARIO, 'cpu');
  });
  after(async () => {
    for (const p of pages.values()) await p.close();
    await closeBrowser();
  });

  async function page(this: Mocha.Context, backend: BrowserBackendName): Promise<BrowserPage> {
    const known = pages.get(backend);
    if (known) return known;
    const opened = await openBackendPage(backend);
    if (!opened.usable) {
      if (required.has(backend)) throw new Error(`${backend} is named in TFJS_REPRO_REQUIRE_BACKENDS but cannot run: ${opened.reason}`);
      this.test!.title += ` (skipped: ${opened.reason})`;
      this.skip();
    }
    pages.set(backend, opened.page);
    return opened.page;
  }

  async function replay(ctx: Mocha.Context, backend: BrowserBackendName): Promise<Predictions> {
    const p = await page.call(ctx, backend);
    const { predictions } = await replayGoldenInPage(p, { goldens, scenario: SCENARIO, definition: scalerRegression });
    expect(await p.numTensors(), `tensors left in the ${backend} page`).to.equal(0);
    return predictions;
  }

  it('browser-cpu replays the golden bundle bit for bit like Node cpu', async function () {
    expectWithin(await replay(this, 'browser-cpu'), cpu, { atol: 0, rtol: 0 }, 'browser-cpu');
  });

  it('browser-wasm replays the golden bundle bit for bit like Node wasm, and within crossBackend of cpu', async function () {
    const wasm = await replay(this, 'browser-wasm');
    expectWithin(wasm, await goldenOutputs(goldens, SCENARIO, 'wasm'), { atol: 0, rtol: 0 }, 'browser-wasm vs Node wasm');
    expectWithin(wasm, cpu, resolveTolerance('crossBackend', scalerRegression.tolerance, 'browser-wasm'), 'browser-wasm vs cpu');
  });

  for (const backend of ['webgl', 'webgl-unpacked', 'webgpu'] as const) {
    it(`${backend} agrees with cpu within crossBackend`, async function () {
      expectWithin(await replay(this, backend), cpu, resolveTolerance('crossBackend', scalerRegression.tolerance, backend), backend);
    });
  }

  it('webgl-f16 computes in half precision: beyond crossBackend, within the planned halfPrecision', async function () {
    const f16 = await replay(this, 'webgl-f16');
    const cross = compareTensors(f16.output0!, cpu.output0!, resolveTolerance('crossBackend', undefined, 'webgl-f16'));
    // If the flag were ignored, webgl-f16 would agree like webgl does.
    expect(cross.ok, 'webgl-f16 within crossBackend: WEBGL_FORCE_F16_TEXTURES did not take effect').to.equal(false);
    const maxAbs = expectWithin(f16, cpu, HALF_PRECISION, 'webgl-f16');
    this.test!.title += ` (max abs error ${maxAbs.toExponential(2)})`;
  });

  it('an unscaled input above 65504 overflows float16 storage on webgl-f16 but not on webgl', async function () {
    const p = await page.call(this, 'webgl-f16');
    const gl = await page.call(this, 'webgl');
    const huge: TensorData = { shape: [1, 4], dtype: 'float32', values: Float32Array.from([20, 101_300, 50, 0.01]) };
    const { files } = await readBundleDir(path.join(goldens, SCENARIO, 'bundle'));
    const results = [];
    for (const q of [p, gl]) {
      const url = q.serveFiles(files);
      const info = await q.loadModel(`${url}model.json`);
      results.push((await q.predict(info.id, [huge])).output0!.values[0]!);
      await q.dispose(info.id);
    }
    expect(Number.isFinite(results[0]), `webgl-f16 output ${results[0]}`).to.equal(false);
    expect(Number.isFinite(results[1]), `webgl output ${results[1]}`).to.equal(true);
  });

  it('trains in the page on webgl: predict, save, load, predict again is bit for bit', async function () {
    const p = await page.call(this, 'webgl');
    const data = pageTrainData(scalerRegression);
    const url = await p.serveScenario(scenarioFile);
    const before = await p.numTensors();
    const trained = await p.train(url, data.train);
    const probes = data.probes(trained.inputNames);
    const first = await p.predict(trained.id, probes);
    const reloaded = await p.loadModel(await p.save(trained.id));
    expectWithin(await p.predict(reloaded.id, probes), first, { atol: 0, rtol: 0 }, 'reloaded on webgl');
    await p.dispose(trained.id);
    await p.dispose(reloaded.id);
    expect(await p.numTensors(), 'tensors left after training and disposing').to.equal(before);
  });

  it('trains in the page on browser-cpu exactly as Node trains on cpu (same seeded scope, same draws)', async function () {
    const p = await page.call(this, 'browser-cpu');
    const data = pageTrainData(scalerRegression);
    const trained = await p.train(await p.serveScenario(scenarioFile), data.train);
    const probes = data.probes(trained.inputNames);
    const inPage = await p.predict(trained.id, probes);
    await p.dispose(trained.id);
    const { tf } = await loadRuntime();
    const node = await trainScenario(tf, scalerRegression);
    const out = node.model.predict(tf.tensor(probes[0]!.values, probes[0]!.shape)) as Tensor;
    const expected = { output0: { shape: [...out.shape], dtype: 'float32' as const, values: Float32Array.from(out.dataSync()) } };
    tf.dispose([out]);
    node.model.dispose();
    expectWithin(inPage, expected, { atol: 0, rtol: 0 }, 'browser-cpu training vs Node cpu training');
  });

  it('a scenario with a Node-only import is not applicable in the browser, with the reason', async function () {
    const p = await page.call(this, 'browser-cpu');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-browser-'));
    try {
      const file = path.join(dir, 'node-only.scenario.ts');
      await writeFile(file, `import { readFileSync } from 'node:fs';\nimport scenario from ${JSON.stringify(scenarioFile)};\n`
        + `export default { ...scenario, model: (ctx) => { readFileSync('/etc/hostname'); return scenario.model(ctx); } };\n`);
      const err = await p.train(await p.serveScenario(file), pageTrainData(scalerRegression).train).catch((e: Error) => e);
      expect(String((err as Error).message)).to.match(/^not applicable in the browser: .*node-only\.scenario\.ts imports "node:fs".*node:fs\.readFileSync/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a backend that did not start instead of running on the quiet fallback of tfjs', async function () {
    const p = await openPage();
    try {
      // As on a machine without WebGPU: tfjs would stay on webgl and say nothing.
      await p.playwrightPage.evaluate(() => Object.defineProperty(navigator, 'gpu', { value: undefined }));
      const status = await p.setBackend('webgpu');
      expect(status.usable).to.equal(false);
      expect(status.reason).to.match(/navigator\.gpu is undefined/);
      // No WebGL context: tf.setBackend returns false and another backend stays active.
      const fallback = await p.setBackend('webgl', { WEBGL_VERSION: 0 });
      expect(fallback.reason, JSON.stringify(fallback)).to.match(/left "\w+" active \(tfjs fell back quietly\)/);
      const bad = await p.setBackend('webgl', { NO_SUCH_FLAG: true });
      expect(bad).to.deep.include({ usable: false });
      expect(bad.reason).to.contain('NO_SUCH_FLAG');
    } finally {
      await p.close();
    }
  });

  it('serves nothing but its own files and lets the page reach nothing else', async function () {
    const p = await page.call(this, 'browser-cpu');
    expect(p.refused(), 'requests refused while replaying and training').to.deep.equal([]);
    const status = await p.playwrightPage.evaluate(async (o) => {
      const local = await fetch(`${o}/../package.json`).then((r) => r.status, (e: Error) => e.message);
      const away = await fetch('http://example.com/').then((r) => String(r.status), (e: Error) => `refused: ${e.message}`);
      return { local, away };
    }, p.origin);
    expect(status.local).to.equal(404);
    expect(status.away).to.match(/^refused/);
    expect(p.refused()).to.include('GET /package.json').and.include('http://example.com/');
  });
});
