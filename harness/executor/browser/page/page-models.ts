// Models held by the page, by id: layers models here, graph models (model.json format "graph-model")
// in page-graph-models.ts; each function dispatches on the id. Predictions and artifacts leave the page
// as data (wire tensors, base64 weights).
import { disposeModel, isStateful } from '../../../bundle/model-lifecycle.ts';
import type { IOHandler, LayersModel, ModelArtifacts } from '../../../runtime/tf-types.ts';
import { base64ToBytes, bytesToBase64, fromWire, type WireTensor } from '../wire-tensor.ts';
import { NOT_APPLICABLE_PREFIX, type LoadModelOptions, type ModelInfo, type PredictOptions, type WireArtifacts } from './page-api.ts';
import { addGraphModel, disposeGraph, graphArtifacts, isGraph, isGraphArtifacts, predictGraph } from './page-graph-models.ts';
import { outputsToWire } from './page-outputs.ts';
import { registerScenarioObjects } from './page-scenario.ts';
import { pageTf } from './page-tf.ts';

const models = new Map<number, LayersModel>();
let nextId = 1;

export function model(id: number): LayersModel {
  const m = models.get(id);
  if (!m) throw new Error(`layers model ${id} must be loaded in this page (known layers ids: ${[...models.keys()].join(', ') || 'none'})`);
  return m;
}

export function addModel(m: LayersModel): ModelInfo {
  const id = nextId++;
  models.set(id, m);
  return { id, inputNames: [...m.inputNames], outputNames: [...m.outputNames], stateful: isStateful(m) };
}

export const addGraph = (artifacts: ModelArtifacts, name: string): Promise<ModelInfo> => addGraphModel(nextId++, artifacts, name);

export const fromWireArtifacts = (a: WireArtifacts): ModelArtifacts =>
  ({ ...a, weightData: base64ToBytes(a.weightData).buffer }) as ModelArtifacts;

/** The artifacts behind a URL (tfjs's http handler, as a load by URL uses) or wire artifacts. */
export function artifactsHandler(source: string | WireArtifacts): IOHandler {
  const tf = pageTf();
  return typeof source === 'string' ? tf.io.http(source) : tf.io.fromMemory(fromWireArtifacts(source));
}

/** Loads a layers or a graph model, as model.json's format says. */
export async function loadModel(source: string | WireArtifacts, options: LoadModelOptions = {}): Promise<ModelInfo> {
  const tf = pageTf();
  await registerScenarioObjects(options.scenarioUrl);
  const artifacts = await artifactsHandler(source).load!();
  if (isGraphArtifacts(artifacts)) return addGraph(artifacts, typeof source === 'string' ? source : 'the model');
  return addModel(await tf.loadLayersModel({ load: async () => artifacts }, { strict: true }));
}

export async function predict(id: number, inputs: WireTensor[], options: PredictOptions = {}): Promise<Record<string, WireTensor>> {
  if (isGraph(id)) return predictGraph(id, inputs, options);
  const tf = pageTf();
  const m = model(id);
  if (isStateful(m) && options.resetState !== false) m.resetStates();
  const xs = inputs.map((w, i) => {
    const d = fromWire(w, `input ${i}`);
    return tf.tensor(d.values, d.shape, d.dtype);
  });
  try {
    const out = m.predict(xs.length === 1 ? xs[0]! : xs, options.batchSize ? { batchSize: options.batchSize } : {});
    const list = Array.isArray(out) ? out : [out];
    try {
      return await outputsToWire(list, options.labels);
    } finally {
      tf.dispose(list);
    }
  } finally {
    tf.dispose(xs);
  }
}

export function resetStates(id: number): void {
  if (isGraph(id)) throw new Error(`${NOT_APPLICABLE_PREFIX}resetStates does not apply to a graph model (it has no state)`);
  model(id).resetStates();
}

export function dispose(id: number): void {
  if (isGraph(id)) return disposeGraph(id);
  disposeModel(pageTf(), model(id));
  models.delete(id);
}

export function numTensors(): number {
  return pageTf().memory().numTensors;
}

async function layersArtifacts(id: number): Promise<ModelArtifacts> {
  const tf = pageTf();
  let captured: ModelArtifacts | undefined;
  await model(id).save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error(`model ${id}: model.save did not produce artifacts`);
  return captured;
}

const GRAPH_FIELDS = ['signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const;

/** model.save's artifacts as data: the weight buffers joined, every model.json field kept. */
export async function save(id: number): Promise<WireArtifacts> {
  const captured = isGraph(id) ? await graphArtifacts(id) : await layersArtifacts(id);
  const parts = captured.weightData === undefined ? [] : [captured.weightData].flat();
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    joined.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  const graph = Object.fromEntries(GRAPH_FIELDS.filter((k) => captured[k] != null).map((k) => [k, captured[k] as object]));
  return {
    modelTopology: captured.modelTopology as object,
    weightSpecs: (captured.weightSpecs ?? []) as WireArtifacts['weightSpecs'],
    weightData: bytesToBase64(joined),
    format: captured.format,
    generatedBy: captured.generatedBy,
    convertedBy: captured.convertedBy ?? null,
    ...(captured.trainingConfig ? { trainingConfig: captured.trainingConfig as object } : {}),
    ...graph,
  };
}
