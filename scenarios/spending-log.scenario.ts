// Failure mode: a preprocessing step written by the scenario itself (not a harness built-in) must
// travel with the model like any other: skewed money amounts go through a fitted log scale.
import { defineScenario, defineStep, gaussian, z } from '../harness/index.ts';

/** log(1 + v / scale), scale being each feature's training median: amounts of money span decades. */
const logScale = defineStep({
  kind: 'logScale',
  state: z.object({ scale: z.array(z.number().positive()) }),
  fit(rows) {
    const columns = (rows as number[][])[0]!.map((_, i) => (rows as number[][]).map((r) => r[i]!).sort((a, b) => a - b));
    return { scale: columns.map((c) => Math.max(c[c.length >> 1]!, 0) || 1) }; // amounts are positive; a zero median would divide by zero
  },
  transform: (rows, { scale }) => (rows as number[][]).map((r) => r.map((v, i) => Math.log1p(v / scale[i]!))),
  // A scale moved by a factor e^by: how a median fitted on other data would move.
  perturb: ({ scale }, by) => ({ scale: scale.map((s) => s * Math.exp(by)) }),
});

// Purchase amount, account balance and monthly income (currency units): log-normal, very different medians.
const customer = (rng: () => number, shift = 0) => [
  Math.exp(4 + shift + 1.2 * gaussian(rng)),
  Math.exp(7 + shift + gaussian(rng)),
  Math.exp(8 + 0.4 * gaussian(rng)),
];
// Share of income the purchase represents, damped by the balance: a risk score.
const risk = ([amount, balance, income]: number[]) => [Math.tanh(Math.log(amount! / income!) + 3) - 0.3 * Math.log1p(balance! / 1000)];

export default defineScenario({
  name: 'spending-log',
  description: 'Risk regression on skewed money amounts behind a log-scale step the scenario defines itself.',
  seed: 4242,
  data({ rng }) {
    const x = Array.from({ length: 256 }, () => customer(rng));
    // Probes from richer customers too, so statistics fitted on them differ from the training medians.
    const probes = [...Array.from({ length: 8 }, () => customer(rng)), ...Array.from({ length: 8 }, () => customer(rng, 1.5))];
    return { train: { x, y: x.map(risk) }, probes };
  },
  preprocessing: [logScale()],
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [tf.layers.dense({ inputShape, units: 16, activation: 'relu' }), tf.layers.dense({ units: 1 })],
    }),
  train: { epochs: 30, batchSize: 32, loss: 'meanSquaredError', learningRate: 0.01 },
});
