// A graph model (tensorflowjs_converter's SavedModel → tfjs_graph_model) in headless Chromium on
// browser-cpu and webgl: the committed golden bundle of tf-graph-dense (the converter's model), loaded through the
// executor (http) and the page (memory), predicted close to TensorFlow's own outputs, saved and
// reloaded bit for bit, its last kernel perturbed, explain refused, and nothing left behind.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readBundleDir } from '../../bundle/bundle-dir.ts';
import type { BundleFiles } from '../../bundle/bundle-files.ts';
import { compareTensors } from '../../compare/compare-tensors.ts';
import { toleranceLevels } from '../../compare/tolerance.ts';
import type { BrowserBackendName } from '../../runtime/backends.ts';
import type { TrainedScenario } from '../../scenario/define-scenario.ts';
import { NotApplicable } from '../../types/errors.ts';
import type { Predictions, TensorData } from '../../types/tensor-data.ts';
import type { BrowserExecutor } from './browser-executor.ts';
import { openBrowserExecutors, type BrowserExecutors } from './browser-executors.ts';
import { gateBrowserTests, openedExecutor } from './browser-test-gate.fixture.ts';
import type { WireArtifacts } from './page/page-api.ts';
import { wireFromBundle } from './wire-artifacts.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const modelDir = path.join(root, 'models', 'tf-graph-dense');
const NAME = 'tf-graph-dense';
const scenario = { name: NAME } as TrainedScenario;
const BACKENDS = ['browser-cpu', 'webgl'] as const;

/** The golden bundle: the converter's graph model with its shards joined into weights.bin (saved-model.ts), bytes unchanged. */
async function graphBundle(): Promise<{ files: BundleFiles; wire: WireArtifacts }> {
  const dir = path.join(root, 'goldens', NAME, 'bundle');
  const { files } = await readBundleDir(dir);
  return { files, wire: wireFromBundle(files, dir) };
}

function expectExact(actual: Predictions, expected: Predictions, what: string): void {
  expect(Object.keys(actual), what).to.deep.equal(Object.keys(expected));
  for (const [key, e] of Object.entries(expected)) {
    const outcome = compareTensors(actual[key]!, e, { atol: 0, rtol: 0 });
    expect(outcome.ok, `${what} ${key}: ${JSON.stringify(outcome)}`).to.equal(true);
  }
}

describe('graph models in headless Chromium', function () {
  this.timeout(60_000);
  let browser: BrowserExecutors;
  let bundle: Awaited<ReturnType<typeof graphBundle>>;
  let probes: TensorData;
  let reference: TensorData;

  before(async function () {
    gateBrowserTests(this, BACKENDS);
    bundle = await graphBundle();
    const rows = JSON.parse(await readFile(path.join(modelDir, 'probes.json'), 'utf8')) as number[][];
    probes = { shape: [rows.length, rows[0]!.length], dtype: 'float32', values: Float32Array.from(rows.flat()) };
    // TensorFlow's outputs as the Python side wrote them: raw little-endian float32 in base64.
    const ref = JSON.parse(await readFile(path.join(modelDir, 'reference.json'), 'utf8')) as {
      outputs: { shape: number[]; data: string }[];
    };
    const raw = Uint8Array.from(Buffer.from(ref.outputs[0]!.data, 'base64'));
    reference = { shape: ref.outputs[0]!.shape, dtype: 'float32', values: new Float32Array(raw.buffer) };
    browser = await openBrowserExecutors([...BACKENDS], { tfjsVersion: '4.22.0', scenarioFile: () => undefined });
  });
  after(async () => {
    await browser?.close();
  });

  function executor(this: Mocha.Context, backend: BrowserBackendName): BrowserExecutor {
    return openedExecutor(this, browser, backend);
  }

  for (const backend of BACKENDS) {
    it(`${backend}: loads through http as a graph model and predicts the probes finite, within crossFramework of TensorFlow`, async function () {
      const exec = executor.call(this, backend);
      const loaded = await exec.load(bundle.files, { format: 'http', scenario, where: modelDir });
      try {
        expect(loaded.model).to.deep.include({ kind: 'graph', stateful: false, inputNames: ['features'] });
        const out = await exec.predict(loaded.model, [probes], { labels: true });
        expect(Object.keys(out)).to.deep.equal(['output0', 'output0.labels']);
        expect(out.output0!.shape).to.deep.equal([12, 3]);
        expect(out['output0.labels']!.shape).to.deep.equal([12]);
        expect([...out.output0!.values].every(Number.isFinite), `${backend} outputs ${out.output0!.values}`).to.equal(true);
        const vs = compareTensors(out.output0!, reference, toleranceLevels.crossFramework);
        expect(vs.ok, `${backend} vs TensorFlow: ${JSON.stringify(vs)}`).to.equal(true);
        // batchSize runs the rows in slices; the rows' results do not depend on it beyond rounding.
        const sliced = await exec.predict(loaded.model, [probes], { batchSize: 5 });
        expect(compareTensors(sliced.output0!, out.output0!, toleranceLevels.crossBackend).ok, 'batchSize 5').to.equal(true);
        expect(await exec.heldTensors(loaded.model)).to.equal(4);
        const explain = await exec.layerOutputs(loaded.model, [probes]).catch((e: Error) => e);
        expect(explain).to.be.instanceOf(NotApplicable);
        expect((explain as Error).message).to.equal(`explain needs a layers model; ${NAME} is a graph model`);
      } finally {
        await exec.dispose(loaded.model);
      }
      expect(await exec.numTensors()).to.equal(0);
    });

    it(`${backend}: in memory, save → load is bit-exact and perturbing the last kernel moves the outputs`, async function () {
      const page = executor.call(this, backend).browserPage;
      const options = { where: modelDir, scenarioName: NAME };
      const first = await page.loadBundle(bundle.wire, options);
      expect(first.kind).to.equal('graph');
      const before = await page.predict(first.id, [probes]);
      const saved = await page.save(first.id);
      expect(saved.format).to.equal('graph-model');
      expect(saved.signature, 'the signature names the inputs and outputs').to.deep.equal(bundle.wire.signature);
      expect(saved.weightData).to.equal(bundle.wire.weightData);
      const again = await page.loadBundle(saved, options);
      expectExact(await page.predict(again.id, [probes]), before, 'saved and reloaded');

      const weight = await page.perturbLargestWeight(first.id, 0.01);
      expect(weight).to.equal('StatefulPartitionedCall/model/dense_1/MatMul/ReadVariableOp');
      const moved = await page.predict(first.id, [probes]);
      const diff = compareTensors(moved.output0!, before.output0!, { atol: 0, rtol: 0 });
      expect(diff.ok, 'perturbing must change the outputs').to.equal(false);
      expect([...moved.output0!.values].every(Number.isFinite)).to.equal(true);
      // The rebuilt model replaced the old one under the same id: its weights only, nothing leaked.
      expect(await page.heldTensors(first.id)).to.equal(4);
      // A custom-object fault does not apply to a graph model.
      const custom = await page
        .loadBundle(bundle.wire, { ...options, customObjects: { mode: 'missing', className: 'X' } })
        .catch((e: Error) => e);
      expect((custom as Error).message).to.match(/^NotApplicable: tf-graph-dense: custom classes do not apply to a graph model/);
      await page.dispose(first.id);
      await page.dispose(again.id);
      expect(await page.numTensors()).to.equal(0);
    });
  }
});
