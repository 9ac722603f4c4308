// Models held by the page, by id; predictions and artifacts leave the page as data (wire tensors).
import { disposeModel, isStateful } from '../../../bundle/model-lifecycle.ts';
import type { LayersModel, ModelArtifacts, Tensor } from '../../../runtime/tf-types.ts';
import { base64ToBytes, bytesToBase64, fromWire, toWire, type WireTensor } from '../wire-tensor.ts';
import type { LoadModelOptions, ModelInfo, PredictOptions, WireArtifacts } from './page-api.ts';
import { registerScenarioObjects } from './page-scenario.ts';
import { pageTf } from './page-tf.ts';

const models = new Map<number, LayersModel>();
let nextId = 1;

export function model(id: number): LayersModel {
  const m = models.get(id);
  if (!m) throw new Error(`model ${id} must be loaded in this page (known ids: ${[...models.keys()].join(', ') || 'none'})`);
  return m;
}

export function addModel(m: LayersModel): ModelInfo {
  const id = nextId++;
  models.set(id, m);
  return { id, inputNames: [...m.inputNames], outputNames: [...m.outputNames], stateful: isStateful(m) };
}

export async function loadModel(source: string | WireArtifacts, options: LoadModelOptions = {}): Promise<ModelInfo> {
  const tf = pageTf();
  await registerScenarioObjects(options.scenarioUrl);
  const handler =
    typeof source === 'string'
      ? source
      : tf.io.fromMemory({ ...source, weightData: base64ToBytes(source.weightData).buffer } as ModelArtifacts);
  return addModel(await tf.loadLayersModel(handler, { strict: true }));
}

async function toData(t: Tensor): Promise<WireTensor> {
  const dtype = t.dtype === 'int32' || t.dtype === 'bool' ? t.dtype : 'float32';
  const raw = await t.data();
  const values = dtype === 'float32' ? Float32Array.from(raw as Float32Array) : Int32Array.from(raw as Int32Array);
  return toWire({ shape: [...t.shape], dtype, values });
}

/** Outputs keyed by position (`output0`, and `output0.labels` for argmax labels), as in Node. */
export async function predict(id: number, inputs: WireTensor[], options: PredictOptions = {}): Promise<Record<string, WireTensor>> {
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
    const result: Record<string, WireTensor> = {};
    for (const [i, t] of list.entries()) {
      result[`output${i}`] = await toData(t);
      if (options.labels) {
        const labels = tf.argMax(t, -1);
        result[`output${i}.labels`] = await toData(labels);
        labels.dispose();
      }
    }
    tf.dispose(list);
    return result;
  } finally {
    tf.dispose(xs);
  }
}

export function resetStates(id: number): void {
  model(id).resetStates();
}

export function dispose(id: number): void {
  disposeModel(pageTf(), model(id));
  models.delete(id);
}

export function numTensors(): number {
  return pageTf().memory().numTensors;
}

export async function save(id: number): Promise<WireArtifacts> {
  const tf = pageTf();
  let captured: ModelArtifacts | undefined;
  await model(id).save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error(`model ${id}: model.save did not produce artifacts`);
  const parts = captured.weightData === undefined ? [] : [captured.weightData].flat();
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    joined.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return {
    modelTopology: captured.modelTopology as object,
    weightSpecs: (captured.weightSpecs ?? []) as WireArtifacts['weightSpecs'],
    weightData: bytesToBase64(joined),
    format: captured.format,
    generatedBy: captured.generatedBy,
    convertedBy: captured.convertedBy ?? null,
    ...(captured.trainingConfig ? { trainingConfig: captured.trainingConfig as object } : {}),
  };
}
