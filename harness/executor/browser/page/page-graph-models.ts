// Graph models (model.json `format: "graph-model"`, as tensorflowjs_converter writes a SavedModel) held
// by the page. Their weights are constants of the graph, not variables, so each model keeps the
// artifacts it was loaded from: save hands them back, and perturbing a weight rebuilds the model.
import type { ModelArtifacts, Tensor, Tf } from '../../../runtime/tf-types.ts';
import { NotApplicable } from '../../../types/errors.ts';
import { fromWire, type WireTensor } from '../wire-tensor.ts';
import type { ModelInfo, PredictOptions } from './page-api.ts';
import { outputsToWire } from './page-outputs.ts';
import { pageTf } from './page-tf.ts';

type GraphModel = Awaited<ReturnType<Tf['loadGraphModel']>>;
interface GraphEntry {
  model: GraphModel;
  artifacts: ModelArtifacts;
  /** The scenario (or source) it came from, for messages. */
  name: string;
}
const graphs = new Map<number, GraphEntry>();

export const isGraphArtifacts = (a: ModelArtifacts): boolean => a.format === 'graph-model';
export const isGraph = (id: number): boolean => graphs.has(id);

function entry(id: number): GraphEntry {
  const e = graphs.get(id);
  if (!e) throw new Error(`graph model ${id} must be loaded in this page (known graph ids: ${[...graphs.keys()].join(', ') || 'none'})`);
  return e;
}

const fromArtifacts = (tf: Tf, a: ModelArtifacts): Promise<GraphModel> => tf.loadGraphModel(tf.io.fromMemory(a));

/** Loads a graph model under the given id (ids are shared with the page's layers models). */
export async function addGraphModel(id: number, artifacts: ModelArtifacts, name: string): Promise<ModelInfo> {
  const model = await fromArtifacts(pageTf(), artifacts);
  graphs.set(id, { model, artifacts, name });
  return {
    id,
    inputNames: model.inputs.map((i) => i.name),
    outputNames: model.outputs.map((o) => o.name),
    stateful: false,
    kind: 'graph',
  };
}

/** Runs the graph on inputs in `model.inputs` order; outputs in `model.outputs` order. */
function execute(model: GraphModel, xs: Tensor[]): Tensor[] {
  return [model.execute(xs.length === 1 ? xs[0]! : xs, model.outputNodes)].flat();
}

/**
 * Outputs keyed `output0..` as for layers models. A graph model has no predict batching of its own, so
 * `batchSize` runs the rows in slices of that size, as LayersModel.predict does.
 */
export async function predictGraph(id: number, inputs: WireTensor[], o: PredictOptions = {}): Promise<Record<string, WireTensor>> {
  const tf = pageTf();
  const { model } = entry(id);
  const xs = inputs.map((w, i) => {
    const d = fromWire(w, `input ${i}`);
    return tf.tensor(d.values, d.shape, d.dtype);
  });
  const held: Tensor[] = [...xs];
  try {
    const rows = xs[0]?.shape[0] ?? 0;
    let outs: Tensor[];
    if (!o.batchSize || o.batchSize >= rows) outs = execute(model, xs);
    else {
      const parts: Tensor[][] = [];
      for (let start = 0; start < rows; start += o.batchSize) {
        const batch = xs.map((x) => x.slice(start, Math.min(o.batchSize!, rows - start)));
        held.push(...batch);
        parts.push(execute(model, batch));
        held.push(...parts.at(-1)!);
      }
      outs = parts[0]!.map((_, k) => tf.concat(parts.map((p) => p[k]!)));
    }
    held.push(...outs);
    return await outputsToWire(outs, o.labels);
  } finally {
    tf.dispose(held);
  }
}

/** What the graph model was loaded from: GraphModel.save hands back its artifacts. */
export async function graphArtifacts(id: number): Promise<ModelArtifacts> {
  const tf = pageTf();
  let captured: ModelArtifacts | undefined;
  await entry(id).model.save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error(`graph model ${id}: model.save did not produce artifacts`);
  return captured;
}

/**
 * The last weight of rank >= 2 in weights-manifest order gets its largest |value| times (1 + relative);
 * the model is rebuilt from its artifacts with that weight changed (quantized weights are stored
 * dequantized, which loads to the same values). Returns the weight's name.
 */
export async function perturbGraph(id: number, relative: number): Promise<string> {
  const tf = pageTf();
  const e = entry(id);
  const specs = e.artifacts.weightSpecs ?? [];
  const target = [...specs].reverse().find((s) => s.shape.length >= 2);
  if (!target) throw new NotApplicable(`${e.name}: the graph model has no weight of rank 2 or more to perturb`);
  if (target.dtype !== 'float32')
    throw new NotApplicable(`${e.name}: the graph model's last weight of rank >= 2 (${target.name}) is ${target.dtype}, not float32`);
  const decoded = tf.io.decodeWeights(e.artifacts.weightData!, specs);
  try {
    const values = Float32Array.from((await decoded[target.name]!.data()) as Float32Array);
    let at = 0;
    values.forEach((v, i) => {
      if (Math.abs(v) > Math.abs(values[at]!)) at = i;
    });
    values[at] = values[at]! * (1 + relative);
    const moved = tf.tensor(values, target.shape, 'float32');
    const named = specs.map((s) => ({ name: s.name, tensor: s === target ? moved : decoded[s.name]! }));
    const encoded = await tf.io.encodeWeights(named).finally(() => moved.dispose());
    const artifacts: ModelArtifacts = { ...e.artifacts, weightSpecs: encoded.specs, weightData: encoded.data };
    const model = await fromArtifacts(tf, artifacts);
    e.model.dispose();
    graphs.set(id, { ...e, model, artifacts });
    return target.name;
  } finally {
    tf.dispose(Object.values(decoded));
  }
}

export function disposeGraph(id: number): void {
  entry(id).model.dispose();
  graphs.delete(id);
}

/** The weight tensors the graph holds (its constants). */
export const graphHeldTensors = (id: number): number => Object.values(entry(id).model.weights).flat().length;

export function graphNotApplicable(id: number, what: string): never {
  throw new NotApplicable(`${what}; ${entry(id).name} is a graph model`);
}
