// Scaffolded by `tfjs-repro new --template text`: short texts through a fitted vocabulary, an
// embedding and average pooling; the vocabulary must be persisted, not re-fitted.
import { defineScenario, vocabulary } from '../../index.ts';

const GOOD = ['great', 'excellent', 'love', 'fast', 'reliable', 'happy', 'superb', 'clean'];
const BAD = ['broken', 'slow', 'hate', 'awful', 'noisy', 'late', 'poor', 'dirty'];
const FILLER = ['the', 'service', 'was', 'product', 'and', 'very', 'it', 'is', 'delivery', 'support'];
const MAX_TOKENS = 40;

function sentence(rng: () => number, positive: boolean): string {
  const pick = (list: string[]) => list[Math.floor(rng() * list.length)]!;
  return Array.from({ length: 3 + Math.floor(rng() * 5) }, () => (rng() < 0.45 ? pick(positive ? GOOD : BAD) : pick(FILLER))).join(' ');
}

export default defineScenario({
  name: 'text-template',
  description: 'Sentiment of short texts: fitted vocabulary, embedding and average pooling.',
  seed: 2024,
  data({ rng }) {
    const labels = Array.from({ length: 240 }, () => rng() < 0.5);
    const probes = [...Array.from({ length: 10 }, (_, i) => sentence(rng, i % 2 === 0)), 'unseen words only here', 'great but broken'];
    return { train: { x: labels.map((p) => sentence(rng, p)), y: labels.map((p) => [p ? 1 : 0]) }, probes };
  },
  preprocessing: [vocabulary({ maxLength: 8, maxTokens: MAX_TOKENS })],
  model: ({ tf, inputShape }) =>
    tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: MAX_TOKENS + 2, outputDim: 8, inputLength: inputShape[0] }),
        tf.layers.globalAveragePooling1d({}),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    }),
  train: { epochs: 20, batchSize: 24, loss: 'binaryCrossentropy', learningRate: 0.02 },
});
