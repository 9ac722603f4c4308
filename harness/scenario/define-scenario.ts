import type { ToleranceOverrides } from '../compare/tolerance.ts';
import type { PreprocessingSpec } from '../preprocessing/pipeline.ts';
import type { Example } from '../types/example.ts';
import type { LayersModel, Tf } from '../runtime/tf-types.ts';

export interface ScenarioData {
  /**
   * Raw training rows (before preprocessing) and their targets. A multi-input model's rows name each
   * input (`{ features: [...], text: '...' }`); a multi-output model's targets name each output layer.
   */
  train: { x: Example[]; y: Array<number[] | Record<string, number[]>> };
  /** Raw probe rows: the inputs whose predictions become the golden outputs. */
  probes: Example[];
}
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** A tfjs loss name, or one per output layer name for a multi-output model. */
  loss: string | Record<string, string>;
  optimizer?: 'adam' | 'sgd' | 'rmsprop';
  learningRate?: number;
  /** Stateful RNNs must see batches in order. */
  shuffle?: boolean;
}
/** A custom layer or activation class, registered with tf.serialization before build and load. */
export type CustomObjectClass = { className: string; new (...args: never[]): unknown };

interface ScenarioCommon {
  name: string;
  description: string;
  /** Seeds data generation, model construction and training. */
  seed: number;
  data(ctx: { rng: () => number }): ScenarioData;
  /** Steps for the input, or steps per input name for a multi-input model. */
  preprocessing?: PreprocessingSpec;
  customObjects?(tf: Tf): CustomObjectClass[];
  /** Batch size used for every prediction; stateful models need their fixed batch size. */
  predictBatchSize?: number;
  /**
   * Also compare each output's argmax along the last axis (`<output>.labels`, int32, exactly), for
   * classifiers whose decisions matter more than their probabilities.
   */
  labels?: boolean;
  tolerance?: ToleranceOverrides;
  /**
   * Time limit, in milliseconds (a positive integer), of one scenario × backend job: discovery, data,
   * model, training, preprocessing and checks. Overrides the default; `--timeout` overrides both.
   */
  timeoutMs?: number;
  /**
   * Declares that NaN or infinite outputs are expected (e.g. a scenario guarding overflow), so `record`
   * does not refuse them as a degenerate golden.
   */
  allowNonFinite?: boolean;
  /**
   * Declares that the probes reach past the training range on purpose, so the input contract's value
   * range is not enforced there: `true` for every feature, feature indices (last axis) of a single
   * input, or either of these per input name. Dtype and shape are enforced regardless.
   */
  extrapolates?: Extrapolation;
  /** Drift that is known and accepted on some tfjs versions, shown as expected in cross-version runs. */
  knownDrift?: KnownDrift[];
}

export type Extrapolation = true | number[] | Record<string, true | number[]>;

/**
 * A known-failures entry for `matrix`: on tfjs versions in `tfjs` (a semver range), the check may
 * differ from the goldens by up to `maxAbsError`. The cell fails if the drift grows past the bound,
 * and also if it disappears, so that stale entries get removed. `recordedWith` (a semver range)
 * narrows it to bundles saved by those versions (`matrix --cross`), so a drift can be declared in
 * one direction only: e.g. 3.x bundles replayed by 4.x, not the reverse.
 */
export interface KnownDrift {
  tfjs: string;
  recordedWith?: string;
  backend?: string;
  check?: 'replay' | 'retrain';
  maxAbsError: number;
  reason: string;
}
/** A scenario that builds and trains a tiny model from code. */
export interface TrainedScenario extends ScenarioCommon {
  source?: 'code';
  /** Builds the model; `inputShapes` has the shape of each named input (multi-input rows). */
  model(ctx: { tf: Tf; inputShape: number[]; inputShapes: Record<string, number[]> }): LayersModel;
  train: TrainOptions;
}
/**
 * A model made elsewhere (Keras, TensorFlow, tfjs) and brought in by `tfjs-repro import`: nothing is
 * trained; the model and its fitted preprocessing are read from `modelPath`.
 */
export interface SavedModelScenario extends ScenarioCommon {
  source: 'saved';
  /**
   * The model's directory, relative to the project root (`models/<name>`): `tfjs/model.json` with its
   * weights, and `preprocessing.json` (the fitted state, e.g. imported from scikit-learn) when
   * `preprocessing` names steps; `preprocessing` then lists the same steps, unfitted, for the faults.
   */
  modelPath: string;
}
export type ScenarioDefinition = TrainedScenario | SavedModelScenario;

/** Whether the model comes from disk rather than from model() and train. */
export function isSavedScenario(s: { source?: string }): boolean {
  return s.source === 'saved';
}

/** Declares a scenario; the default export of `scenarios/<name>.scenario.ts`. */
export function defineScenario<S extends ScenarioDefinition>(definition: S): S {
  return definition;
}
