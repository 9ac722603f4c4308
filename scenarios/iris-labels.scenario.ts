// Failure mode: a classifier whose decisions (argmax labels) are what users act on. Labels are
// compared exactly as integers beside the probabilities, so a drift that flips a decision is named.
import { defineScenario, gaussian, standardScaler } from '../harness/index.ts';

const CENTERS = [
  [5.0, 3.4, 1.5, 0.2],
  [5.9, 2.8, 4.3, 1.3],
  [6.6, 3.0, 5.6, 2.0],
];

function flower(rng: () => number, label: number): number[] {
  return CENTERS[label]!.map((c) => c + gaussian(rng) * 0.35);
}

export default defineScenario({
  name: 'iris-labels',
  description: 'Three-class flower classifier (iris-like measurements); predicted labels are compared exactly as integers.',
  seed: 150,
  data({ rng }) {
    const labels = Array.from({ length: 150 }, (_, i) => i % 3);
    const onehot = (l: number) => [0, 1, 2].map((k) => (k === l ? 1 : 0));
    // Probes include points between classes, where a small drift could flip the decision.
    const probes = [...[0, 1, 2, 1, 2, 0].map((l) => flower(rng, l)), [6.2, 2.9, 4.9, 1.6], [5.5, 3.1, 3.0, 0.8]];
    return { train: { x: labels.map((l) => flower(rng, l)), y: labels.map(onehot) }, probes };
  },
  preprocessing: [standardScaler()],
  labels: true,
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [tf.layers.dense({ inputShape, units: 10, activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'softmax' })],
    }),
  train: { epochs: 30, batchSize: 15, loss: 'categoricalCrossentropy', learningRate: 0.02 },
});
