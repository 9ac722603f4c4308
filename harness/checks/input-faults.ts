// The data side of the `input-dtype` and `input-range` faults: model inputs as a pipeline that went
// wrong would produce them (the other dtype; another conventional value range).
import type { InputContract } from '../golden/golden-schema.ts';
import type { PreprocessingState } from '../preprocessing/pipeline-state.ts';
import type { TensorData } from '../types/tensor-data.ts';
import { isIdInput } from './input-contract.ts';

/** int32 where float32 is expected, or the reverse; int32 values are rounded as a converter would. */
export function castToOtherDtype(inputs: TensorData[]): TensorData[] {
  return inputs.map((t) =>
    t.dtype === 'int32'
      ? { ...t, dtype: 'float32', values: Float32Array.from(t.values) }
      : { ...t, dtype: 'int32', values: Int32Array.from(t.values, (v) => Math.round(v)) },
  );
}

/** Data whose training values all lie within ±this is on a small scale ([0, 1], [−1, 1], standardized). */
const SMALL_SCALE = 10;

export interface RescaledInputs {
  inputs: TensorData[];
  target: [number, number];
  rescaled: string[];
}

function featureRanges(t: TensorData): { min: number[]; max: number[] } {
  const n = t.shape.length < 2 ? 1 : t.shape.at(-1)!;
  const min: number[] = [];
  const max: number[] = [];
  t.values.forEach((v, k) => {
    min[k % n] = Math.min(min[k % n] ?? v, v);
    max[k % n] = Math.max(max[k % n] ?? v, v);
  });
  return { min, max };
}

/**
 * Every scaled (non-id) input mapped, feature by feature, from the range it was trained on (the
 * contract's, else the probes' own) onto another conventional range: [0, 255] for data on a small
 * scale ([0, 1], [−1, 1], standardized: the forgotten `/255`), [0, 1] for data on a larger scale.
 * Token-id inputs are left alone: ids are categorical indices, not a scale.
 */
export function rescaleToOtherRange(
  inputs: TensorData[],
  names: string[] | undefined,
  state: PreprocessingState,
  contract: InputContract | undefined,
): RescaledInputs {
  const scaled = inputs.map((_, i) => !isIdInput(state, names?.[i]));
  const ranges = inputs.map((t, i) => {
    const entry = contract?.inputs[i];
    return entry?.ranges === 'per-feature' ? entry : featureRanges(t);
  });
  const largest = Math.max(...ranges.flatMap((r, i) => (scaled[i] ? [...r.min, ...r.max].map(Math.abs) : [])));
  const target: [number, number] = largest > SMALL_SCALE ? [0, 1] : [0, 255];
  const rescaled: string[] = [];
  const out = inputs.map((t, i) => {
    if (!scaled[i]) return t;
    const { min, max } = ranges[i]!;
    const n = min.length;
    rescaled.push(names?.[i] ?? `input ${i}`);
    const values = Float32Array.from(t.values, (v, k) => {
      const f = k % n;
      return target[0] + ((v - min[f]!) / (max[f]! - min[f]! || 1)) * (target[1] - target[0]);
    });
    return { ...t, dtype: 'float32' as const, values };
  });
  return { inputs: out, target, rescaled };
}
