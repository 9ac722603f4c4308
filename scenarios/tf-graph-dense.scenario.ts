// A small classifier exported by TensorFlow as a SavedModel and converted to a tfjs graph model
// (tf_saved_model → tfjs_graph_model): the route for models that are not Keras layers models.
// Made by scripts/keras/make_models.py. Failure mode: a graph model's converted constants (tfjs issue
// 6827) or its numbers drifting from TensorFlow's (tfjs issue 8025); the `reference` check guards both.
import { defineScenario } from '../harness/index.ts';

/** Raw probe rows, as models/tf-graph-dense/probes.json. */
const probes: number[][] = [
  [0.7530337468777475, -0.5859754192383997, 0.5758842206902062, -0.9853503621530356],
  [0.201158466824725, -1.1025101987759283, 0.7020986703547643, 0.09796404404506275],
  [0.875355475792499, 0.509164140203883, 0.43883279292959715, -0.3297718205284439],
  [0.15752642615436066, -1.5212726571007669, 0.2852615739421022, 1.034441634863889],
  [1.067401171912297, 0.4457652162612175, -0.21915910435888608, 1.0089907415592498],
  [-0.7921285187753295, 0.5615883433942556, -1.0279991359902574, -0.8045190666147527],
  [0.7930659344380008, 0.3444320349203576, 0.25538797001934876, -0.6382134136816248],
  [0.8158426372740143, 1.4032136287239159, -0.45162492919885733, -0.21161271787997402],
  [2.5094207091969403, -0.6734675600764537, -0.6263007928605173, 0.718795862993354],
  [-1.283634335916852, 0.31642370554433147, -1.31390400705759, 0.5132283211038213],
  [-1.000033838906291, -1.1635886170623593, -0.3870917736414529, 0.7494136590343221],
  [0.4171520107513409, 0.15367805715841767, -1.0310980627514794, -1.3941113812353898],
];

export default defineScenario({
  source: 'saved',
  name: 'tf-graph-dense',
  description: 'TensorFlow SavedModel (Dense(8, relu) then Dense(3, softmax)) converted to a tfjs graph model.',
  seed: 1,
  modelPath: 'models/tf-graph-dense',
  // No training rows came with the model: the probes stand for the input domain.
  data: () => ({ train: { x: probes, y: [] }, probes }),
});
