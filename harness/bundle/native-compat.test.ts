// Bundles and tfjs-node's own file:// handler must understand each other in both directions.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REQUIRE_ENV, requiredBackendsFromEnv } from '../checks/plan.ts';
import { activateBackend, loadRuntime } from '../runtime/load-runtime.ts';
import type { Tensor } from '../runtime/tf-types.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import { writeBundleDir } from './bundle-dir.ts';
import { formats } from './formats.ts';
import { importModelDir } from './import-model-dir.ts';
import { createBundle } from './save-bundle.ts';

const runtime = await loadRuntime();
const native = runtime.backends.tensorflow;
const required = requiredBackendsFromEnv().includes('tensorflow');

describe('bundles and tfjs-node file:// (native backend)', function () {
  let dir: string;
  const { tf } = runtime;
  before(function () {
    if (native.usable) return;
    if (required) throw new Error(`${REQUIRE_ENV} requires tensorflow: ${native.reason}`);
    this.test!.parent!.title += ` (skipped: ${native.reason}; install it with npm run setup:native)`;
    this.skip();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-native-'));
    if (native.usable) await activateBackend(runtime, 'tensorflow');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const model = () =>
    tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'tanh' }), tf.layers.dense({ units: 2 })] });
  const input = () =>
    tf.tensor2d([
      [0.5, -1, 2],
      [3, 0, -0.25],
    ]);
  const predict = (m: import('@tensorflow/tfjs').LayersModel) => Array.from((m.predict(input()) as Tensor).dataSync());

  it("a bundle written by the harness loads with tfjs-node's file:// handler", async () => {
    const m = model();
    await writeBundleDir(
      dir,
      await createBundle({ tf, model: m, preprocessing: { steps: [] }, scenario: 'compat', backend: 'tensorflow' }),
    );
    const loaded = await tf.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    expect(predict(loaded)).to.deep.equal(predict(m));
  });

  it("a model saved with tfjs-node's file:// handler loads through the harness", async () => {
    const m = model();
    await m.save(`file://${dir}`);
    const files = await importModelDir(dir, 'compat');
    const loaded = await formats.file.load(files, { tf, scenario: { name: 'compat' } as TrainedScenario, where: dir });
    expect(predict(loaded.model as typeof m)).to.deep.equal(predict(m));
  });
});
