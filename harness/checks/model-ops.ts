import { disposeModel, isStateful, registerCustomObjects } from '../bundle/load-bundle.ts';
import type { TensorData } from '../golden/tensor-codec.ts';
import { applyPipeline, fitPipeline, type PreprocessingState } from '../preprocessing/pipeline.ts';
import { rowsToTensorData, type Value } from '../preprocessing/rows.ts';
import type { ScenarioData, TrainedScenario } from '../scenario/define-scenario.ts';
import { seededRandom, withSeed } from '../runtime/seeded-scope.ts';
import type { LayersModel, Tensor, Tf } from '../runtime/tf-types.ts';

export type Predictions = Record<string, TensorData>;
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

/** Preprocesses raw rows with a fitted state and predicts; RNN state is reset first unless told not to. */
export function predict(tf: Tf, model: LayersModel, state: PreprocessingState, rows: Value[], scenario: TrainedScenario, options: { resetState?: boolean } = {}): Predictions {
  const input = rowsToTensorData(applyPipeline(state, rows), `${scenario.name}: probes`);
  if (isStateful(model) && options.resetState !== false) model.resetStates();
  const x = tf.tensor(input.values, input.shape, 'float32');
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
    x.dispose();
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

export interface Trained { model: LayersModel; preprocessing: PreprocessingState; probes: Value[] }

/** Fits preprocessing, builds and trains the model inside one seeded scope. */
export async function trainScenario(tf: Tf, s: TrainedScenario): Promise<Trained> {
  const data = scenarioData(s);
  const preprocessing = fitPipeline(s.preprocessing ?? [], data.train.x);
  const x = rowsToTensorData(applyPipeline(preprocessing, data.train.x), `${s.name}: data().train.x`);
  registerCustomObjects(tf, s);
  return withSeed(s.seed, async () => {
    const model = s.model({ tf, inputShape: x.shape.slice(1) });
    const optimizer = tf.train[s.train.optimizer ?? 'adam'](s.train.learningRate ?? 0.01);
    model.compile({ optimizer, loss: s.train.loss });
    const xs = tf.tensor(x.values, x.shape, 'float32');
    const ys = tf.tensor2d(data.train.y);
    // A fit that fails half way (a missing kernel) strands its intermediate tensors; the scope frees them.
    tf.engine().startScope();
    try {
      await model.fit(xs, ys, { epochs: s.train.epochs, batchSize: s.train.batchSize, shuffle: s.train.shuffle ?? true, verbose: 0 });
    } catch (err) {
      disposeModel(tf, model);
      releaseStrandedTape(tf);
      throw asNotApplicable(err, 'training');
    } finally {
      tf.engine().endScope();
      xs.dispose();
      ys.dispose();
      optimizer.dispose();
    }
    return { model, preprocessing, probes: data.probes };
  });
}
