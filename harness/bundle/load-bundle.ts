import type { PreprocessingState } from '../preprocessing/pipeline.ts';
import { restorePipeline } from '../preprocessing/restore-pipeline.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { IOHandler, LayersModel, ModelArtifacts, Tf } from '../runtime/tf-types.ts';
import { isSafeBundlePath, MODEL_JSON, parseJson, type BundleFiles } from './bundle-files.ts';
import { disposeModel, explainLoadError, isStateful, registerCustomObjects, withoutLeakedVariables } from './model-lifecycle.ts';

// Kept importable from here: most callers know these as part of loading a bundle.
export { disposeModel, explainLoadError, heldTensors, isStateful, registerCustomObjects, withoutLeakedVariables } from './model-lifecycle.ts';

interface WeightGroup { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }
interface ModelJson { modelTopology: object; weightsManifest: WeightGroup[]; format?: string; generatedBy?: string; convertedBy?: string | null; trainingConfig?: object }

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** model.json + shards → ModelArtifacts, refusing weight paths outside the bundle and short weight data. */
export function artifactsFromBundle(files: BundleFiles, where: string): ModelArtifacts {
  const json = parseJson<ModelJson>(files, MODEL_JSON, where);
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${where}/${MODEL_JSON}: weightsManifest must be an array`);
  const parts: Uint8Array[] = [];
  const specs: WeightGroup['weights'] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      if (!isSafeBundlePath(p)) throw new Error(`${where}/${MODEL_JSON}: weight path "${p}" must stay inside the bundle directory; refusing to load`);
      const bytes = files.get(p);
      if (!bytes) throw new Error(`${where}/${p}: weight shard named in ${MODEL_JSON} is missing`);
      parts.push(bytes);
    }
    specs.push(...group.weights);
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const expected = specs.every((s) => !s.quantization && BYTES_PER_ELEMENT[s.dtype])
    ? specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[s.dtype]!, 0)
    : total;
  if (total !== expected) throw new Error(`${where}: weight shards hold ${total} bytes but ${MODEL_JSON} describes ${expected}; the bundle is inconsistent`);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) { weightData.set(p, offset); offset += p.byteLength; }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs as ModelArtifacts['weightSpecs'],
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    ...(json.trainingConfig ? { trainingConfig: json.trainingConfig as ModelArtifacts['trainingConfig'] } : {}),
  };
}

export interface LoadedBundle { model: LayersModel; preprocessing: PreprocessingState }

/**
 * Loads a verified bundle: registers the scenario's custom objects, loads the model strictly (every
 * variable must have weights), restores preprocessing and resets RNN state, naming the failing step.
 */
export async function loadVerifiedBundle(
  tf: Tf, scenario: TrainedScenario, source: string | IOHandler,
  preprocessing: () => Promise<PreprocessingState>, where: string,
): Promise<LoadedBundle> {
  registerCustomObjects(tf, scenario);
  let model: LayersModel;
  try {
    model = await withoutLeakedVariables(tf, () => tf.loadLayersModel(source, { strict: true }));
  } catch (err) {
    throw explainLoadError(err, where, scenario.name);
  }
  let state: PreprocessingState;
  try {
    state = await preprocessing();
  } catch (err) {
    disposeModel(tf, model);
    throw new Error(`${where}/preprocessing.json: restoring preprocessing failed: ${(err as Error).message}`);
  }
  try {
    state = restorePipeline(state, `${where}/preprocessing.json`);
  } catch (err) {
    disposeModel(tf, model);
    throw err;
  }
  if (isStateful(model)) model.resetStates();
  return { model, preprocessing: state };
}
