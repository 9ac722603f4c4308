// scikit-learn's scalers with scikit-learn's own formulas and order of operations, so the Keras
// import can carry a fitted scaler's attributes over and transform exactly as Python did.
import { z } from 'zod';
import { defineStep, type NoOptions } from './define-step.ts';
import { nonZeroScale, median, percentile } from './quantile.ts';
import { mapFeatures, perFeature } from './rows.ts';
import { noOptions } from './steps.ts';

const numbers = z.array(z.number());
const columns = z.array(z.number().int().nonnegative()).optional();
const range = z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b, { message: 'must be [low, high] with low < high' });

export interface SklearnMinMaxOptions {
  featureRange?: [number, number];
  clip?: boolean;
}
/** sklearn.preprocessing.MinMaxScaler: `scale_`, `min_`, and the feature range for `clip`. */
export interface SklearnMinMaxState {
  scale: number[];
  min: number[];
  featureRange: [number, number];
}
export const sklearnMinMaxScaler = defineStep<SklearnMinMaxOptions, SklearnMinMaxState>({
  kind: 'sklearnMinMaxScaler',
  options: z.object({ featureRange: range.optional(), clip: z.boolean().optional(), columns }).strict() as never,
  state: z.object({ scale: numbers, min: numbers, featureRange: z.tuple([z.number(), z.number()]) }),
  fit(rows, { featureRange = [0, 1] }) {
    const dataMin = perFeature(rows, (c) => c.reduce((a, b) => Math.min(a, b), Infinity));
    const dataMax = perFeature(rows, (c) => c.reduce((a, b) => Math.max(a, b), -Infinity));
    const scale = dataMin.map((lo, i) => (featureRange[1] - featureRange[0]) / nonZeroScale(dataMax[i]! - lo));
    return { scale, min: dataMin.map((lo, i) => featureRange[0] - lo * scale[i]!), featureRange };
  },
  // X *= scale_; X += min_ (then np.clip when clip=True).
  transform: (rows, { scale, min, featureRange: [lo, hi] }, { clip }) =>
    mapFeatures(rows, (v, i) => {
      const out = v * scale[i]! + min[i]!;
      return clip ? Math.min(Math.max(out, lo), hi) : out;
    }),
  perturb: (st, by) => ({ ...st, min: st.min.map((m) => m + by * (st.featureRange[1] - st.featureRange[0])) }),
});

export interface RobustScalerOptions {
  quantileRange?: [number, number];
  withCentering?: boolean;
  withScaling?: boolean;
}
/** sklearn.preprocessing.RobustScaler: `center_` (median) and `scale_` (interquantile range). */
export interface RobustScalerState {
  center: number[];
  scale: number[];
}
export const robustScaler = defineStep<RobustScalerOptions, RobustScalerState>({
  kind: 'robustScaler',
  options: z
    .object({ quantileRange: range.optional(), withCentering: z.boolean().optional(), withScaling: z.boolean().optional(), columns })
    .strict() as never,
  state: z.object({ center: numbers, scale: numbers }),
  fit(rows, { quantileRange = [25, 75], withCentering = true, withScaling = true }) {
    const center = perFeature(rows, (c) => (withCentering ? median(c) : 0));
    const scale = perFeature(rows, (c) =>
      withScaling ? nonZeroScale(percentile(c, quantileRange[1]) - percentile(c, quantileRange[0])) : 1,
    );
    return { center, scale };
  },
  // X -= center_; X /= scale_ (a step left out by the options is 0 or 1, which changes no bits).
  transform: (rows, { center, scale }) => mapFeatures(rows, (v, i) => (v - center[i]!) / scale[i]!),
  perturb: (st, by) => ({ ...st, center: st.center.map((c, i) => c + by * st.scale[i]!) }),
});

/** sklearn.preprocessing.MaxAbsScaler: `scale_` is the largest absolute value of each feature. */
export interface MaxAbsScalerState {
  scale: number[];
}
export const maxAbsScaler = defineStep<NoOptions, MaxAbsScalerState>({
  kind: 'maxAbsScaler',
  options: noOptions as never,
  state: z.object({ scale: numbers }),
  fit: (rows) => ({ scale: perFeature(rows, (c) => nonZeroScale(c.reduce((a, b) => Math.max(a, Math.abs(b)), 0))) }),
  transform: (rows, { scale }) => mapFeatures(rows, (v, i) => v / scale[i]!),
  // Grows or shrinks every scale by a factor 2^by: a shift has no meaning for a pure scale.
  perturb: (st, by) => ({ scale: st.scale.map((s) => s * 2 ** by) }),
});
