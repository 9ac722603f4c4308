// The only import a scenario needs.
import type { PreprocessingStep } from './preprocessing/pipeline.ts';
import type { VocabularyOptions } from './preprocessing/steps.ts';
import type { Tf } from './runtime/tf-types.ts';

export { defineScenario } from './scenario/define-scenario.ts';
export type { ScenarioDefinition, TrainedScenario, ScenarioData, TrainOptions, CustomObjectClass } from './scenario/define-scenario.ts';
export type { Value, Example } from './types/example.ts';
export type { ToleranceOverrides, Tolerance } from './compare/tolerance.ts';
export type { Tf, LayersModel, Tensor, SymbolicTensor } from './runtime/tf-types.ts';

/** Standardizes each feature (last axis) to zero mean and unit variance, fitted on the training rows. */
export function standardScaler(): PreprocessingStep<'standardScaler'> {
  return { kind: 'standardScaler', options: {} };
}

/** Scales each feature (last axis) to [0, 1] over the training range; values outside map outside. */
export function minMaxScaler(): PreprocessingStep<'minMaxScaler'> {
  return { kind: 'minMaxScaler', options: {} };
}

/**
 * Maps text (a string, split on white space and lower-cased, or an array of tokens) to integer ids:
 * 0 pads, 1 is out of vocabulary, known tokens from 2 by descending frequency; padded to maxLength.
 */
export function vocabulary(options: VocabularyOptions): PreprocessingStep<'vocabulary'> {
  return { kind: 'vocabulary', options };
}

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
