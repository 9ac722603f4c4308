// What the in-process executor does with a graph model: predicting through execute() and perturbing
// a weight by rebuilding the model from its artifacts. A graph model has no layers, no RNN state and
// cannot be trained; data in and out, tensors never leave this module.
import { modelArtifacts } from '../bundle/save-bundle.ts';
import type { GraphModel, Tensor, Tf } from '../runtime/tf-types.ts';
import { NotApplicable } from '../types/errors.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';
import type { PredictOptions } from './executor.ts';
import { outputKey, toTensorData } from './tf-model-ops.ts';

/** tfjs refuses execute() on a graph with control flow or dynamic shapes (NonMaxSuppression, Where) and names executeAsync. */
const NEEDS_ASYNC = /executeAsync\(\)/;

/** One call of the graph on one slice of the rows; executeAsync when the graph has dynamic ops. */
async function executeOnce(model: GraphModel, feed: Record<string, Tensor>): Promise<Tensor[]> {
  let out: Tensor | Tensor[];
  try {
    out = model.execute(feed, model.outputNodes);
  } catch (err) {
    if (!NEEDS_ASYNC.test((err as Error).message ?? '')) throw err;
    out = await model.executeAsync(feed, model.outputNodes);
  }
  return Array.isArray(out) ? out : [out];
}

/**
 * Predicts inputs given in `model.inputs` order; outputs are keyed output0.. in `model.outputs` order,
 * as a layers model's are. A batch size splits the rows into calls of that many, as predict() does.
 */
export async function predictGraph(tf: Tf, model: GraphModel, inputs: TensorData[], o: PredictOptions = {}): Promise<Predictions> {
  // A placeholder declared int32 (token ids) takes int32; execute() refuses any other dtype.
  const xs = inputs.map((t, k) => tf.tensor(t.values, t.shape, model.inputs[k]?.dtype === 'int32' ? 'int32' : 'float32'));
  const rows = inputs[0]?.shape[0] ?? 0;
  const step = o.batchSize && o.batchSize < rows ? o.batchSize : rows;
  const parts: Tensor[][] = [];
  let outputs: Tensor[] = [];
  try {
    for (let at = 0; at < rows || parts.length === 0; at += step || 1) {
      const sliced = step === rows ? xs : xs.map((x) => x.slice(at, Math.min(step, rows - at)));
      try {
        parts.push(await executeOnce(model, Object.fromEntries(model.inputNodes.map((name, k) => [name, sliced[k]!]))));
      } finally {
        if (sliced !== xs) tf.dispose(sliced);
      }
    }
    outputs =
      parts.length === 1
        ? parts[0]!
        : parts[0]!.map((_, j) =>
            tf.concat(
              parts.map((p) => p[j]!),
              0,
            ),
          );
    const result: Predictions = Object.fromEntries(outputs.map((t, i) => [outputKey(i), toTensorData(t)]));
    if (o.labels) {
      outputs.forEach((t, i) => {
        const labels = tf.argMax(t, -1);
        result[`${outputKey(i)}.labels`] = toTensorData(labels);
        labels.dispose();
      });
    }
    return result;
  } finally {
    tf.dispose([...xs, ...parts.flat(), ...outputs]);
  }
}

/**
 * The graph model rebuilt from its artifacts with one weight moved: among the weights in manifest
 * order, the last of rank >= 2 (the last kernel), its largest |value| times (1 + relative). Quantized
 * weights are dequantized first, so the rebuilt model holds float32 weights. Returns it and the weight.
 */
export async function perturbGraphWeight(tf: Tf, model: GraphModel, relative: number): Promise<{ model: GraphModel; name: string }> {
  const artifacts = await modelArtifacts(tf, model);
  const specs = artifacts.weightSpecs ?? [];
  const spec = [...specs].reverse().find((s) => s.shape.length >= 2 && s.dtype === 'float32');
  if (!spec) throw new NotApplicable('the graph model has no float32 weight of rank 2 or more to perturb');
  const weights = tf.io.decodeWeights(artifacts.weightData!, specs);
  try {
    const values = Float32Array.from((await weights[spec.name]!.data()) as Float32Array);
    let at = 0;
    values.forEach((v, i) => {
      if (Math.abs(v) > Math.abs(values[at]!)) at = i;
    });
    values[at] = values[at]! * (1 + relative);
    weights[spec.name]!.dispose();
    weights[spec.name] = tf.tensor(values, spec.shape, 'float32');
    const { data, specs: encoded } = await tf.io.encodeWeights(weights);
    const rebuilt = await tf.loadGraphModel(tf.io.fromMemory({ ...artifacts, weightData: data, weightSpecs: encoded }));
    return { model: rebuilt, name: spec.name };
  } finally {
    tf.dispose(Object.values(weights));
  }
}
