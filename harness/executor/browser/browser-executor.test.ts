// The browser executor in a real headless Chromium, kept cheap (browser-cpu, plus one WebGL page):
// the golden bundle through both browser formats bit for bit like Node cpu, custom-object faults in
// the page, save, a Node-only scenario, a quiet tfjs fallback and the page's network boundary.
// Drift on every browser backend is measured by measure-browser-drift.ts and checked through the CLI.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readBundleDir } from '../../bundle/bundle-dir.ts';
import { verifyBundle } from '../../bundle/bundle-files.ts';
import { modelInputs } from '../../checks/model-ops.ts';
import { compareTensors } from '../../compare/compare-tensors.ts';
import { GoldenStore } from '../../golden/golden-store.ts';
import type { BrowserBackendName } from '../../runtime/backends.ts';
import type { TrainedScenario } from '../../scenario/define-scenario.ts';
import { NotApplicable } from '../../types/errors.ts';
import type { Predictions, TensorData } from '../../types/tensor-data.ts';
import customDefinition from '../../../scenarios/custom-activation.scenario.ts';
import scalerDefinition from '../../../scenarios/scaler-regression.scenario.ts';
import type { BrowserExecutor } from './browser-executor.ts';
import { openBrowserExecutors, type BrowserExecutors } from './browser-executors.ts';
import { gateBrowserTests, openedExecutor } from './browser-test-gate.fixture.ts';
import { openPage } from './launch-browser.ts';
import { goldenOutputs } from './replay-golden-in-page.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const goldens = path.join(root, 'goldens');
const store = new GoldenStore(goldens);
const scenarioFile = (name: string) => path.join(root, 'scenarios', `${name}.scenario.ts`);
const scaler: TrainedScenario = scalerDefinition;
const custom: TrainedScenario = customDefinition;

function expectExact(actual: Predictions, expected: Predictions, what: string): void {
  expect(Object.keys(actual), what).to.deep.equal(Object.keys(expected));
  for (const [key, e] of Object.entries(expected)) {
    const outcome = compareTensors(actual[key]!, e, { atol: 0, rtol: 0 });
    expect(outcome.ok, `${what} ${key}: ${JSON.stringify(outcome)}`).to.equal(true);
  }
}

