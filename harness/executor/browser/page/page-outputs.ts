// Predictions leaving the page as wire tensors, keyed by position (`output0`, and `output0.labels` for
// argmax labels) as in Node; shared by layers and graph models.
import type { Tensor } from '../../../runtime/tf-types.ts';
import { toWire, type WireTensor } from '../wire-tensor.ts';
import { pageTf } from './page-tf.ts';

export async function tensorToWire(t: Tensor): Promise<WireTensor> {
  const dtype = t.dtype === 'int32' || t.dtype === 'bool' ? t.dtype : 'float32';
  const raw = await t.data();
  const values = dtype === 'float32' ? Float32Array.from(raw as Float32Array) : Int32Array.from(raw as Int32Array);
  return toWire({ shape: [...t.shape], dtype, values });
}

/** The outputs (not disposed here) as wire data, with their argmax labels when asked. */
export async function outputsToWire(outputs: Tensor[], labels: boolean | undefined): Promise<Record<string, WireTensor>> {
  const tf = pageTf();
  const result: Record<string, WireTensor> = {};
  for (const [i, t] of outputs.entries()) {
    result[`output${i}`] = await tensorToWire(t);
    if (labels) {
      const l = tf.argMax(t, -1);
      try {
        result[`output${i}.labels`] = await tensorToWire(l);
      } finally {
        l.dispose();
      }
    }
  }
  return result;
}
