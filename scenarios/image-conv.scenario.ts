// Failure mode: per-channel normalization of images that is not persisted, plus layers whose
// training and inference behave differently (batch normalization, dropout): inference must be
// deterministic and use the moving statistics saved with the weights.
import { defineScenario, gaussian, standardScaler } from '../harness/index.ts';

const SIZE = 8;
type Image = number[][][];

/** Three classes of 8×8 RGB patterns (horizontal stripes, vertical stripes, a bright square) on noise. */
function image(rng: () => number, label: number): Image {
  return Array.from({ length: SIZE }, (_, r) =>
    Array.from({ length: SIZE }, (_, c) => {
      const on = label === 0 ? r % 2 === 0 : label === 1 ? c % 2 === 0 : r >= 2 && r < 6 && c >= 2 && c < 6;
      // Channels on very different scales, as raw sensor or camera data often are.
      return [on ? 200 : 50, on ? 0.8 : 0.2, on ? -30 : 30].map((v, ch) => v + gaussian(rng) * [20, 0.05, 5][ch]!);
    }),
  );
}

export default defineScenario({
  name: 'image-conv',
  description:
    'Image-like classifier: per-channel standardization, conv2d, batch normalization and dropout; inference must be deterministic.',
  seed: 5,
  data({ rng }) {
    const labels = Array.from({ length: 120 }, () => Math.floor(rng() * 3));
    const onehot = (l: number) => [0, 1, 2].map((k) => (k === l ? 1 : 0));
    const probeLabels = [0, 1, 2, 0, 1, 2, 2, 1];
    return {
      train: { x: labels.map((l) => image(rng, l)), y: labels.map(onehot) },
      probes: probeLabels.map((l) => image(rng, l)),
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
