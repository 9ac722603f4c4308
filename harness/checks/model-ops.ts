import { disposeModel, isStateful, registerCustomObjects } from '../bundle/load-bundle.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';
import { applyPipeline, fitPipeline, type PreprocessingState } from '../preprocessing/pipeline.ts';
import { column, rowsToTensorData } from '../preprocessing/rows.ts';
import { isNamed, type Example, type Value } from '../types/example.ts';
import type { ScenarioData, TrainedScenario } from '../scenario/define-scenario.ts';
import { seededRandom, withSeed } from '../runtime/seeded-scope.ts';
import type { LayersModel, Tensor, Tf } from '../runtime/tf-types.ts';

export type { Predictions };
/** Outputs are keyed by position: tfjs's auto-generated layer names change with creation order. */
export const outputKey = (i: number): string => `output${i}`;

/** A check that cannot run on a configuration (e.g. a kernel the backend lacks): not a pass, not a crash. */
export class NotApplicable extends Error {}

export function asNotApplicable(err: unknown, what: string): unknown {
  const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((err as Error)?.message ?? '');
  return m ? new NotApplicable(`${what} needs kernel ${m[1]}, which backend ${m[2]} does not implement`) : err;
}

export function scenarioData(s: TrainedScenario): ScenarioData {
  return s.data({ rng: seededRandom(s.seed) });
}

export function toTensorData(t: Tensor): TensorData {
  const dtype = t.dtype === 'int32' || t.dtype === 'bool' ? t.dtype : 'float32';
  const values = dtype === 'float32' ? Float32Array.from(t.dataSync() as Float32Array) : Int32Array.from(t.dataSync() as Int32Array);
  return { shape: [...t.shape], dtype, values };
}

/**
 * Preprocessed rows as tensor data, one per model input: a multi-input model's rows name each input,
 * and the data follow the model's input order.
 */
export function inputData(rows: Example[], inputNames: string[] | undefined, where: string): TensorData[] {
  if (!rows.some(isNamed)) return [rowsToTensorData(rows as Value[], where)];
  const names = inputNames ?? Object.keys(rows[0] as object);
  return names.map((name) => rowsToTensorData(column(rows, name, where), `${where} input "${name}"`));
}

/** Preprocesses raw rows with a fitted state and predicts; RNN state is reset first unless told not to. */
export function predict(tf: Tf, model: LayersModel, state: PreprocessingState, rows: Example[], scenario: TrainedScenario, options: { resetState?: boolean } = {}): Predictions {
  const inputs = inputData(applyPipeline(state, rows), model.inputNames, `${scenario.name}: probes`);
  if (isStateful(model) && options.resetState !== false) model.resetStates();
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
  const x = xs.length === 1 ? xs[0]! : xs;
  try {
    const out = model.predict(x, scenario.predictBatchSize ? { batchSize: scenario.predictBatchSize } : {});
    const list = Array.isArray(out) ? out : [out];
    const result: Predictions = Object.fromEntries(list.map((t, i) => [outputKey(i), toTensorData(t)]));
    if (scenario.labels) {
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

/**
 * Moves the largest weight of the last kernel by a relative amount: that weight feeds every
 * prediction of its output unit, so it is the one the probes should notice first. Returns the layer.
 */
export function perturbLargestWeight(tf: Tf, model: LayersModel, relative: number): string {
  const layer = [...model.layers].reverse().find((x) => x.getWeights().some((w) => w.rank >= 2));
  if (!layer) throw new NotApplicable('the model has no kernel to perturb');
  const weights = layer.getWeights();
  const k = weights.findIndex((w) => w.rank >= 2);
  const values = Float32Array.from(weights[k]!.dataSync());
  let at = 0;
  values.forEach((v, i) => { if (Math.abs(v) > Math.abs(values[at]!)) at = i; });
  values[at] = values[at]! * (1 + relative);
  const moved = tf.tensor(values, weights[k]!.shape);
  layer.setWeights(weights.map((w, i) => (i === k ? moved : w)));
  moved.dispose();
  return layer.name;
}

export interface Trained { model: LayersModel; preprocessing: PreprocessingState; probes: Example[] }

/** Targets in the model's output order: a multi-output model's targets name each output. */
function targetTensors(tf: Tf, y: ScenarioData['train']['y'], outputNames: string[], where: string): Tensor[] {
  if (!y.some(isNamed)) return [tf.tensor2d(y as number[][])];
  return outputNames.map((name) => tf.tensor2d(y.map((r, i) => {
    const v = (r as Record<string, number[]>)[name];
    if (!v) throw new Error(`${where}[${i}] must have a target for output "${name}" (the model's outputs are ${outputNames.join(', ')})`);
    return v;
  })));
}

/** Fits preprocessing, builds and trains the model inside one seeded scope. */
export async function trainScenario(tf: Tf, s: TrainedScenario): Promise<Trained> {
  const data = scenarioData(s);
  const preprocessing = fitPipeline(s.preprocessing ?? [], data.train.x);
  const rows = applyPipeline(preprocessing, data.train.x);
  const names = rows.some(isNamed) ? Object.keys(rows[0] as object) : undefined;
  const x = inputData(rows, names, `${s.name}: data().train.x`);
  const inputShapes = Object.fromEntries(x.map((t, i) => [names?.[i] ?? 'input', t.shape.slice(1)]));
  registerCustomObjects(tf, s);
  return withSeed(s.seed, async () => {
    const model = s.model({ tf, inputShape: x[0]!.shape.slice(1), inputShapes });
    const optimizer = tf.train[s.train.optimizer ?? 'adam'](s.train.learningRate ?? 0.01);
    model.compile({ optimizer, loss: s.train.loss });
    // Inputs in the model's own order, whatever order the rows named them in.
    const byName = new Map(x.map((t, i) => [names?.[i], t]));
    const ordered = names ? model.inputNames.map((n) => byName.get(n) ?? x[0]!) : x;
    const xs = ordered.map((t) => tf.tensor(t.values, t.shape, 'float32'));
    const ys = targetTensors(tf, data.train.y, model.outputNames, `${s.name}: data().train.y`);
    tf.engine().startScope();
    try {
      await model.fit(xs.length === 1 ? xs[0]! : xs, ys.length === 1 ? ys[0]! : ys, { epochs: s.train.epochs, batchSize: s.train.batchSize, shuffle: s.train.shuffle ?? true, verbose: 0 });
    } catch (err) {
      disposeModel(tf, model);
      releaseStrandedTape(tf);
      throw asNotApplicable(err, 'training');
    } finally {
      tf.engine().endScope();
      tf.dispose([...xs, ...ys]);
      optimizer.dispose();
    }
    return { model, preprocessing, probes: data.probes };
  });
}
