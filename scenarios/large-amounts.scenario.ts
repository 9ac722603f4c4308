// Failure mode: raw amounts of money (1e5 to 1e6) reach a half-float GPU. float16 stops at 65504, so
// on a phone whose WebGL has only half-float textures (webgl-f16) a dropped scaler turns every
// prediction into NaN instead of a merely wrong number. The fitted scaler must travel with the model.
import { defineScenario, gaussian, standardScaler } from '../harness/index.ts';

function applicant(rng: () => number): number[] {
  // Yearly income, loan amount and savings, in currency units; none below 1e5 or above 1e6.
  const clamp = (v: number) => Math.min(990_000, Math.max(100_000, v));
  const income = clamp(350_000 + 150_000 * gaussian(rng));
  const loan = clamp(100_000 + 700_000 * rng());
  const savings = clamp(income * (0.4 + 1.2 * rng()));
  return [income, loan, savings];
}
/** The chance of default grows with the loan against income and savings. */
function risk([income, loan, savings]: number[]): number {
  const z = (4 * loan!) / (income! + 0.5 * savings!) - 3;
  return 1 / (1 + Math.exp(-z));
}

export default defineScenario({
  name: 'large-amounts',
  description: 'Loan default risk from raw amounts of money (1e5 to 1e6) behind a standard scaler; float16 overflows without it.',
  seed: 65504,
  data({ rng }) {
    const x = Array.from({ length: 256 }, () => applicant(rng));
    const probes = Array.from({ length: 16 }, () => applicant(rng));
    return { train: { x, y: x.map((r) => [rng() < risk(r) ? 1 : 0]) }, probes };
  },
  preprocessing: [standardScaler()],
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape, units: 12, activation: 'relu' }),
        tf.layers.dense({ units: 6, activation: 'tanh' }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    }),
  train: { epochs: 25, batchSize: 32, loss: 'binaryCrossentropy', learningRate: 0.01 },
});
