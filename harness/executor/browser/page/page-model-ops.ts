// The executor's model operations that need tfjs in the page: loading a bundle with a chosen set of
// custom objects, perturbing a weight, every layer's output, custom classes and held tensors. The same
// code as in Node (custom-objects.ts, tf-model-ops.ts), run on the page's tfjs; data in and out.
import {
  explainLoadError,
  heldTensors as modelHeldTensors,
  isStateful,
  loadLayersModelFreeingOnFailure,
} from '../../../bundle/model-lifecycle.ts';
import type { ModelArtifacts } from '../../../runtime/tf-types.ts';
import { NotApplicable } from '../../../types/errors.ts';
import { customClassInfo, withCustomObjects } from '../../custom-objects.ts';
import type { CustomClassInfo } from '../../executor.ts';
import { layerOutputs as tfLayerOutputs, perturbLargestWeight as tfPerturb } from '../../tf-model-ops.ts';
import { base64ToBytes, fromWire, toWire, type WireTensor } from '../wire-tensor.ts';
import { NOT_APPLICABLE_PREFIX, type LoadBundleOptions, type ModelInfo, type WireArtifacts } from './page-api.ts';
import { addModel, model } from './page-models.ts';
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

/** Loads a bundle's model strictly, as loadVerifiedBundle does in Node (preprocessing stays in Node). */
export async function loadBundle(source: string | WireArtifacts, o: LoadBundleOptions): Promise<ModelInfo> {
  const tf = pageTf();
  const scenario = await registerScenarioObjects(o.scenarioUrl);
  const handler =
    typeof source === 'string'
      ? tf.io.http(source)
      : tf.io.fromMemory({ ...source, weightData: base64ToBytes(source.weightData).buffer } as ModelArtifacts);
  const load = () =>
    loadLayersModelFreeingOnFailure(tf, handler).catch((err: unknown) => {
      throw explainLoadError(err, o.where, o.scenarioName);
    });
  const choice = o.customObjects ?? { mode: 'scenario' };
  const m = scenario && choice.mode !== 'scenario' ? await withCustomObjects(tf, scenario, choice, load) : await load();
  if (isStateful(m)) m.resetStates();
  return addModel(m);
}

export const perturbLargestWeight = (id: number, relative: number): Promise<string> =>
  marked(() => tfPerturb(pageTf(), model(id), relative));

export function layerOutputs(
  id: number,
  inputs: WireTensor[],
  batchSize?: number,
): Promise<{ names: string[]; classes: string[]; outputs: WireTensor[] }> {
  return marked(async () => {
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

export const heldTensors = (id: number): number => modelHeldTensors(model(id));
