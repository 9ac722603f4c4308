// Failure mode: the fitted scaler is not persisted, so raw sensor readings reach the model.
import { defineScenario, gaussian, standardScaler } from '../harness/index.ts';

function reading(rng: () => number): number[] {
  // Temperature (°C), pressure (hPa), humidity (%), vibration (g): very different scales.
  return [20 + 5 * gaussian(rng), 1013 + 10 * gaussian(rng), 100 * rng(), 0.02 * Math.abs(gaussian(rng))];
}
function target([t, p, h, v]: number[]): number {
  return (0.3 * (t! - 20)) / 5 - (0.5 * (p! - 1013)) / 10 + 0.01 * h! + 40 * v! + 0.2 * Math.sin(t!);
}

export default defineScenario({
  name: 'scaler-regression',
  description: 'Dense regression on standardized sensor features; the fitted scaler must travel with the model.',
  seed: 1234,
  data({ rng }) {
    const x = Array.from({ length: 256 }, () => reading(rng));
    return { train: { x, y: x.map((r) => [target(r)]) }, probes: Array.from({ length: 16 }, () => reading(rng)) };
  },
  preprocessing: [standardScaler()],
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape, units: 16, activation: 'relu' }),
        tf.layers.dense({ units: 8, activation: 'tanh' }),
        tf.layers.dense({ units: 1 }),
      ],
    }),
  train: { epochs: 20, batchSize: 32, loss: 'meanSquaredError', learningRate: 0.01 },
});
