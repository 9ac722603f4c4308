import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importModelDir } from '../bundle/import-model-dir.ts';
import { compareTensors } from '../compare/compare-tensors.ts';
import { resolveTolerance } from '../compare/tolerance.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import { NotApplicable } from '../types/errors.ts';
import type { TensorData } from '../types/tensor-data.ts';
import { inProcessExecutors } from './in-process-executor.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONVERTED = path.join(ROOT, 'models', 'tf-graph-dense', 'tfjs');
const scenario = { name: 'graph-ops' } as TrainedScenario;
const exec = inProcessExecutors(await loadRuntime()).executor('cpu');
const inputs: TensorData[] = [
  { shape: [4, 4], dtype: 'float32', values: Float32Array.from([0.5, -1, 2, 0.25, 3, 0, -0.25, -1.5, -0.75, 1.25, 0, 2, 1, 1, 1, 1]) },
];

describe('graph models in the in-process executor', () => {
  const load = async () =>
    (await exec.load(await importModelDir(CONVERTED, 'graph-ops'), { format: 'memory', scenario, where: 'graph-ops' })).model;

  it('loads a graph handle: inputs and outputs by signature, not stateful; predictions keyed output0 with labels', async () => {
    const before = await exec.numTensors();
    const model = await load();
    expect(model).to.deep.include({ kind: 'graph', stateful: false, inputNames: ['features'], outputNames: ['dense_1'] });
    expect(await exec.heldTensors(model)).to.equal(4);
    const p = await exec.predict(model, inputs, { labels: true });
    expect(Object.keys(p)).to.deep.equal(['output0', 'output0.labels']);
    expect(p.output0!.shape).to.deep.equal([4, 3]);
    // Split into calls of one row, the rows come back in order.
    const single = await exec.predict(model, inputs, { batchSize: 1 });
    expect(compareTensors(single.output0!, p.output0!, resolveTolerance('crossBackend', undefined, 'cpu', 'output0')).ok).to.equal(true);
    await exec.dispose(model);
    expect(await exec.numTensors()).to.equal(before);
  });

  it('weights-perturbed: moving the last kernel by 1% is seen past the loosest tolerance, and leaks nothing', async () => {
    const before = await exec.numTensors();
    const model = await load();
    const clean = (await exec.predict(model, inputs)).output0!;
    const name = await exec.perturbLargestWeight(model, 0.01);
    // The last weight of rank >= 2 in manifest order: the output layer's kernel.
    expect(name).to.equal('StatefulPartitionedCall/model/dense_1/MatMul/ReadVariableOp');
    const moved = (await exec.predict(model, inputs)).output0!;
    const c = compareTensors(moved, clean, resolveTolerance('retrain', undefined, 'cpu', 'output0'));
    expect(c.ok, 'a 1% move of the largest kernel weight must show').to.equal(false);
    expect(await exec.heldTensors(model)).to.equal(4);
    await exec.dispose(model);
    expect(await exec.numTensors()).to.equal(before);
  });

  it('explain (layer outputs) is not applicable to a graph model, with the reason', async () => {
    const model = await load();
    try {
      const err = await exec.layerOutputs(model, inputs).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(NotApplicable);
      expect((err as Error).message).to.match(/explain needs a layers model; this one is a graph model/);
    } finally {
      await exec.dispose(model);
    }
  });
});
