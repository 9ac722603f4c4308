// Where tfjs runs for a host. Checks talk to an executor in data only (bundle bytes, float32 inputs,
// predictions, counts), so a new environment (a browser page) is one more executor, not an edit to
// every check. Model handles are opaque ids; the executor owns the models behind them.
import type { BundleFiles } from '../bundle/bundle-files.ts';
import type { FormatName } from '../bundle/formats.ts';
import type { PreprocessingState } from '../preprocessing/pipeline.ts';
import type { ScenarioData, TrainOptions, TrainedScenario } from '../scenario/define-scenario.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';

export interface ModelHandle {
  id: number;
  inputNames: string[];
  outputNames: string[];
  stateful: boolean;
  /** 'graph' for a graph model (model.json format "graph-model"); absent for a layers model. */
  kind?: 'graph';
}
export interface LoadedModel {
  model: ModelHandle;
  preprocessing: PreprocessingState;
}

/**
 * Which implementation each custom class gets at load time: the scenario's own; none for one class
 * (it is missing from the registry); or, for one layer class, another implementation under the same
 * name whose output is scaled by `scale`.
 */
export type CustomObjectsChoice =
  | { mode: 'scenario' }
  | { mode: 'missing'; className: string }
  | { mode: 'changed'; className: string; scale: number }
  /** The class replaced by a plain built-in activation of the same shape (what a hand-written stand-in often is). */
  | { mode: 'builtin'; className: string; activation: BuiltinActivation };
export const builtinActivations = ['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'softplus'] as const;
export type BuiltinActivation = (typeof builtinActivations)[number];

export interface LoadOptions {
  format: FormatName;
  scenario: TrainedScenario;
  /** Where the bundle came from, for error messages. */
  where: string;
  customObjects?: CustomObjectsChoice;
}
export interface PredictOptions {
  batchSize?: number;
  resetState?: boolean;
  labels?: boolean;
}
export interface TrainRequest {
  scenario: TrainedScenario;
  /** Preprocessed training inputs, one per model input, in the order of `names` (when named). */
  x: TensorData[];
  names?: string[];
  y: ScenarioData['train']['y'];
  train: TrainOptions;
  seed: number;
}
export interface CustomClassInfo {
  className: string;
  isLayer: boolean;
}
export interface LayerOutputs {
  names: string[];
  classes: string[];
  outputs: TensorData[];
}
export interface SavedModelPredictOptions {
  /** How many times the same inputs are predicted, in order; a stateful model advances on each. */
  calls: number;
  /** Rows per predict call (a stateful model needs its fixed batch size); all rows at once by default. */
  batchSize?: number;
  /** Load the SavedModel again before each call after the first, keeping the earlier handles loaded. */
  reload?: boolean;
}
/** What can change the bits of a backend's outputs, beside the tfjs version (e.g. CPU features). */
export type Fingerprint = Record<string, string>;

export interface Executor {
  readonly backend: string;
  readonly tfjsVersion: string;
  fingerprint(): Promise<Fingerprint>;
  load(files: BundleFiles, options: LoadOptions): Promise<LoadedModel>;
  predict(model: ModelHandle, inputs: TensorData[], options?: PredictOptions): Promise<Predictions>;
  train(request: TrainRequest): Promise<ModelHandle>;
  /** The model and its preprocessing as bundle files, with a checksummed manifest. */
  save(model: ModelHandle, preprocessing: PreprocessingState, scenario: string): Promise<BundleFiles>;
  /** Moves the largest weight of the last kernel by a relative amount; returns the layer's name. */
  perturbLargestWeight(model: ModelHandle, relative: number): Promise<string>;
  layerOutputs(model: ModelHandle, inputs: TensorData[], batchSize?: number): Promise<LayerOutputs>;
  customClasses(scenario: TrainedScenario): Promise<CustomClassInfo[]>;
  dispose(model: ModelHandle): Promise<void>;
  /** Tensors alive in the executor, for hygiene checks. */
  numTensors(): Promise<number>;
  /** Tensors a model holds on purpose (weights, RNN state): not counted as leaks while memoized. */
  heldTensors(model: ModelHandle): Promise<number>;
  /** A TensorFlow SavedModel itself, run by TensorFlow's kernels (tf.node.loadSavedModel); tfjs-node only. */
  predictSavedModel?(dir: string, inputs: TensorData[], options: SavedModelPredictOptions): Promise<Predictions[]>;
}
