// Failure mode: a custom layer that is not registered at load time (load fails), or is
// registered with another implementation under the same name (load succeeds, numbers differ).
import { defineScenario, gaussian, minMaxScaler, perRuntime } from '../harness/index.ts';
import type { Tensor } from '../harness/index.ts';

/** relu(x) + 0.1, as a layer registered with tf.serialization under the class name "ReluPlus". */
const reluPlus = perRuntime((tf) => {
  class ReluPlus extends tf.layers.Layer {
    static className = 'ReluPlus';
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return tf.tidy(() => tf.add(tf.relu(x), 0.1));
    }
  }
  return ReluPlus;
});

export default defineScenario({
  name: 'custom-activation',
  description: 'Dense classifier whose hidden activation is a custom ReluPlus layer (relu(x) + 0.1) registered through tf.serialization.',
  seed: 7,
  data({ rng }) {
    const point = () => [3 * gaussian(rng), 3 * gaussian(rng), rng() * 10];
    const label = ([a, b, c]: number[]) => (a! * b! + c! > 5 ? 1 : 0);
    const x = Array.from({ length: 200 }, point);
    return { train: { x, y: x.map((r) => [label(r)]) }, probes: Array.from({ length: 12 }, point) };
  },
  preprocessing: [minMaxScaler()],
  customObjects: (tf) => [reluPlus(tf)],
  model: ({ tf, inputShape }) => {
    const ReluPlus = reluPlus(tf);
    return tf.sequential({
      layers: [tf.layers.dense({ inputShape, units: 12 }), new ReluPlus({}), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
  },
  train: { epochs: 15, batchSize: 20, loss: 'binaryCrossentropy', learningRate: 0.02 },
});
