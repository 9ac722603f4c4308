// A TensorFlow SavedModel run by TensorFlow's own kernels through tfjs-node (tf.node.loadSavedModel):
// the third model kind, beside layers and graph models, usable on the `tensorflow` backend only.
import path from 'node:path';
import type { Runtime } from '../runtime/load-runtime.ts';
import type { Tensor } from '../runtime/tf-types.ts';
import { tfjsNode, type TFSavedModel } from '../runtime/tfjs-node-api.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';
import type { SavedModelPredictOptions } from './executor.ts';
import { outputKey, toTensorData } from './tf-model-ops.ts';

function rowsOf(t: TensorData, start: number, end: number): TensorData {
  const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return { ...t, shape: [end - start, ...t.shape.slice(1)], values: t.values.subarray(start * per, end * per) };
}

/** One pass over the rows, batch by batch; outputs in the signature's order, joined along the batch axis. */
function predictOnce(runtime: Runtime, model: TFSavedModel, inputs: TensorData[], batchSize?: number): Predictions {
  const { tf } = runtime;
  const rows = inputs[0]?.shape[0] ?? 0;
  const size = batchSize ?? rows;
  const parts: Tensor[][] = [];
  try {
    for (let start = 0; start < rows; start += size) {
      const xs = inputs.map((i) => {
        const r = rowsOf(i, start, Math.min(rows, start + size));
        return tf.tensor(r.values, r.shape, r.dtype);
      });
      const out = tf.tidy(() => model.predict(xs.length === 1 ? xs[0]! : xs) as Tensor | Tensor[] | Record<string, Tensor>);
      tf.dispose(xs);
      // One output comes back as a tensor, several as a map in the signature's order.
      parts.push(out instanceof tf.Tensor ? [out] : Array.isArray(out) ? out : Object.values(out));
    }
    const outputs = parts[0]?.length ?? 0;
    return Object.fromEntries(
      Array.from({ length: outputs }, (_, k) => {
        const joined = tf.concat(parts.map((p) => p[k]!));
        const data = toTensorData(joined);
        joined.dispose();
        return [outputKey(k), data];
      }),
    );
  } finally {
    tf.dispose(parts.flat());
  }
}

/**
 * Loads `dir` with tf.node.loadSavedModel, predicts `calls` times and disposes every handle it loaded.
 * With `reload`, tfjs-node reuses the session of a path that is still loaded: that shows whether a reload resets anything.
 */
export async function predictNativeSavedModel(
  runtime: Runtime,
  dir: string,
  inputs: TensorData[],
  o: SavedModelPredictOptions,
): Promise<Predictions[]> {
  const node = tfjsNode(runtime).node;
  const where = path.resolve(dir);
  const loaded: TFSavedModel[] = [];
  try {
    const results: Predictions[] = [];
    for (let call = 0; call < o.calls; call++) {
      if (call === 0 || o.reload) loaded.push(await node.loadSavedModel(where));
      results.push(predictOnce(runtime, loaded.at(-1)!, inputs, o.batchSize));
    }
    return results;
  } finally {
    for (const m of loaded) m.dispose();
  }
}
