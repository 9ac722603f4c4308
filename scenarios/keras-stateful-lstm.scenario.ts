// A stateful Keras LSTM (batch size 1), saved as .h5 and converted to a tfjs layers model. The harness
// resets the state once, then predicts the probes in order with batch size 1, carrying the state from
// row to row: the Keras reference is recorded the same way (protocol stateful-carry).
// Made by scripts/keras/make_models.py.
import { defineScenario } from '../harness/index.ts';

/** Probe sequences (6 rows × 5 steps × 2 features), as models/keras-stateful-lstm/probes.json. */
const probes: number[][][] = [
  [
    [0.42754914406940886, -0.42486852188811003],
    [-0.12835862076835272, 0.3478989252882086],
    [-0.40223048024236685, 0.463081565840867],
    [0.4633126639718171, 0.865382189758704],
    [0.1555329163346233, -1.483095793881485],
  ],
  [
    [-0.6538388710056385, 1.0034677199999766],
    [0.2715378130237281, 1.0229006131389584],
    [1.987810649760115, 0.9203197674419566],
    [-0.01072044341010714, 0.7176505269492793],
    [-0.8541195726172984, 1.6321613331402178],
  ],
  [
    [0.19924644271241393, -1.207644822465713],
    [0.9031824749421077, -0.004017127381405525],
    [1.170261203825448, -0.1476070592294707],
    [-0.09900316595998129, 0.5907319681401675],
    [1.6926463794117712, -1.171633331361794],
  ],
  [
    [-0.41897272588102824, -0.09236811490235818],
    [0.261657009882809, -1.5208323295915454],
    [-0.28064644835749974, 0.3362536322597961],
    [-0.33525235154522615, 0.437284384607463],
    [-0.8074006303018113, 0.7938949222521648],
  ],
  [
    [0.4176208279350788, -0.32118368196035035],
    [0.09302294667624814, 0.5732962727183819],
    [-1.5535992068775577, 0.23456546984822352],
    [-1.5743720388644862, 1.1582771378403611],
    [0.961975654555949, -1.0486959522141956],
  ],
  [
    [0.7545982893711918, 0.30414396466681526],
    [-0.07670704639026148, 0.19840969604510164],
    [-0.008645852241084103, -1.6368392492314752],
    [1.5173638458203218, -1.40275735681749],
    [-1.087421189456185, 1.2089183930173004],
  ],
];

export default defineScenario({
  source: 'saved',
  name: 'keras-stateful-lstm',
  description: 'Keras LSTM(32, stateful) then LSTM(1, stateful), batch size 1 (.h5): state carried across predictions unless reset.',
  seed: 1,
  modelPath: 'models/keras-stateful-lstm',
  data: () => ({ train: { x: probes, y: [] }, probes }),
  predictBatchSize: 1,
  // Software WebGPU (SwiftShader) needs about 5 minutes for this job, mostly property sensitivity (191 s measured).
  timeoutMs: 600_000,
});
