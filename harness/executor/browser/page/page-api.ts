// The data-only API the page script puts on `window.tfjsRepro`, called from Node with page.evaluate.
// Shared by both sides: types and one constant.
import type { CustomClassInfo, CustomObjectsChoice } from '../../executor.ts';
import type { WireTensor } from '../wire-tensor.ts';

export interface LoadBundleOptions {
  /** Bundled scenario file whose customObjects(tf) the model may need. */
  scenarioUrl?: string;
  customObjects?: CustomObjectsChoice;
  /** Where the bundle came from, for error messages. */
  where: string;
  scenarioName: string;
}

/** Prefix that makes Node's side raise NotApplicable (an Error class does not cross page.evaluate). */
export const NOT_APPLICABLE_PREFIX = 'NotApplicable: ';

export type WebglFlags = Record<string, boolean | number>;
export interface BackendStatus {
  usable: boolean;
  reason?: string;
}

export interface ModelInfo {
  id: number;
  inputNames: string[];
  outputNames: string[];
  stateful: boolean;
  /** Absent for a layers model (the seam of harness/executor/executor.ts ModelHandle). */
  kind?: 'graph';
}
/** tfjs model artifacts with the weight data as base64, as `save` returns and `loadModel` accepts. */
export interface WireArtifacts {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: string;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: object;
  /** A graph model's own model.json fields (format "graph-model"). */
  signature?: object;
  userDefinedMetadata?: object;
  modelInitializer?: object;
  initializerSignature?: object;
}
export interface LoadModelOptions {
  /** URL of a bundled scenario whose customObjects(tf) are registered before loading. */
  scenarioUrl?: string;
}
export interface PredictOptions {
  batchSize?: number;
  resetState?: boolean;
  labels?: boolean;
}
export interface TrainOptions {
  /** Preprocessed inputs: one unnamed input as [tensor], or by input name (multi-input rows). */
  inputs: WireTensor[] | Record<string, WireTensor>;
  /** Targets: one unnamed output as [tensor], or by output layer name. */
  targets: WireTensor[] | Record<string, WireTensor>;
  seed: number;
  epochs: number;
  batchSize: number;
  loss: string | Record<string, string>;
  optimizer?: 'adam' | 'sgd' | 'rmsprop';
  learningRate?: number;
  shuffle?: boolean;
}
export interface PageFingerprint {
  userAgent: string;
  tfjs: string;
  backend: string;
  webgl: { vendor: string; renderer: string; version: string } | null;
  webgpu: { vendor: string; architecture: string; device: string; description: string } | null;
}

export interface TfjsReproPage {
  setBackend(name: string, flags?: WebglFlags): Promise<BackendStatus>;
  loadModel(source: string | WireArtifacts, options?: LoadModelOptions): Promise<ModelInfo>;
  predict(id: number, inputs: WireTensor[], options?: PredictOptions): Promise<Record<string, WireTensor>>;
  resetStates(id: number): void;
  dispose(id: number): void;
  numTensors(): number;
  train(scenarioUrl: string, options: TrainOptions): Promise<ModelInfo>;
  save(id: number): Promise<WireArtifacts>;
  fingerprint(): Promise<PageFingerprint>;
  loadBundle(source: string | WireArtifacts, options: LoadBundleOptions): Promise<ModelInfo>;
  perturbLargestWeight(id: number, relative: number): Promise<string>;
  layerOutputs(
    id: number,
    inputs: WireTensor[],
    batchSize?: number,
  ): Promise<{ names: string[]; classes: string[]; outputs: WireTensor[] }>;
  customClasses(scenarioUrl: string): Promise<CustomClassInfo[]>;
  heldTensors(id: number): number;
}
