// Scaffolded by `tfjs-repro new --template multi-io`: a functional model with two named inputs, each with its own
// preprocessing, and two heads. Inputs are matched by name, outputs by position (output0, output1).
import { defineScenario, gaussian, standardScaler, vocabulary } from '../../index.ts';
import type { SymbolicTensor } from '../../index.ts';

const SITES = ['north', 'south', 'harbour', 'airport'];

function example(rng: () => number) {
  const site = SITES[Math.floor(rng() * SITES.length)]!;
  const sensors = [20 + 6 * gaussian(rng), 1013 + 8 * gaussian(rng), 40 + 25 * rng()];
  const siteLoad = SITES.indexOf(site) * 3;
  const consumption = 0.4 * sensors[0]! + 0.05 * (sensors[1]! - 1013) + 0.1 * sensors[2]! + siteLoad;
  const alarm = consumption > 20 ? 2 : consumption > 14 ? 1 : 0;
  return { x: { sensors, site }, y: { consumption: [consumption], alarm: [0, 1, 2].map((k) => (k === alarm ? 1 : 0)) } };
}

export default defineScenario({
  name: 'multi-io-template',
  description:
    'Functional model: sensor features (standardized) and a site name (vocabulary) in; consumption (regression) and alarm level (softmax) out.',
  seed: 404,
  data({ rng }) {
    const train = Array.from({ length: 240 }, () => example(rng));
    const probes = [
      ...Array.from({ length: 8 }, () => example(rng).x),
      { sensors: [35, 990, 90], site: 'harbour' },
      { sensors: [5, 1030, 10], site: 'unknown-site' },
    ];
    return { train: { x: train.map((e) => e.x), y: train.map((e) => e.y) }, probes };
  },
  // The extreme probe's humidity (90) lies well past the training range on purpose.
  extrapolates: { sensors: [2] },
  preprocessing: { sensors: [standardScaler()], site: [vocabulary({ maxLength: 1, maxTokens: SITES.length })] },
  model: ({ tf, inputShapes }) => {
    const sensors = tf.input({ shape: inputShapes.sensors!, name: 'sensors' });
    const site = tf.input({ shape: inputShapes.site!, name: 'site' });
    const siteVector = tf.layers
      .flatten()
      .apply(tf.layers.embedding({ inputDim: SITES.length + 2, outputDim: 3 }).apply(site)) as SymbolicTensor;
    const hidden = tf.layers.dense({ units: 12, activation: 'relu' }).apply(sensors) as SymbolicTensor;
    const merged = tf.layers.concatenate().apply([hidden, siteVector]) as SymbolicTensor;
    const consumption = tf.layers.dense({ units: 1, name: 'consumption' }).apply(merged) as SymbolicTensor;
    const alarm = tf.layers.dense({ units: 3, activation: 'softmax', name: 'alarm' }).apply(merged) as SymbolicTensor;
    return tf.model({ inputs: [sensors, site], outputs: [consumption, alarm] });
  },
  train: { epochs: 25, batchSize: 24, loss: { consumption: 'meanSquaredError', alarm: 'categoricalCrossentropy' }, learningRate: 0.02 },
});
