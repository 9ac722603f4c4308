// Built-in steps that act value by value: image rescaling and log1p (stateless), clipping (fitted).
import { z } from 'zod';
import { defineStep, type NoOptions } from './define-step.ts';
import { percentile } from './quantile.ts';
import { mapFeatures, perFeature } from './rows.ts';
import { noOptions } from './steps.ts';

const columns = z.array(z.number().int().nonnegative()).optional();
const range = z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b, { message: 'must be [low, high] with low < high' });

export interface RescaleOptions {
  inputRange: [number, number];
  outputRange: [number, number];
}
/**
 * Maps a declared input range (e.g. pixels 0..255) onto [0, 1] or [−1, 1] as the usual code writes it:
 * `(v − lo) / ((hi − lo) / (b − a)) + a`, which is `v / 255` for [0, 1] and `v / 127.5 − 1` for [−1, 1]
 * (Keras applications' "tf" mode), bit for bit. Stateless: nothing is fitted.
 */
export const rescale = defineStep<RescaleOptions, Record<string, never>>({
  kind: 'rescale',
  options: z.object({ inputRange: range, outputRange: range, columns }).strict() as never,
  state: z.object({}).strict() as never,
  transform(rows, _state, { inputRange: [lo, hi], outputRange: [a, b] }) {
    const divisor = (hi - lo) / (b - a);
    return mapFeatures(rows, (v) => (v - lo) / divisor + a);
  },
});

/** log(1 + v), for skewed non-negative features (counts, amounts). Stateless. */
export const log1p = defineStep<NoOptions, Record<string, never>>({
  kind: 'log1p',
  options: noOptions as never,
  state: z.object({}).strict() as never,
  transform: (rows) => mapFeatures(rows, (v) => Math.log1p(v)),
});

export interface ClipOptions {
  percentiles?: [number, number];
}
export interface ClipState {
  lower: number[];
  upper: number[];
}
/** Clips each feature to bounds fitted on the training data: percentiles (numpy's linear), default min and max. */
export const clip = defineStep<ClipOptions, ClipState>({
  kind: 'clip',
  options: z
    .object({ percentiles: range.refine(([a, b]) => a >= 0 && b <= 100, { message: 'must be within [0, 100]' }).optional(), columns })
    .strict() as never,
  state: z.object({ lower: z.array(z.number()), upper: z.array(z.number()) }),
  fit: (rows, { percentiles: [p, q] = [0, 100] }) => ({
    lower: perFeature(rows, (c) => percentile(c, p)),
    upper: perFeature(rows, (c) => percentile(c, q)),
  }),
  transform: (rows, { lower, upper }) => mapFeatures(rows, (v, i) => Math.min(Math.max(v, lower[i]!), upper[i]!)),
  // Slides the window by a fraction of its width, so values near one bound get clipped.
  perturb: (st, by) => ({
    lower: st.lower.map((l, i) => l + by * (st.upper[i]! - l)),
    upper: st.upper.map((u, i) => u + by * (u - st.lower[i]!)),
  }),
});
