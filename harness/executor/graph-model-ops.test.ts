import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importModelDir } from '../bundle/import-model-dir.ts';
import { bundleFromArtifacts } from '../bundle/save-bundle.ts';
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
const runtime = await loadRuntime();
const { tf } = runtime;
const exec = inProcessExecutors(runtime).executor('cpu');
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

  it('predicts a graph with a dynamic op (Where) through executeAsync, which execute() refuses', async () => {
    const f = { type: 'DT_FLOAT' };
    const dims = (...d: number[]) => ({ dim: d.map((n) => ({ size: String(n) })) });
    const modelTopology = {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: f, shape: { shape: dims(-1, 2) } } },
        { name: 'w', op: 'Const', attr: { dtype: f, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(2, 2) } } } },
        { name: 'zero', op: 'Const', attr: { dtype: f, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims() } } } },
        { name: 'y', op: 'MatMul', input: ['x', 'w'], attr: { T: f, transpose_a: { b: false }, transpose_b: { b: false } } },
        { name: 'positive', op: 'Greater', input: ['y', 'zero'], attr: { T: f } },
        { name: 'where', op: 'Where', input: ['positive'], attr: { T: { type: 'DT_BOOL' } } },
      ],
      versions: { producer: 1 },
    };
    const artifacts = {
      format: 'graph-model',
      modelTopology,
      weightSpecs: [
        { name: 'w', shape: [2, 2], dtype: 'float32' as const },
        { name: 'zero', shape: [], dtype: 'float32' as const },
      ],
      weightData: Float32Array.from([1, -1, 1, 1, 0]).buffer,
    };
    const direct = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
    const zeros = tf.zeros([1, 2]);
    expect(() => direct.execute(zeros)).to.throw(/executeAsync\(\)/);
    tf.dispose([zeros]);
    direct.dispose();
    const files = bundleFromArtifacts(artifacts, { preprocessing: { steps: [] }, scenario: 'graph-ops', backend: 'cpu', tfjs: '4.22.0' });
    const before = await exec.numTensors();
    const { model } = await exec.load(files, { format: 'memory', scenario, where: 'graph-ops' });
    // x·w = [[3, 1], [3, -1]]: the positive entries are (0,0), (0,1) and (1,0).
    const rows: TensorData = { shape: [2, 2], dtype: 'float32', values: Float32Array.from([1, 2, 2, 1]) };
    const p = await exec.predict(model, [rows]);
    expect(p.output0!.dtype).to.equal('int32');
    expect(Array.from(p.output0!.values)).to.deep.equal([0, 0, 0, 1, 1, 0]);
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
      expect((err as Error).message).to.match(/explain needs a layers model; graph-ops is a graph model/);
    } finally {
      await exec.dispose(model);
    }
  });
});
