// The SavedModel itself on TensorFlow's kernels (tf.node.loadSavedModel), on committed SavedModels: Keras 3's
// model.export() fixture against Keras 3's own outputs, and the stateful LSTM, whose state no call resets.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { REQUIRE_ENV, requiredBackendsFromEnv } from '../checks/plan.ts';
import { compareTensors } from '../compare/compare-tensors.ts';
import { toleranceLevels } from '../compare/tolerance.ts';
import { activateBackend, loadRuntime, projectRoot } from '../runtime/load-runtime.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';
import { predictNativeSavedModel } from './native-saved-model.ts';

const runtime = await loadRuntime();
const native = runtime.backends.tensorflow;
const KERAS3 = path.join(projectRoot, 'harness', 'import', 'fixtures', 'keras3');
const LSTM = path.join(projectRoot, 'models', 'keras-stateful-lstm');

const floats = (rows: number[][] | number[][][], shape: number[]): TensorData => ({
  shape,
  dtype: 'float32',
  values: Float32Array.from(rows.flat(2)),
});
const maxAbs = (a: Predictions, b: Predictions) =>
  Math.max(...Array.from(a.output0!.values, (v, i) => Math.abs(v - b.output0!.values[i]!)));

describe('native SavedModel (tf.node.loadSavedModel)', function () {
  this.timeout(120_000);
  before(async function () {
    if (native.usable) return activateBackend(runtime, 'tensorflow');
    if (requiredBackendsFromEnv().includes('tensorflow')) throw new Error(`${REQUIRE_ENV} requires tensorflow: ${native.reason}`);
    this.test!.parent!.title += ` (skipped: the tensorflow backend is not usable: ${native.reason})`;
    this.skip();
  });

  it("runs Keras 3's model.export() within crossFramework of Keras 3's own predictions, leaking no tensor", async () => {
    const fixture = JSON.parse(await readFile(path.join(KERAS3, 'keras3-fixtures.json'), 'utf8')) as {
      probes: number[][];
      keras_outputs: number[][];
    };
    const before = runtime.tf.memory().numTensors;
    const [got] = await predictNativeSavedModel(runtime, path.join(KERAS3, 'saved_model'), [floats(fixture.probes, [6, 3])], { calls: 1 });
    expect(runtime.tf.memory().numTensors).to.equal(before);
    const c = compareTensors(got!.output0!, floats(fixture.keras_outputs, [6, 1]), toleranceLevels.crossFramework);
    expect(c.ok, JSON.stringify(c)).to.equal(true);
  });

  describe('a stateful SavedModel (keras-stateful-lstm)', () => {
    let probes: TensorData;
    // Two loads for the three tests (each load is a new TensorFlow session, ~1 s): one predicting twice, then,
    // once predictNativeSavedModel has disposed its every handle, one predicting and reloading while loaded.
    let first: Predictions;
    let again: Predictions;
    let fresh: Predictions;
    let reloaded: Predictions;
    before(async () => {
      const rows = JSON.parse(await readFile(path.join(LSTM, 'probes.json'), 'utf8')) as number[][][];
      probes = floats(rows, [rows.length, 5, 2]);
      [first, again] = (await run({ calls: 2 })) as [Predictions, Predictions];
      [fresh, reloaded] = (await run({ calls: 2, reload: true })) as [Predictions, Predictions];
    });
    const run = (o: { calls: number; reload?: boolean }) =>
      predictNativeSavedModel(runtime, path.join(LSTM, 'saved_model'), [probes], { ...o, batchSize: 1 });

    it('advances its state on every call: the same probes predicted again move by more than 1e-2', () => {
      expect(maxAbs(first, again)).to.be.greaterThan(1e-2);
    });
    it('reuses the session when loaded again while loaded, so a reload resets nothing', () => {
      expect(maxAbs(fresh, reloaded)).to.be.greaterThan(1e-2);
    });
    it('starts again from the saved state once every handle is disposed (the only reset there is)', () => {
      // `fresh` was loaded after the load that predicted `first` and `again` was disposed.
      expect(Array.from(fresh.output0!.values)).to.deep.equal(Array.from(first.output0!.values));
    });
  });
});
