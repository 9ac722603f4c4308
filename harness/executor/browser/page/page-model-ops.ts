// The executor's model operations that need tfjs in the page: loading a bundle (layers or graph model)
// with a chosen set of custom objects, perturbing a weight, every layer's output, custom classes and
// held tensors. The same code as in Node (custom-objects.ts, tf-model-ops.ts), run on the page's tfjs;
// data in and out.
import {
  explainLoadError,
  heldTensors as modelHeldTensors,
  isStateful,
  loadLayersModelFreeingOnFailure,
} from '../../../bundle/model-lifecycle.ts';
import { NotApplicable } from '../../../types/errors.ts';
import { customClassInfo, withCustomObjects } from '../../custom-objects.ts';
import type { CustomClassInfo } from '../../executor.ts';
import { layerOutputs as tfLayerOutputs, perturbLargestWeight as tfPerturb } from '../../tf-model-ops.ts';
import { fromWire, toWire, type WireTensor } from '../wire-tensor.ts';
import { NOT_APPLICABLE_PREFIX, type LoadBundleOptions, type ModelInfo, type WireArtifacts } from './page-api.ts';
import { graphHeldTensors, graphNotApplicable, isGraph, isGraphArtifacts, perturbGraph } from './page-graph-models.ts';
import { addGraph, addModel, artifactsHandler, model } from './page-models.ts';
import { importScenario, registerScenarioObjects } from './page-scenario.ts';
import { pageTf } from './page-tf.ts';

async function marked<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof NotApplicable) throw new Error(NOT_APPLICABLE_PREFIX + err.message, { cause: err });
    throw err;
  }
}

/**
 * Loads a bundle's model strictly, as loadVerifiedBundle does in Node (preprocessing stays in Node): a
 * graph model when model.json's format is "graph-model", else a layers model.
 */
export async function loadBundle(source: string | WireArtifacts, o: LoadBundleOptions): Promise<ModelInfo> {
  const tf = pageTf();
  const scenario = await registerScenarioObjects(o.scenarioUrl);
  const explained = (err: unknown) => {
    throw explainLoadError(err, o.where, o.scenarioName);
  };
  const artifacts = await Promise.resolve()
    .then(() => artifactsHandler(source).load!())
    .catch(explained);
  const choice = o.customObjects ?? { mode: 'scenario' };
  if (isGraphArtifacts(artifacts)) {
    if (choice.mode !== 'scenario')
      throw new Error(`${NOT_APPLICABLE_PREFIX}${o.scenarioName}: custom classes do not apply to a graph model (${o.where})`);
    return addGraph(artifacts, o.scenarioName).catch(explained);
  }
  const load = () => loadLayersModelFreeingOnFailure(tf, { load: async () => artifacts }).catch(explained);
  const m = scenario && choice.mode !== 'scenario' ? await withCustomObjects(tf, scenario, choice, load) : await load();
  if (isStateful(m)) m.resetStates();
  return addModel(m);
}

export const perturbLargestWeight = (id: number, relative: number): Promise<string> =>
  marked(() => (isGraph(id) ? perturbGraph(id, relative) : tfPerturb(pageTf(), model(id), relative)));

export function layerOutputs(
  id: number,
  inputs: WireTensor[],
  batchSize?: number,
): Promise<{ names: string[]; classes: string[]; outputs: WireTensor[] }> {
  return marked(async () => {
    if (isGraph(id)) graphNotApplicable(id, 'explain needs a layers model');
    const r = await tfLayerOutputs(
      pageTf(),
      model(id),
      inputs.map((w, i) => fromWire(w, `input ${i}`)),
      batchSize,
    );
    return { names: r.names, classes: r.classes, outputs: r.outputs.map(toWire) };
  });
}

export async function customClasses(scenarioUrl: string): Promise<CustomClassInfo[]> {
  return customClassInfo(pageTf(), await importScenario(scenarioUrl));
}

export const heldTensors = (id: number): number => (isGraph(id) ? graphHeldTensors(id) : modelHeldTensors(model(id)));
