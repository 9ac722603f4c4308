// A loaded model's life: registering custom classes, loading without leaking, RNN state, disposal.
// Nothing here touches files or preprocessing, so the browser page script can use it as it is.
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { IOHandler, LayersModel, Tensor, Tf } from '../runtime/tf-types.ts';

const MODEL_JSON = 'model.json';

/**
 * Registers a scenario's custom classes with this runtime's serialization registry. Done before every
 * build and load: two scenarios may use one class name, and each must get its own implementation.
 */
export function registerCustomObjects(tf: Tf, scenario: TrainedScenario): void {
  for (const cls of scenario.customObjects?.(tf) ?? []) {
    tf.serialization.registerClass(cls as unknown as Parameters<Tf['serialization']['registerClass']>[0]);
  }
}

export function isStateful(model: LayersModel): boolean {
  return model.layers.some((l) => (l as unknown as { stateful?: boolean }).stateful === true);
}

type RnnState = { stateful?: boolean; states_?: unknown; keptStates?: unknown[] };

/** The tensors a model holds on purpose: its weights, and a stateful RNN's state. */
export function heldTensors(model: LayersModel): number {
  let n = model.weights.length;
  for (const layer of model.layers as unknown as RnnState[]) {
    if (!layer.stateful) continue;
    n += [layer.states_].flat().filter(Boolean).length + (layer.keptStates ?? []).flat().length;
  }
  return n;
}
/** model.dispose() leaves a stateful RNN's state tensors behind (tfjs 4.22); free them too. */
export function disposeModel(tf: Tf, model: LayersModel): void {
  for (const layer of model.layers as unknown as RnnState[]) {
    if (!layer.stateful) continue;
    tf.dispose(layer.states_ as never);
    tf.dispose(layer.keptStates as never);
    layer.states_ = null;
    layer.keptStates = [];
  }
  model.dispose();
}

type Scope = { track: Tensor[] };
type Engine = {
  state: { registeredVariables: Record<string, { dispose(): void }>; activeScope: Scope | null; scopeStack: Scope[] };
  startScope(name: string): void;
  endScope(result?: unknown): void;
};

/**
 * Loads strictly, and when the load fails, frees what it made: the variables of the layers it built,
 * and the weight tensors tfjs decoded from the shards (tfjs disposes those only after a successful
 * loadWeights). Decoding and loadWeights run synchronously after handler.load() resolves, so a scope
 * opened at that moment holds exactly the decoded tensors.
 */
export function loadLayersModelFreeingOnFailure(tf: Tf, source: IOHandler): Promise<LayersModel> {
  return loadFreeingOnFailure(tf, source, (handler) => tf.loadLayersModel(handler, { strict: true }));
}

/** The same for any model kind: `load` gets a handler whose artifacts it must decode synchronously. */
export async function loadFreeingOnFailure<M>(tf: Tf, source: IOHandler, load: (handler: IOHandler) => Promise<M>): Promise<M> {
  const engine = tf.engine() as unknown as Engine;
  const vars = engine.state.registeredVariables;
  const before = new Set(Object.keys(vars));
  let scope: Scope | undefined;
  const handler: IOHandler = {
    load: async () => {
      const artifacts = await source.load!();
      engine.startScope('tfjs-repro bundle load');
      scope = engine.state.activeScope!;
      return artifacts;
    },
  };
  const closeScope = (failed: boolean) => {
    if (!scope) return;
    if (failed) tf.dispose(scope.track);
    // Kept on success: a layer may hold a tensor that is not a variable.
    if (engine.state.activeScope === scope) engine.endScope(scope.track);
    else if (engine.state.scopeStack.includes(scope)) engine.state.scopeStack.splice(engine.state.scopeStack.indexOf(scope), 1);
  };
  try {
    const model = await load(handler);
    closeScope(false);
    return model;
  } catch (err) {
    closeScope(true);
    for (const [name, v] of Object.entries(vars)) if (!before.has(name)) v.dispose();
    throw err;
  }
}

export function explainLoadError(err: unknown, where: string, scenario: string): Error {
  const message = (err as Error).message ?? String(err);
  const unknown = /Unknown (layer|activation|regularizer|constraint|initializer|loss|metric)s?:? ?(\w+)/i.exec(message);
  if (unknown) {
    return new Error(
      `${where}: ${MODEL_JSON} uses the custom ${unknown[1]!.toLowerCase()} class "${unknown[2]}", which is not registered in this runtime. ` +
        `Register it before loading with tf.serialization.registerClass(${unknown[2]}); in scenario "${scenario}" list it in customObjects: (tf) => [${unknown[2]}].`,
    );
  }
  return new Error(
    `${where}: loading the model failed: ${message.split('\n')[0]!.slice(0, 300)}; ${MODEL_JSON} (modelTopology, weightsManifest) and its weights do not describe one model: re-create the bundle`,
  );
}
