// Scaffolded by `tfjs-repro new --template lstm`: an LSTM over short sequences of scaled readings.
// For a stateful LSTM, add `stateful: true` with a fixed `batchInputShape`, `predictBatchSize` and
// `train.shuffle: false` (see scenarios/stateful-lstm.scenario.ts): the harness then checks the reset.
import { defineScenario, gaussian, standardScaler } from '../../index.ts';

const STEPS = 6;

/** One raw sequence: STEPS rows of two readings (a slow wave around 50, and noise). */
function sequence(rng: () => number): number[][] {
  const phase = rng() * Math.PI * 2;
  return Array.from({ length: STEPS }, (_, t) => [Math.sin(phase + t / 2) * 10 + 50, gaussian(rng) * 0.5]);
}

export default defineScenario({
  name: 'lstm-template',
  description: 'LSTM over short sensor sequences; the fitted scaler must travel with the model.',
  seed: 99,
  data({ rng }) {
    const x = Array.from({ length: 64 }, () => sequence(rng));
    const y = x.map((s) => [Math.sin(Math.asin((s[STEPS - 1]![0]! - 50) / 10) + 0.5)]);
    return { train: { x, y }, probes: Array.from({ length: 8 }, () => sequence(rng)) };
  },
  preprocessing: [standardScaler()],
  model: ({ tf, inputShape }) => tf.sequential({ layers: [tf.layers.lstm({ units: 8, inputShape }), tf.layers.dense({ units: 1 })] }),
  train: { epochs: 5, batchSize: 4, loss: 'meanSquaredError', learningRate: 0.01 },
});
