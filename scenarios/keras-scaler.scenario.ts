// A Keras model trained in Python with a scikit-learn StandardScaler beside it (joblib), saved as .h5
// and converted to a tfjs layers model: the seed's user's path. Made by scripts/keras/make_models.py.
// Failure mode: preprocessing skipped or refitted in JS (tfjs issue 784), two features of very different scales.
import { defineScenario, standardScaler } from '../harness/index.ts';

/** Raw probe rows (before scaling), as models/keras-scaler/probes.json. */
const probes: number[][] = [
  [0.17854143487973123, 1133.8287711576243],
  [0.37617733198507824, 2018.1903109243972],
  [0.49227529663301656, 2861.533167059991],
  [0.7724783461436097, 1739.3252039340532],
  [0.20820585692173316, 1140.4215269306096],
  [0.23040133631811716, 1318.38497627086],
  [0.5978756180758017, 2414.4927042696336],
  [0.5053462141311281, 2769.725068260477],
  [0.1908308512961056, 1708.6714489308224],
  [0.7297569400694665, 2956.1097936761903],
  [0.5435732530626844, 3542.5533682592595],
  [0.4217809315620855, 2381.663850766412],
];

export default defineScenario({
  source: 'saved',
  name: 'keras-scaler',
  description: 'Keras Dense(1) regression on two features of very different scales, StandardScaler fitted in scikit-learn (.h5 + joblib).',
  seed: 1,
  modelPath: 'models/keras-scaler',
  // No training rows came with the model: the probes stand for the input domain.
  data: () => ({ train: { x: probes, y: [] }, probes }),
  preprocessing: [standardScaler()],
});
