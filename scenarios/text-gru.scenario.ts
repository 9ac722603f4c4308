// Failure mode: a text classifier whose tokenizer is re-built at serving time. Word order matters
// here (a GRU reads the sequence), so a vocabulary fitted on other text scrambles every input.
import { defineScenario, vocabulary } from '../harness/index.ts';

const SUBJECTS = ['the battery', 'the screen', 'the camera', 'the charger', 'the speaker', 'the case'];
const PRAISE = ['works well', 'is bright', 'lasts long', 'feels solid', 'sounds clear'];
const BLAME = ['stopped working', 'is dim', 'drains fast', 'feels cheap', 'sounds tinny'];
const NEGATION = 'not';
const MAX_TOKENS = 60;

function review(rng: () => number): { text: string; positive: boolean } {
  const pick = <T>(list: T[]) => list[Math.floor(rng() * list.length)]!;
  let positive = rng() < 0.5;
  const negated = rng() < 0.3;
  let text = `${pick(SUBJECTS)} ${positive ? pick(PRAISE) : pick(BLAME)}`;
  // "not" in front flips the meaning: only a model that reads the order can get it right.
  if (negated) {
    text = `${NEGATION} ${text}`;
    positive = !positive;
  }
  return { text, positive };
}

export default defineScenario({
  name: 'text-gru',
  description: 'Review classifier: fitted vocabulary, embedding, GRU over the token sequence; the tokenizer must travel with the model.',
  seed: 31,
  data({ rng }) {
    const train = Array.from({ length: 300 }, () => review(rng));
    const probes = [...Array.from({ length: 10 }, () => review(rng).text), 'not the case feels cheap', 'the gadget is unknown'];
    return { train: { x: train.map((r) => r.text), y: train.map((r) => [r.positive ? 1 : 0]) }, probes };
  },
  preprocessing: [vocabulary({ maxLength: 6, maxTokens: MAX_TOKENS })],
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: MAX_TOKENS + 2, outputDim: 8, inputLength: inputShape[0] }),
        tf.layers.gru({ units: 8 }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    }),
  // Measured with `matrix --tfjs 3.21.0`: tfjs 3.x initializes recurrent kernels (orthogonal) differently
  // from 4.x under the same seed, so retraining differs; saved models replay bit-identically.
  knownDrift: [
    { tfjs: '<4.0.0', check: 'retrain', maxAbsError: 0.3, reason: 'the orthogonal initializer of recurrent kernels differs in tfjs 3.x' },
  ],
  train: { epochs: 8, batchSize: 30, loss: 'binaryCrossentropy', learningRate: 0.02 },
});
