// The only import a scenario needs.
import type { Tf } from './runtime/tf-types.ts';

export { defineScenario } from './scenario/define-scenario.ts';
export type { ScenarioDefinition, TrainedScenario, ScenarioData, TrainOptions, CustomObjectClass } from './scenario/define-scenario.ts';
export type { Value, Example } from './types/example.ts';
export type { ToleranceOverrides, Tolerance } from './compare/tolerance.ts';
export type { Tf, LayersModel, Tensor, SymbolicTensor } from './runtime/tf-types.ts';

// Preprocessing: user-defined steps and the built-ins (README "Writing a preprocessing step").
/** zod, for a step's `state` and `options` schemas. */
export { z } from 'zod';
export { defineStep } from './preprocessing/define-step.ts';
export type {
  StepSpec,
  StepFactory,
  StepDefinition,
  PreprocessingStep,
  CommonStepOptions,
  NoOptions,
} from './preprocessing/define-step.ts';
export {
  /** Standardizes each feature (last axis) to zero mean and unit variance, fitted on the training rows (scikit-learn's StandardScaler). */
  standardScaler,
  /** Scales each feature (last axis) to [0, 1] over the training range as `(v − min) / (max − min)`; values outside map outside. */
  minMaxScaler,
  /**
   * Maps text (a string, split on white space and lower-cased, or an array of tokens) to integer ids:
   * 0 pads, 1 is out of vocabulary, known tokens from 2 by descending frequency; padded to maxLength.
   */
  vocabulary,
  /** scikit-learn's MinMaxScaler formula, `v * scale_ + min_` (rounds differently from minMaxScaler). */
  sklearnMinMaxScaler,
  /** scikit-learn's RobustScaler: `(v − median) / IQR`, quantiles interpolated linearly as numpy does. */
  robustScaler,
  /** scikit-learn's MaxAbsScaler: `v / max|v|` per feature. */
  maxAbsScaler,
  /** A declared input range (e.g. pixels [0, 255]) onto [0, 1] or [−1, 1]; stateless. */
  rescale,
  /** `log(1 + v)`; stateless. */
  log1p,
  /** Clips each feature to bounds fitted on the training rows (min/max, or percentiles). */
  clip,
  /** One-hot encoding of categorical features; unknown categories: error, all zeros, or an extra column. */
  oneHot,
} from './preprocessing/built-in-steps.ts';
export type { VocabularyOptions } from './preprocessing/steps.ts';
export type { SklearnMinMaxOptions, RobustScalerOptions } from './preprocessing/sklearn-scalers.ts';
export type { RescaleOptions, ClipOptions } from './preprocessing/value-steps.ts';
export type { OneHotOptions, UnknownCategory } from './preprocessing/one-hot.ts';
/** A fitted step from scikit-learn's fitted attributes (StandardScaler, MinMaxScaler, RobustScaler, MaxAbsScaler, OneHotEncoder). */
export { fromSklearnState, fittedStep } from './preprocessing/from-sklearn.ts';

/** A standard normal draw from a uniform generator (Box–Muller), for scenario data. */
export function gaussian(rng: () => number): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * Builds something once per tfjs runtime: custom layer classes must extend the `tf` under test,
 * and model() and customObjects() must see the same class.
 */
export function perRuntime<T>(build: (tf: Tf) => T): (tf: Tf) => T {
  const cache = new WeakMap<Tf, T>();
  return (tf) => {
    if (!cache.has(tf)) cache.set(tf, build(tf));
    return cache.get(tf)!;
  };
}
