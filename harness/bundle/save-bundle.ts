import { persistPipeline, type PreprocessingState } from '../preprocessing/pipeline.ts';
import type { ModelArtifacts, Tf } from '../runtime/tf-types.ts';
import { GRAPH_MODEL_FORMAT, graphModelJson, type AnyModel } from './graph-model.ts';
import { buildManifest, MANIFEST_JSON, MODEL_JSON, PREPROCESSING_JSON, utf8, WEIGHTS_BIN, type BundleFiles } from './bundle-files.ts';

function joinWeights(data: ModelArtifacts['weightData']): Uint8Array {
  // tfjs 4.x may hand back several buffers; 3.x always one.
  const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/** What model.save hands over; a graph model hands back the artifacts it was loaded from. */
export async function modelArtifacts(tf: Tf, model: AnyModel): Promise<ModelArtifacts> {
  let captured: ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('model.save did not produce artifacts');
  return captured;
}

export interface CreateBundleOptions {
  tf: Tf;
  model: AnyModel;
  preprocessing: PreprocessingState;
  scenario: string;
  backend: string;
}

/** Serializes a model and its fitted preprocessing into bundle files with a checksummed manifest. */
export async function createBundle(o: CreateBundleOptions): Promise<BundleFiles> {
  const artifacts = await modelArtifacts(o.tf, o.model);
  return bundleFromArtifacts(artifacts, {
    preprocessing: o.preprocessing,
    scenario: o.scenario,
    backend: o.backend,
    tfjs: o.tf.version.tfjs,
  });
}

export interface BundleInfo {
  preprocessing: PreprocessingState;
  scenario: string;
  backend: string;
  tfjs: string;
}
type Artifacts = Pick<ModelArtifacts, 'modelTopology' | 'trainingConfig' | 'weightSpecs'> &
  Partial<
    Pick<
      ModelArtifacts,
      'format' | 'generatedBy' | 'convertedBy' | 'signature' | 'userDefinedMetadata' | 'modelInitializer' | 'initializerSignature'
    >
  > & {
    weightData?: ModelArtifacts['weightData'] | Uint8Array;
  };

/** Bundle files from saved model artifacts (from this process or a browser page's model.save). */
export function bundleFromArtifacts(artifacts: Artifacts, o: BundleInfo): BundleFiles {
  const weightsManifest = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
  const modelJson =
    artifacts.format === GRAPH_MODEL_FORMAT
      ? { ...graphModelJson(artifacts as ModelArtifacts, o.tfjs), weightsManifest }
      : {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${o.tfjs}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
          weightsManifest,
        };
  const weights = artifacts.weightData instanceof Uint8Array ? artifacts.weightData : joinWeights(artifacts.weightData);
  const files: BundleFiles = new Map([
    [MODEL_JSON, utf8(JSON.stringify(modelJson))],
    [WEIGHTS_BIN, weights],
    [PREPROCESSING_JSON, utf8(JSON.stringify(persistPipeline(o.preprocessing), null, 1))],
  ]);
  const manifest = buildManifest(files, { scenario: o.scenario, tfjs: o.tfjs, backend: o.backend });
  files.set(MANIFEST_JSON, utf8(JSON.stringify(manifest, null, 2) + '\n'));
  return files;
}
