import type { PreprocessingState } from '../preprocessing/pipeline.ts';
import { restorePipeline } from '../preprocessing/restore-pipeline.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { IOHandler, ModelArtifacts, Tf } from '../runtime/tf-types.ts';
import { isSafeBundlePath, MANIFEST_JSON, MODEL_JSON, PREPROCESSING_JSON, type BundleFiles } from './bundle-files.ts';
import { checkFileSize } from './bundle-limits.ts';
import { modelJsonSchema, parseBundleJson, type ModelJson, type WeightSpec } from './bundle-schema.ts';
import { disposeAnyModel, isGraphModel, loadGraphModelFreeingOnFailure, type AnyModel, type ModelKind } from './graph-model.ts';
import { explainLoadError, isStateful, loadLayersModelFreeingOnFailure, registerCustomObjects } from './model-lifecycle.ts';

// Kept importable from here: most callers know these as part of loading a bundle.
export { disposeModel, explainLoadError, heldTensors, isStateful, registerCustomObjects } from './model-lifecycle.ts';

// Bytes per stored element: the quantized dtype when there is one, else the dtype.
const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };
const specBytes = (s: WeightSpec): number => s.shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[s.quantization?.dtype ?? s.dtype]!;

/**
 * Checks model.json against its schema and its shards: every weight path in the safe set and present,
 * and the shards exactly as long as the weight specs say. Done at read time and again at load.
 */
export function checkModelJson(files: BundleFiles, where: string): { json: ModelJson; parts: Uint8Array[]; specs: WeightSpec[] } {
  const bytes = files.get(MODEL_JSON);
  if (!bytes) throw new Error(`${where}: ${MODEL_JSON} is missing from the bundle; re-create the bundle (npx tfjs-repro record)`);
  checkFileSize(where, MODEL_JSON, bytes.byteLength);
  const json = parseBundleJson(modelJsonSchema, bytes, MODEL_JSON, where);
  const parts: Uint8Array[] = [];
  const specs: WeightSpec[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      if (!isSafeBundlePath(p))
        throw new Error(`${where}/${MODEL_JSON}: weight path "${p}" must stay inside the bundle directory; refusing to load`);
      const shard = files.get(p);
      if (!shard) throw new Error(`${where}/${p}: weight shard named in ${MODEL_JSON} is missing`);
      parts.push(shard);
    }
    specs.push(...group.weights);
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const expected = specs.reduce((n, s) => n + specBytes(s), 0);
  if (total !== expected)
    throw new Error(
      `${where}/${MODEL_JSON}: weight shards hold ${total} bytes but weightsManifest describes ${expected}; the bundle is inconsistent (re-create it)`,
    );
  // A shard model.json does not name is not loaded by any format: a sign of an edited model.json.
  const named = new Set(json.weightsManifest.flatMap((g) => g.paths));
  for (const name of files.keys()) {
    if (!named.has(name) && name !== MODEL_JSON && name !== MANIFEST_JSON && name !== PREPROCESSING_JSON) {
      throw new Error(
        `${where}/${name}: is in the bundle but no path of ${MODEL_JSON}'s weightsManifest names it; remove it or re-create the bundle`,
      );
    }
  }
  return { json, parts, specs };
}

/** model.json + shards → ModelArtifacts, refusing a malformed model.json, weight paths outside the bundle and short weight data. */
export function artifactsFromBundle(files: BundleFiles, where: string): ModelArtifacts {
  const { json, parts, specs } = checkModelJson(files, where);
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    weightData.set(p, offset);
    offset += p.byteLength;
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs as ModelArtifacts['weightSpecs'],
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    // A graph model's signature names its inputs and outputs; layers bundles have none of these.
    ...(json.signature ? { signature: json.signature } : {}),
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata as ModelArtifacts['userDefinedMetadata'] } : {}),
    ...(json.modelInitializer ? { modelInitializer: json.modelInitializer } : {}),
    ...(json.initializerSignature ? { initializerSignature: json.initializerSignature } : {}),
    ...(json.trainingConfig ? { trainingConfig: json.trainingConfig as unknown as ModelArtifacts['trainingConfig'] } : {}),
  };
}

function loadHandler(tf: Tf, url: string): IOHandler {
  const handler = tf.io.getLoadHandlers(url)[0];
  if (!handler?.load) throw new Error(`${url}: no tfjs load handler for this URL`);
  return handler;
}

export interface LoadedBundle {
  model: AnyModel;
  preprocessing: PreprocessingState;
}

/**
 * Loads a verified bundle: registers the scenario's custom objects, loads the model strictly (every
 * variable must have weights), restores preprocessing and resets RNN state, naming the failing step.
 * A graph model (model.json's format "graph-model") has no custom classes and no RNN state.
 */
export async function loadVerifiedBundle(
  tf: Tf,
  scenario: TrainedScenario,
  source: string | IOHandler,
  preprocessing: () => Promise<PreprocessingState>,
  where: string,
  kind: ModelKind = 'layers',
): Promise<LoadedBundle> {
  const handler = typeof source === 'string' ? loadHandler(tf, source) : source;
  if (kind === 'layers') registerCustomObjects(tf, scenario);
  let model: AnyModel;
  try {
    model =
      kind === 'graph' ? await loadGraphModelFreeingOnFailure(tf, handler, where) : await loadLayersModelFreeingOnFailure(tf, handler);
  } catch (err) {
    throw explainLoadError(err, where, scenario.name);
  }
  let state: PreprocessingState;
  try {
    state = await preprocessing();
  } catch (err) {
    disposeAnyModel(tf, model);
    throw new Error(`${where}/preprocessing.json: restoring preprocessing failed: ${(err as Error).message}`, { cause: err });
  }
  try {
    state = restorePipeline(state, `${where}/preprocessing.json`);
  } catch (err) {
    disposeAnyModel(tf, model);
    throw err;
  }
  if (!isGraphModel(model) && isStateful(model)) model.resetStates();
  return { model, preprocessing: state };
}
