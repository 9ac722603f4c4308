// Failure mode: min-max scaling fitted on a narrow training range, then fed values outside it.
// The scaler must not clip, and the model's extrapolation must be reproduced exactly.
import { defineScenario, minMaxScaler } from '../harness/index.ts';

export default defineScenario({
  name: 'minmax-out-of-range',
  description: 'Regression behind a min-max scaler whose probes include values below and above the training range.',
  seed: 77,
  data({ rng }) {
    // Load (kW) and outside temperature (°C) → consumption; training covers a mild season only.
    const row = () => [10 + rng() * 40, 5 + rng() * 15];
    const y = ([load, temp]: number[]) => [0.8 * load! + 0.05 * (20 - temp!) ** 2];
    const x = Array.from({ length: 200 }, row);
    const probes = [row(), row(), [5, 5], [60, 20], [0, -10], [100, 35], [30, 40], [-5, 12]];
    return { train: { x, y: x.map(y) }, probes };
  },
  // The probes leave the training range on purpose: the input contract's range is not enforced.
  extrapolates: true,
  preprocessing: [minMaxScaler()],
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [tf.layers.dense({ inputShape, units: 12, activation: 'relu' }), tf.layers.dense({ units: 1 })],
    }),
  train: { epochs: 40, batchSize: 20, loss: 'meanSquaredError', learningRate: 0.02 },
});
