// A verified bundle's model as the page's wire artifacts (weights in base64), and back. A graph model
// (format "graph-model") keeps its own model.json fields (signature, initializer), which tfjs needs to
// name its inputs and outputs as the converter did.
import { artifactsFromBundle } from '../../bundle/load-bundle.ts';
import { fromUtf8, MODEL_JSON, type BundleFiles } from '../../bundle/bundle-files.ts';
import type { WireArtifacts } from './page/page-api.ts';
import { bytesToBase64 } from './wire-tensor.ts';

const GRAPH_FIELDS = ['signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const;

/** model.json + shards (checked by artifactsFromBundle) → wire artifacts for the page's memory load. */
export function wireFromBundle(files: BundleFiles, where: string): WireArtifacts {
  const a = artifactsFromBundle(files, where);
  const json = JSON.parse(fromUtf8(files.get(MODEL_JSON)!)) as Record<string, unknown>;
  const graph = Object.fromEntries(GRAPH_FIELDS.filter((k) => json[k] != null).map((k) => [k, json[k] as object]));
  return {
    modelTopology: a.modelTopology as object,
    weightSpecs: (a.weightSpecs ?? []) as WireArtifacts['weightSpecs'],
    weightData: bytesToBase64(new Uint8Array(a.weightData as ArrayBuffer)),
    ...(a.format ? { format: a.format } : {}),
    ...(a.generatedBy ? { generatedBy: a.generatedBy } : {}),
    convertedBy: a.convertedBy ?? null,
    ...(a.trainingConfig ? { trainingConfig: a.trainingConfig as object } : {}),
    ...graph,
  };
}

/** What the page's save returns, with the weights as bytes again (for bundleFromArtifacts). */
export function artifactsFromWire(a: WireArtifacts): Omit<WireArtifacts, 'weightData'> & { weightData: Uint8Array } {
  return { ...a, weightData: new Uint8Array(Buffer.from(a.weightData, 'base64')) };
}
