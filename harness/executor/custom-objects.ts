// Custom-object faults need what tfjs does not offer: unregistering a class (tfjs issue 7091) and
// loading with other customObjects (ignored by loadLayersModel, tfjs issue 8179). So the registry is
// edited directly for the duration of a load, and always restored.
import type { Tensor, Tf } from '../runtime/tf-types.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { BuiltinActivation, CustomClassInfo, CustomObjectsChoice } from './executor.ts';

type Registry = Record<string, [unknown, unknown]>;
const registry = (tf: Tf): Registry =>
  (tf.serialization.SerializationMap as unknown as { getMap(): { classNameMap: Registry } }).getMap().classNameMap;

async function withRegistryEntry<T>(tf: Tf, className: string, entry: [unknown, unknown] | undefined, fn: () => Promise<T>): Promise<T> {
  const map = registry(tf);
  const saved = map[className];
  if (entry) map[className] = entry;
  else delete map[className];
  try {
    return await fn();
  } finally {
    if (saved) map[className] = saved;
    else delete map[className];
  }
}

export function customClassInfo(tf: Tf, scenario: TrainedScenario): CustomClassInfo[] {
  return (scenario.customObjects?.(tf) ?? []).map((cls) => ({
    className: cls.className,
    isLayer: (cls as { prototype: unknown }).prototype instanceof tf.layers.Layer,
  }));
}

/** The same layer with its output scaled: another implementation under the same class name. */
function changedClass(tf: Tf, scenario: TrainedScenario, className: string, scale: number): [unknown, unknown] {
  const cls = scenario.customObjects?.(tf).find((c) => c.className === className);
  if (!cls) throw new Error(`${scenario.name}: customObjects has no class ${className}`);
  const Original = cls as unknown as typeof tf.layers.Layer;
  class Changed extends Original {
    static className = className;
    override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
      return tf.tidy(() => {
        const out = super.call(inputs, kwargs);
        return Array.isArray(out) ? out.map((t) => tf.mul(t, scale)) : tf.mul(out, scale);
      });
    }
  }
  return [Changed, (Changed as unknown as { fromConfig: unknown }).fromConfig];
}

/** A layer under the custom class name that only applies a built-in activation (linear: the Layer base). */
function builtinClass(tf: Tf, className: string, activation: BuiltinActivation): [unknown, unknown] {
  class Plain extends tf.layers.Layer {
    static className = className;
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return tf.tidy(() => (activation === 'linear' ? tf.clone(x) : tf[activation](x)));
    }
  }
  return [Plain, (Plain as unknown as { fromConfig: unknown }).fromConfig];
}

/**
 * Runs a load with the chosen custom objects. For a fault, the scenario's own classes are not
 * registered again (that would undo the edit), and the edited entry is restored afterwards.
 */
export async function withCustomObjects<T>(
  tf: Tf,
  scenario: TrainedScenario,
  choice: CustomObjectsChoice,
  load: (s: TrainedScenario) => Promise<T>,
): Promise<T> {
  if (choice.mode === 'scenario') return load(scenario);
  const stub = { ...scenario, customObjects: undefined };
  const entry =
    choice.mode === 'missing'
      ? undefined
      : choice.mode === 'builtin'
        ? builtinClass(tf, choice.className, choice.activation)
        : changedClass(tf, scenario, choice.className, choice.scale);
  return withRegistryEntry(tf, choice.className, entry, () => load(stub));
}
