// Builds and trains a scenario's model in the page, inside a seeded scope, in the same order as
// trainScenario (harness/checks/model-ops.ts) in Node, so that the same backend draws the same numbers.
// Data and preprocessing stay in Node: inputs and targets arrive as wire tensors.
import { disposeModel } from '../../../bundle/model-lifecycle.ts';
import { withSeed } from '../../../runtime/seeded-scope.ts';
import type { Tensor, Tf } from '../../../runtime/tf-types.ts';
import { fromWire, type WireTensor } from '../wire-tensor.ts';
import type { ModelInfo, TrainOptions } from './page-api.ts';
import { addModel } from './page-models.ts';
import { registerScenarioObjects } from './page-scenario.ts';
import { pageTf } from './page-tf.ts';

type Named = [string | undefined, WireTensor][];
const entries = (t: WireTensor[] | Record<string, WireTensor>): Named =>
  Array.isArray(t) ? t.map((w) => [undefined, w]) : Object.entries(t);

function tensor(tf: Tf, w: WireTensor, where: string): Tensor {
  const d = fromWire(w, where);
  return tf.tensor(d.values, d.shape, d.dtype);
}

type Tape = { state: { activeTape: { saved?: Tensor[] }[] | null; gradientDepth: number } };
/** A kernel missing during backprop leaves the gradient tape holding its saved tensors; free them. */
function releaseStrandedTape(tf: Tf): void {
  const state = (tf.engine() as unknown as Tape).state;
  for (const node of state.activeTape ?? []) tf.dispose(node.saved ?? []);
  state.activeTape = null;
  state.gradientDepth = 0;
}

export async function train(scenarioUrl: string, o: TrainOptions): Promise<ModelInfo> {
  const tf = pageTf();
  const scenario = (await registerScenarioObjects(scenarioUrl))!;
  const inputs = entries(o.inputs);
  if (inputs.length === 0) throw new Error(`${scenario.name}: train inputs must hold at least one tensor`);
  const named = !Array.isArray(o.inputs);
  const inputShapes = Object.fromEntries(inputs.map(([name, w]) => [name ?? 'input', w.shape.slice(1)]));
  return withSeed(o.seed, async () => {
    const model = scenario.model({ tf, inputShape: inputs[0]![1].shape.slice(1), inputShapes });
    const optimizer = tf.train[o.optimizer ?? 'adam'](o.learningRate ?? 0.01);
    model.compile({ optimizer, loss: o.loss });
    // Inputs in the model's own order, whatever order the rows named them in.
    const byName = new Map(inputs);
    const ordered = named ? model.inputNames.map((n) => byName.get(n) ?? inputs[0]![1]) : inputs.map(([, w]) => w);
    const xs = ordered.map((w, i) => tensor(tf, w, `${scenario.name}: train input ${i}`));
    const targets = entries(o.targets);
    const ys = Array.isArray(o.targets)
      ? targets.map(([, w], i) => tensor(tf, w, `${scenario.name}: train target ${i}`))
      : model.outputNames.map((n) => {
          const w = (o.targets as Record<string, WireTensor>)[n];
          if (!w)
            throw new Error(
              `${scenario.name}: data().train.y must have a target for output "${n}" (the model's outputs are ${model.outputNames.join(', ')})`,
            );
          return tensor(tf, w, `${scenario.name}: train target "${n}"`);
        });
    tf.engine().startScope();
    try {
      await model.fit(xs.length === 1 ? xs[0]! : xs, ys.length === 1 ? ys[0]! : ys, {
        epochs: o.epochs,
        batchSize: o.batchSize,
        shuffle: o.shuffle ?? true,
        verbose: 0,
      });
    } catch (err) {
      disposeModel(tf, model);
      releaseStrandedTape(tf);
      throw err;
    } finally {
      tf.engine().endScope();
      tf.dispose([...xs, ...ys]);
      optimizer.dispose();
    }
    return addModel(model);
  });
}