describe('browser executor in headless Chromium', function () {
  this.timeout(60_000);
  let browser: BrowserExecutors;
  const extraFiles = new Map<string, string>();

  before(async function () {
    gateBrowserTests(this, ['browser-cpu', 'webgl-f16', 'webgl']);
    browser = await openBrowserExecutors(['browser-cpu', 'webgl-f16', 'webgl'], {
      tfjsVersion: '4.22.0',
      scenarioFile: (n) => extraFiles.get(n) ?? scenarioFile(n),
    });
  });
  after(async () => {
    await browser?.close();
  });

  function executor(this: Mocha.Context, backend: BrowserBackendName): BrowserExecutor {
    return openedExecutor(this, browser, backend);
  }

  async function replay(
    exec: BrowserExecutor,
    s: TrainedScenario,
    format: 'memory' | 'http',
    customObjects?: Parameters<BrowserExecutor['load']>[1]['customObjects'],
  ) {
    const dir = store.bundleDir(s.name);
    const { files } = await readBundleDir(dir);
    const loaded = await exec.load(files, { format, scenario: s, where: dir, ...(customObjects ? { customObjects } : {}) });
    try {
      const probes = (await store.readProbes(s.name)).inputs;
      return await exec.predict(loaded.model, modelInputs(loaded.preprocessing, probes, loaded.model, s), {
        ...(s.labels ? { labels: true } : {}),
      });
    } finally {
      await exec.dispose(loaded.model);
    }
  }

  it('browser-cpu replays the golden bundle through memory and http bit for bit like Node cpu, and leaves no tensor', async function () {
    const exec = executor.call(this, 'browser-cpu');
    const cpu = await goldenOutputs(goldens, scaler.name, 'cpu');
    expectExact(await replay(exec, scaler, 'memory'), cpu, 'memory');
    expectExact(await replay(exec, scaler, 'http'), cpu, 'http');
    expect(await exec.numTensors()).to.equal(0);
    const err = await replay(exec, scaler, 'file' as 'memory').catch((e: Error) => e);
    expect(err).to.be.instanceOf(NotApplicable);
    expect((err as Error).message).to.match(/format file is not applicable in a browser/);
    const fingerprint = await exec.fingerprint();
    expect(fingerprint.browser).to.match(/^Chromium \d+\./);
    expect(fingerprint).not.to.have.property('renderer');
  });

  it('saves a model from the page as a verified bundle that loads back to the same predictions', async function () {
    const exec = executor.call(this, 'browser-cpu');
    const dir = store.bundleDir(scaler.name);
    const { files } = await readBundleDir(dir);
    const loaded = await exec.load(files, { format: 'memory', scenario: scaler, where: dir });
    const saved = await exec.save(loaded.model, loaded.preprocessing, scaler.name);
    await exec.dispose(loaded.model);
    expect(() => verifyBundle(saved, 'saved')).not.to.throw();
    const again = await exec.load(saved, { format: 'memory', scenario: scaler, where: 'saved' });
    const probes = (await store.readProbes(scaler.name)).inputs;
    const after = await exec.predict(again.model, modelInputs(again.preprocessing, probes, again.model, scaler));
    await exec.dispose(again.model);
    expectExact(after, await goldenOutputs(goldens, scaler.name, 'cpu'), 'saved and reloaded');
  });

  it('runs the custom-object faults in the page: a missing class fails naming it, a changed one changes the outputs', async function () {
    const exec = executor.call(this, 'browser-cpu');
    expect(await exec.customClasses(custom)).to.deep.equal([{ className: 'ReluPlus', isLayer: true }]);
    const missing = await replay(exec, custom, 'memory', { mode: 'missing', className: 'ReluPlus' }).catch((e: Error) => e);
    expect(String((missing as Error).message))
      .to.match(/ReluPlus/)
      .and.to.match(/registerClass/);
    const changed = await replay(exec, custom, 'memory', { mode: 'changed', className: 'ReluPlus', scale: 1.5 });
    const cpu = await goldenOutputs(goldens, custom.name, 'cpu');
    expect(
      compareTensors(changed.output0!, cpu.output0!, { atol: 1e-3, rtol: 1e-3 }).ok,
      'changed ReluPlus must move the outputs',
    ).to.equal(false);
    // The registry is restored: the scenario's own class loads and replays exactly again.
    expectExact(await replay(exec, custom, 'memory'), cpu, 'after the faults');
    expect(await exec.numTensors()).to.equal(0);
  });

  it('an unscaled input above 65504 overflows float16 storage on webgl-f16 but not on webgl', async function () {
    const results: number[] = [];
    for (const backend of ['webgl-f16', 'webgl'] as const) {
      const exec = executor.call(this, backend);
      const dir = store.bundleDir(scaler.name);
      const loaded = await exec.load((await readBundleDir(dir)).files, { format: 'memory', scenario: scaler, where: dir });
      const huge: TensorData = { shape: [1, 4], dtype: 'float32', values: Float32Array.from([20, 101_300, 50, 0.01]) };
      results.push((await exec.predict(loaded.model, [huge])).output0!.values[0]!);
      await exec.dispose(loaded.model);
    }
    expect(Number.isFinite(results[0]), `webgl-f16 output ${results[0]}`).to.equal(false);
    expect(Number.isFinite(results[1]), `webgl output ${results[1]}`).to.equal(true);
  });

  it('a scenario with a Node-only import is not applicable in the browser, with the reason', async function () {
    const exec = executor.call(this, 'browser-cpu');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-browser-'));
    try {
      const file = path.join(dir, 'node-only.scenario.ts');
      await writeFile(
        file,
        `import { readFileSync } from 'node:fs';\nimport scenario from ${JSON.stringify(scenarioFile(scaler.name))};\n` +
          `export default { ...scenario, name: 'node-only', model: (ctx) => { readFileSync('/etc/hostname'); return scenario.model(ctx); } };\n`,
      );
      extraFiles.set('node-only', file);
      const x: TensorData = { shape: [2, 4], dtype: 'float32', values: new Float32Array(8) };
      const err = await exec
        .train({ scenario: { ...scaler, name: 'node-only' }, x: [x], y: [[1], [2]], train: scaler.train, seed: 1 })
        .catch((e: Error) => e);
      expect(err).to.be.instanceOf(NotApplicable);
      expect(String((err as Error).message), String((err as Error).message)).to.match(
        /^not applicable in the browser: .*node-only\.scenario\.ts imports "node:fs".*node:fs\.readFileSync/,
      );
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
      const bad = await p.setBackend('webgl', { NO_SUCH_FLAG: true });
      expect(bad).to.deep.include({ usable: false });
      expect(bad.reason).to.contain('NO_SUCH_FLAG');
    } finally {
      await p.close();
    }
  });

  it('serves nothing but its own files and lets the page reach nothing else', async function () {
    const p = await openPage();
    try {
      const status = await p.playwrightPage.evaluate(async (o) => {
        const local = await fetch(`${o}/../package.json`).then(
          (r) => r.status,
          (e: Error) => e.message,
        );
        const away = await fetch('http://example.com/').then(
          (r) => String(r.status),
          (e: Error) => `refused: ${e.message}`,
        );
        return { local, away };
      }, p.origin);
      expect(status.local).to.equal(404);
      expect(status.away).to.match(/^refused/);
      expect(p.refused()).to.include('GET /package.json').and.include('http://example.com/');
    } finally {
      await p.close();
    }
  });
});
