// Failure mode: tfjs saves only weights; a stateful LSTM that is not reset after load carries
// the state of earlier calls into the next prediction.
import { defineScenario, gaussian, standardScaler } from '../harness/index.ts';

const BATCH = 4;
const STEPS = 6;

function sequence(rng: () => number): number[][] {
  const phase = rng() * Math.PI * 2;
  return Array.from({ length: STEPS }, (_, t) => [Math.sin(phase + t / 2) * 10 + 50, gaussian(rng) * 0.5]);
}

export default defineScenario({
  name: 'stateful-lstm',
  description: 'Stateful LSTM over short sensor sequences; its state must be reset after load and before each prediction.',
  seed: 99,
  data({ rng }) {
    const x = Array.from({ length: 64 }, () => sequence(rng));
    const y = x.map((s) => [Math.sin(Math.asin((s[STEPS - 1]![0]! - 50) / 10) + 0.5)]);
    return { train: { x, y }, probes: Array.from({ length: 2 * BATCH }, () => sequence(rng)) };
  },
  preprocessing: [standardScaler()],
  predictBatchSize: BATCH,
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [tf.layers.lstm({ units: 8, stateful: true, batchInputShape: [BATCH, ...inputShape] }), tf.layers.dense({ units: 1 })],
    }),
  // Measured with `matrix --tfjs 3.21.0`: tfjs 3.x initializes recurrent kernels (orthogonal) differently
  // from 4.x under the same seed, so retraining differs; saved models replay bit-identically.
  knownDrift: [
    { tfjs: '<4.0.0', check: 'retrain', maxAbsError: 0.2, reason: 'the orthogonal initializer of recurrent kernels differs in tfjs 3.x' },
  ],
  train: { epochs: 5, batchSize: BATCH, loss: 'meanSquaredError', shuffle: false, learningRate: 0.01 },
});
