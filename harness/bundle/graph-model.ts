// Graph models (tensorflowjs_converter's tf_saved_model → tfjs_graph_model): a bundle whose model.json
// says `format: "graph-model"`. Everything else in the bundle (weights manifest, checksums,
// quantization, preprocessing) is as for a layers model; only loading, saving and disposal differ.
// Nothing here touches files, so the browser page script can use it as it is.
import type { GraphModel, IOHandler, LayersModel, ModelArtifacts, Tf } from '../runtime/tf-types.ts';
import { disposeModel, loadFreeingOnFailure } from './model-lifecycle.ts';

export const GRAPH_MODEL_FORMAT = 'graph-model';
export type ModelKind = 'layers' | 'graph';
export type AnyModel = LayersModel | GraphModel;

export const isGraphModel = (m: AnyModel): m is GraphModel => !('layers' in m);
export const modelKindOf = (format: string | undefined): ModelKind => (format === GRAPH_MODEL_FORMAT ? 'graph' : 'layers');

type GraphTopology = { node?: { name: string; op: string }[] };

/**
 * Every constant of the graph must have its weight: tfjs would load a graph without one and fail only
 * at the first prediction that reaches it, with a message that names no file.
 */
export function checkGraphWeights(artifacts: ModelArtifacts, where: string): void {
  const names = new Set((artifacts.weightSpecs ?? []).map((s) => s.name));
  const missing = ((artifacts.modelTopology as GraphTopology).node ?? []).find((n) => n.op === 'Const' && !names.has(n.name));
  if (missing)
    throw new Error(
      `${where}/model.json: node "${missing.name.slice(0, 200)}" is a constant of the graph but has no weight in weightsManifest; weights must cover every constant: re-create the bundle`,
    );
}

/** Loads a graph model, checking its weights cover its constants, and frees the decoded weights on failure. */
export function loadGraphModelFreeingOnFailure(tf: Tf, source: IOHandler, where: string): Promise<GraphModel> {
  const checked: IOHandler = {
    load: async () => {
      const artifacts = await source.load!();
      checkGraphWeights(artifacts, where);
      return artifacts;
    },
  };
  return loadFreeingOnFailure(tf, checked, (handler) => tf.loadGraphModel(handler));
}

/** The model.json fields of a graph model, as the converter writes them (minus the weights manifest). */
export function graphModelJson(artifacts: ModelArtifacts, tfjs: string): Record<string, unknown> {
  const optional = ['signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const;
  return {
    format: GRAPH_MODEL_FORMAT,
    generatedBy: artifacts.generatedBy ?? 'unknown',
    convertedBy: artifacts.convertedBy ?? `TensorFlow.js v${tfjs}`,
    modelTopology: artifacts.modelTopology,
    ...Object.fromEntries(optional.filter((k) => artifacts[k] != null).map((k) => [k, artifacts[k]])),
  };
}

/** The tensors a graph model holds: its weights. */
export const heldGraphTensors = (model: GraphModel): number => Object.values(model.weights).flat().length;

/** Disposes either kind; a layers model's RNN state goes with it. */
export function disposeAnyModel(tf: Tf, model: AnyModel): void {
  if (isGraphModel(model)) model.dispose();
  else disposeModel(tf, model);
}
