// A Keras model with a custom activation layer, saved as .h5 and converted to a tfjs layers model;
// the JS side must register its own CustomActivation (a wrong one, e.g. plain relu, loads silently).
// Made by scripts/keras/make_models.py; the Python class is models/keras-custom-activation/custom_objects.py.
import { defineScenario, perRuntime } from '../harness/index.ts';
import type { Tensor } from '../harness/index.ts';

/**
 * relu(x) + 0.1: the JS implementation of the Python class CustomActivation (a Keras Layer used as
 * Dense's activation). tfjs 4.22.0 loads the converted model, but its own save writes the activation as
 * the string "custom_activation", which it reloads as "customActivation" ("Unknown activation"): the
 * same class is registered under that name too, so a tfjs re-save (roundtrip) reloads.
 */
const customActivation = perRuntime((tf) => {
  class CustomActivation extends tf.layers.Layer {
    static className = 'CustomActivation';
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return tf.tidy(() => tf.add(tf.relu(x), 0.1));
    }
  }
  class AsResaved extends CustomActivation {
    static override className = 'customActivation';
  }
  tf.serialization.registerClass(AsResaved);
  return CustomActivation;
});

/** Probe rows, as models/keras-custom-activation/probes.json. */
const probes: number[][] = [
  [-2.010487303655351, 1.575358321541723, -1.0363107969533798],
  [0.2385932399283675, -1.0069747112317882, -0.34018592063950026],
  [-1.2271234443658798, -1.9440740973864397, -0.4428787379631952],
  [0.5131185944376172, -0.24538325553162293, 1.7756985653126063],
  [0.23604971621555407, 0.500509776955368, 1.124485524751126],
  [0.7977933736530025, -0.6449426624284985, -0.0002421018173094575],
  [-0.9591656685383478, 0.5122381595507006, -0.577482619264183],
  [-0.8017833695575073, 0.7512817481403186, -0.7476114412300283],
  [0.9228075495362918, -0.4431766364117866, 0.8439430085284384],
  [0.11130192009580604, -1.5660520406808507, -1.0114953023088127],
  [0.44467644243165827, -0.18711214965011977, 0.9933950022395238],
  [2.0319858087244436, 0.025518394938108695, -1.7068106489226087],
];

export default defineScenario({
  source: 'saved',
  name: 'keras-custom-activation',
  description: 'Keras Dense(10, activation=CustomActivation()) then Dense(1), where CustomActivation is relu(x) + 0.1 (.h5).',
  seed: 1,
  modelPath: 'models/keras-custom-activation',
  data: () => ({ train: { x: probes, y: [] }, probes }),
  customObjects: (tf) => [customActivation(tf)],
});
