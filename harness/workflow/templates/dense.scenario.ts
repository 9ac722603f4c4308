// Scaffolded by `tfjs-repro new --template dense`: a dense regression behind a fitted scaler.
// Replace data() with rows like yours and model() with your architecture; keep it small and seeded.
import { defineScenario, gaussian, standardScaler } from '../../index.ts';

/** One raw row: features on very different scales, as real inputs often are. */
function row(rng: () => number): number[] {
  return [20 + 5 * gaussian(rng), 1000 + 10 * gaussian(rng), 100 * rng()];
}
const target = ([a, b, c]: number[]) => [(0.3 * (a! - 20)) / 5 - (0.5 * (b! - 1000)) / 10 + 0.01 * c! + 0.2 * Math.sin(a!)];

export default defineScenario({
  name: 'dense-template',
  description: 'Dense regression on standardized features; the fitted scaler must travel with the model.',
  seed: 1234,
  data({ rng }) {
    const x = Array.from({ length: 256 }, () => row(rng));
    return { train: { x, y: x.map(target) }, probes: Array.from({ length: 16 }, () => row(rng)) };
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
