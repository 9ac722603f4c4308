// What `import` reads from a graph model's signature (model.json as the converter writes it): the
// order tfjs gives its outputs, and the shape of its first input for seeded probes.
import type { BridgePrediction } from './reference-from-bridge.ts';

interface SignatureEntry {
  tensorShape?: { dim?: { size?: string | number }[] };
}
type Signature = { signature?: { inputs?: Record<string, SignatureEntry>; outputs?: Record<string, SignatureEntry> } };

/**
 * A graph model's reference outputs keyed as tfjs predicts them: output0.. in the order of model.json's
 * signature outputs (TensorFlow names them after the signature's keys). A layers model passes through.
 */
export function keyedAsTfjs(prediction: BridgePrediction, modelJson: unknown, where: string): BridgePrediction {
  const keys = Object.keys((modelJson as Signature).signature?.outputs ?? {});
  if (!keys.length) return prediction;
  const outputs = prediction.outputs.map((t) => {
    const i = keys.indexOf(t.name);
    if (i < 0)
      throw new Error(
        `${where}: the reference output "${t.name}" must be one of the graph model's signature outputs (${keys.join(', ')}); the SavedModel's serving_default signature and the converted model disagree, re-export the SavedModel`,
      );
    return { ...t, name: `output${i}` };
  });
  return { ...prediction, outputs };
}

/**
 * The model.json seeded probes are drawn for: a graph model's first signature input, restated as the
 * batch_input_shape a layers topology carries (-1, an unknown batch, is dropped there); others as they are.
 */
export function probeShapeOf(modelJson: unknown): unknown {
  const first = Object.values((modelJson as Signature).signature?.inputs ?? {})[0];
  const dims = first?.tensorShape?.dim;
  if (!dims) return modelJson;
  return { modelTopology: { batch_input_shape: dims.map((d) => Number(d.size ?? -1)) } };
}
