// Scaffolded by `tfjs-repro new --template conv`: a small image classifier with per-channel scaling,
// batch normalization and dropout, so inference must use the saved moving statistics.
import { defineScenario, gaussian, standardScaler } from '../../index.ts';

const SIZE = 8;

/** An 8×8 RGB pattern of class `label` (horizontal stripes, vertical stripes, a square) on noise. */
function image(rng: () => number, label: number): number[][][] {
  return Array.from({ length: SIZE }, (_, r) =>
    Array.from({ length: SIZE }, (_, c) => {
      const on = label === 0 ? r % 2 === 0 : label === 1 ? c % 2 === 0 : r >= 2 && r < 6 && c >= 2 && c < 6;
      return [on ? 200 : 50, on ? 0.8 : 0.2, on ? -30 : 30].map((v, ch) => v + gaussian(rng) * [20, 0.05, 5][ch]!);
    }),
  );
}

export default defineScenario({
  name: 'conv-template',
  description: 'Image classifier: per-channel standardization, conv2d, batch normalization and dropout.',
  seed: 5,
  data({ rng }) {
    const labels = Array.from({ length: 120 }, () => Math.floor(rng() * 3));
    const onehot = (l: number) => [0, 1, 2].map((k) => (k === l ? 1 : 0));
    return {
      train: { x: labels.map((l) => image(rng, l)), y: labels.map(onehot) },
      probes: [0, 1, 2, 0, 1, 2, 2, 1].map((l) => image(rng, l)),
    };
  },
  preprocessing: [standardScaler()],
  labels: true,
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape, filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.batchNormalization({}),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten({}),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    }),
  train: { epochs: 6, batchSize: 20, loss: 'categoricalCrossentropy', learningRate: 0.01 },
});
