// What the in-process executor does with tf: predicting, training in a seeded scope, perturbing a
// weight, and reading every layer's output. Data in and out; tensors never leave this module.
import { disposeModel, isStateful, registerCustomObjects } from '../bundle/model-lifecycle.ts';
import { withSeed } from '../runtime/seeded-scope.ts';
import { inStep, inStepSync } from '../runtime/step.ts';
import type { LayersModel, SymbolicTensor, Tensor, Tf } from '../runtime/tf-types.ts';
import { NotApplicable } from '../types/errors.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';
import { isNamed } from '../types/example.ts';
import type { PredictOptions, TrainRequest } from './executor.ts';

/** Outputs are keyed by position: tfjs's auto-generated layer names change with creation order. */
export const outputKey = (i: number): string => `output${i}`;

export function asNotApplicable(err: unknown, what: string): unknown {
  const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((err as Error)?.message ?? '');
  return m ? new NotApplicable(`${what} needs kernel ${m[1]}, which backend ${m[2]} does not implement`) : err;
}

export function toTensorData(t: Tensor): TensorData {
  const dtype = t.dtype === 'int32' || t.dtype === 'bool' ? t.dtype : 'float32';
  const values = dtype === 'float32' ? Float32Array.from(t.dataSync() as Float32Array) : Int32Array.from(t.dataSync() as Int32Array);
  return { shape: [...t.shape], dtype, values };
}

export async function readTensorData(t: Tensor): Promise<TensorData> {
  const dtype = t.dtype === 'int32' || t.dtype === 'bool' ? t.dtype : 'float32';
  const raw = await t.data();
  return {
    shape: [...t.shape],
    dtype,
    values: dtype === 'float32' ? Float32Array.from(raw as Float32Array) : Int32Array.from(raw as Int32Array),
  };
}

/** Predicts float32 inputs (model input order); RNN state is reset first unless told not to. */
export function predictTensors(tf: Tf, model: LayersModel, inputs: TensorData[], o: PredictOptions = {}): Predictions {
  if (isStateful(model) && o.resetState !== false) model.resetStates();
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
  const x = xs.length === 1 ? xs[0]! : xs;
  try {
    const out = model.predict(x, o.batchSize ? { batchSize: o.batchSize } : {});
    const list = Array.isArray(out) ? out : [out];
    const result: Predictions = Object.fromEntries(list.map((t, i) => [outputKey(i), toTensorData(t)]));
    if (o.labels) {
      list.forEach((t, i) => {
        const labels = tf.argMax(t, -1);
        result[`${outputKey(i)}.labels`] = toTensorData(labels);
        labels.dispose();
      });
    }
    tf.dispose(list);
    return result;
  } finally {
    tf.dispose(xs);
  }
}

type Tape = { state: { activeTape: { saved?: Tensor[] }[] | null; gradientDepth: number } };
/**
 * A kernel missing during backprop (tfjs 4.22) leaves the engine's gradient tape active, holding the
 * tensors it saved for the backward pass; they are released here so the next check starts clean.
 */
function releaseStrandedTape(tf: Tf): void {
  const state = (tf.engine() as unknown as Tape).state;
  for (const node of state.activeTape ?? []) tf.dispose(node.saved ?? []);
  state.activeTape = null;
  state.gradientDepth = 0;
}

/** Targets in the model's output order: a multi-output model's targets name each output. */
function targetTensors(tf: Tf, y: TrainRequest['y'], outputNames: string[], where: string): Tensor[] {
  if (!y.some(isNamed)) return [tf.tensor2d(y as number[][])];
  return outputNames.map((name) =>
    tf.tensor2d(
      y.map((r, i) => {
        const v = (r as Record<string, number[]>)[name];
        if (!v)
          throw new Error(`${where}[${i}] must have a target for output "${name}" (the model's outputs are ${outputNames.join(', ')})`);
        return v;
      }),
    ),
  );
}

/** Builds and trains the scenario's model inside one seeded scope. */
export async function trainModel(tf: Tf, r: TrainRequest): Promise<LayersModel> {
  const s = r.scenario;
  const inputShapes = Object.fromEntries(r.x.map((t, i) => [r.names?.[i] ?? 'input', t.shape.slice(1)]));
  registerCustomObjects(tf, s);
  return withSeed(r.seed, async () => {
    const model = inStepSync('model()', () => s.model({ tf, inputShape: r.x[0]!.shape.slice(1), inputShapes }));
    const optimizer = tf.train[r.train.optimizer ?? 'adam'](r.train.learningRate ?? 0.01);
    model.compile({ optimizer, loss: r.train.loss });
    // Inputs in the model's own order, whatever order the rows named them in.
    const byName = new Map(r.x.map((t, i) => [r.names?.[i], t]));
    const ordered = r.names ? model.inputNames.map((n) => byName.get(n) ?? r.x[0]!) : r.x;
    const xs = ordered.map((t) => tf.tensor(t.values, t.shape, 'float32'));
    const ys = targetTensors(tf, r.y, model.outputNames, `${s.name}: data().train.y`);
    tf.engine().startScope();
    try {
      await inStep('training (fit)', () =>
        model.fit(xs.length === 1 ? xs[0]! : xs, ys.length === 1 ? ys[0]! : ys, {
          epochs: r.train.epochs,
          batchSize: r.train.batchSize,
          shuffle: r.train.shuffle ?? true,
          verbose: 0,
        }),
      );
    } catch (err) {
      disposeModel(tf, model);
      releaseStrandedTape(tf);
      throw asNotApplicable(err, 'training');
    } finally {
      tf.engine().endScope();
      tf.dispose([...xs, ...ys]);
      optimizer.dispose();
    }
    return model;
  });
}

/**
 * Moves the largest weight of the last kernel by a relative amount: that weight feeds every
 * prediction of its output unit, so it is the one the probes should notice first. Returns the layer.
 */
// Values are read with data(), not dataSync(): WebGPU reads synchronously through a path that fails on
// some adapters (SwiftShader: createBuffer with mappedAtCreation).
export async function perturbLargestWeight(tf: Tf, model: LayersModel, relative: number): Promise<string> {
  const layer = [...model.layers].reverse().find((x) => x.getWeights().some((w) => w.rank >= 2));
  if (!layer) throw new NotApplicable('the model has no kernel to perturb');
  const weights = layer.getWeights();
  const k = weights.findIndex((w) => w.rank >= 2);
  const values = Float32Array.from((await weights[k]!.data()) as Float32Array);
  let at = 0;
  values.forEach((v, i) => {
    if (Math.abs(v) > Math.abs(values[at]!)) at = i;
  });
  values[at] = values[at]! * (1 + relative);
  const moved = tf.tensor(values, weights[k]!.shape);
  layer.setWeights(weights.map((w, i) => (i === k ? moved : w)));
  moved.dispose();
  return layer.name;
}

/** Every layer's output on the inputs, through a model that exposes them all. */
export async function layerOutputs(tf: Tf, model: LayersModel, inputs: TensorData[], batchSize?: number) {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as SymbolicTensor) });
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
  try {
    if (isStateful(model)) model.resetStates();
    const out = probe.predict(xs.length === 1 ? xs[0]! : xs, batchSize ? { batchSize } : {});
    const list = Array.isArray(out) ? out : [out];
    const outputs: TensorData[] = [];
    try {
      for (const t of list) outputs.push(await readTensorData(t));
    } finally {
      tf.dispose(list);
    }
    return { names: layers.map((l) => l.name), classes: layers.map((l) => l.getClassName()), outputs };
  } finally {
    tf.dispose(xs);
  }
}
