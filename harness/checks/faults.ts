// Fault injection: each known failure mode is applied to the golden bundle, and the comparison with
// the golden outputs must fail even under the loosest tolerance the checks use (`retrain`).
// A fault that goes unnoticed means the probes cannot catch it; the outcome says how to fix them.
import type { LoadedBundle } from '../bundle/load-bundle.ts';
import { isStateful } from '../bundle/load-bundle.ts';
import { compareTensors } from '../compare/compare-tensors.ts';
import { resolveTolerance } from '../compare/tolerance.ts';
import { fitPipeline, hasSteps } from '../preprocessing/pipeline.ts';
import { isNamed, type Example, type Value } from '../types/example.ts';
import type { BackendName } from '../runtime/backends.ts';
import { activateBackend } from '../runtime/load-runtime.ts';
import type { Tensor, Tf } from '../runtime/tf-types.ts';
import { NotApplicable, perturbLargestWeight, predict, type Predictions } from './model-ops.ts';
import type { ScenarioContext } from './scenario-context.ts';

export const faultNames = [
  'preprocessing-dropped', 'preprocessing-refit', 'custom-object-missing', 'custom-object-changed',
  'state-not-reset', 'weights-perturbed', 'features-permuted',
] as const;
export type FaultName = (typeof faultNames)[number];
/** The stated size of `weights-perturbed`: one weight moved by this relative amount. */
export const WEIGHT_PERTURBATION = 0.01;

const INPUT_ERRORS = /must be a number after preprocessing|must be an array of length|Error when checking|is not in \[\d+, \d+\]/;

export type FaultResult = { detected: true; how: string } | { detected: false; advice: string };
class Undetected extends Error {}

interface FaultEnv { ctx: ScenarioContext; backend: BackendName; tf: Tf; probes: Example[]; expected: Predictions }


/** Detected when some output moves past the loosest tolerance; otherwise throws Undetected with the advice. */
function mustDiffer(env: FaultEnv, actual: Predictions, advice: string): FaultResult {
  for (const [key, e] of Object.entries(env.expected)) {
    const tol = resolveTolerance('retrain', env.ctx.scenario.definition.tolerance, env.backend, key);
    const c = compareTensors(actual[key]!, e, tol);
    if (!c.ok) return { detected: true, how: c.reason === 'values' ? `${key}: ${c.stats.mismatches} of ${c.stats.total} values moved past atol=${tol.atol} rtol=${tol.rtol} (max abs error ${c.stats.maxAbsError.toExponential(2)})` : `${key}: ${c.message}` };
  }
  throw new Undetected(advice);
}

async function withGolden(env: FaultEnv, fn: (loaded: LoadedBundle) => Predictions | Promise<Predictions>, advice: string, scenario = env.ctx.scenario.definition): Promise<FaultResult> {
  return env.ctx.withGolden(async (loaded) => {
    let faulty: Predictions;
    try {
      faulty = await fn(loaded);
    } catch (err) {
      const message = (err as Error).message ?? '';
      // Prediction that fails on bad input (raw text reaching the model, ids past the embedding, a
      // wrong shape) is as visible as a fault can be; any other error is a harness problem, not a detection.
      if (err instanceof NotApplicable || !INPUT_ERRORS.test(message)) throw err;
      return { detected: true, how: `prediction fails: ${message.split('\n')[0]}` };
    }
    return mustDiffer(env, faulty, advice);
  }, scenario);
}

type Registry = Record<string, [unknown, unknown]>;
const registry = (tf: Tf): Registry => (tf.serialization.SerializationMap as unknown as { getMap(): { classNameMap: Registry } }).getMap().classNameMap;

/** tfjs cannot unregister a class (tfjs issue 7091), so the fault edits its registry and always restores it. */
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

const customClasses = (env: FaultEnv) => {
  const classes = env.ctx.scenario.definition.customObjects?.(env.tf) ?? [];
  if (!classes.length) throw new NotApplicable('the scenario registers no custom objects');
  return classes;
};

const faults: Record<FaultName, (env: FaultEnv) => Promise<FaultResult>> = {
  async 'preprocessing-dropped'(env) {
    const def = env.ctx.scenario.definition;
    if (!hasSteps(def.preprocessing)) throw new NotApplicable('the scenario has no preprocessing');
    return withGolden(env, (l) => predict(env.tf, l.model, { steps: [] }, env.probes, def), 'add probes whose raw values are far from their preprocessed values (e.g. features with large means or scales)');
  },
  async 'preprocessing-refit'(env) {
    const def = env.ctx.scenario.definition;
    if (!hasSteps(def.preprocessing)) throw new NotApplicable('the scenario has no preprocessing');
    const refit = fitPipeline(def.preprocessing, env.probes);
    return withGolden(env, (l) => predict(env.tf, l.model, refit, env.probes, def),
      'make the probes differ in distribution from the training data (fewer rows, shifted ranges, rare tokens), so statistics fitted on them differ');
  },
  async 'custom-object-missing'(env) {
    const def = env.ctx.scenario.definition;
    const found: string[] = [];
    for (const cls of customClasses(env)) {
      const message = await withRegistryEntry(env.tf, cls.className, undefined, async () => {
        try {
          await env.ctx.withGolden(() => undefined, { ...def, customObjects: undefined });
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      });
      if (message === undefined) throw new Undetected(`the bundle loaded without ${cls.className} registered; check that the model really uses it`);
      if (!message.includes(cls.className) || !message.includes('registerClass')) {
        throw new Undetected(`loading failed, but the error does not name ${cls.className} and how to register it: ${message}`);
      }
      found.push(cls.className);
    }
    return { detected: true, how: `load fails naming ${found.join(', ')} and how to register it` };
  },
  async 'custom-object-changed'(env) {
    const { tf } = env;
    const layers = customClasses(env).filter((cls) => cls.prototype instanceof tf.layers.Layer);
    if (!layers.length) throw new NotApplicable('no custom class is a layer; only custom layers can be swapped');
    const found: string[] = [];
    for (const cls of layers) {
      const Original = cls as unknown as typeof tf.layers.Layer;
      // Another implementation under the same name: the same layer, its output scaled by 1.1.
      class Changed extends Original {
        static className = cls.className;
        override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
          return tf.tidy(() => {
            const out = super.call(inputs, kwargs);
            return Array.isArray(out) ? out.map((t) => tf.mul(t, 1.1)) : tf.mul(out, 1.1);
          });
        }
      }
      // Loaded without the scenario's customObjects, which would register the original class again.
      const stub = { ...env.ctx.scenario.definition, customObjects: undefined };
      const r = await withRegistryEntry(tf, cls.className, [Changed, (Changed as unknown as { fromConfig: unknown }).fromConfig], () =>
        withGolden(env, (l) => predict(tf, l.model, l.preprocessing, env.probes, stub),
          `add probes that make ${cls.className}'s output matter (inputs where the custom layer is active)`, stub));
      found.push(`${cls.className}: ${(r as { how: string }).how}`);
    }
    return { detected: true, how: found.join('; ') };
  },
  async 'state-not-reset'(env) {
    const def = env.ctx.scenario.definition;
    return withGolden(env, (l) => {
      if (!isStateful(l.model)) throw new NotApplicable('the model has no stateful layer');
      predict(env.tf, l.model, l.preprocessing, env.probes, def);
      return predict(env.tf, l.model, l.preprocessing, env.probes, def, { resetState: false });
    }, 'use probe sequences whose final state differs strongly from the zero state (longer or larger-valued sequences)');
  },
  async 'weights-perturbed'(env) {
    const def = env.ctx.scenario.definition;
    return withGolden(env, (l) => {
      perturbLargestWeight(env.tf, l.model, WEIGHT_PERTURBATION);
      return predict(env.tf, l.model, l.preprocessing, env.probes, def);
    }, `add probes that activate the last layer's largest weight; a ${WEIGHT_PERTURBATION * 100}% move of it must show in the outputs`);
  },
  async 'features-permuted'(env) {
    const def = env.ctx.scenario.definition;
    // Applicability follows the shape: a numeric input whose feature axis has at least two entries.
    const permutable = (v: Value): boolean => Array.isArray(v) && (Array.isArray(v[0]) ? permutable(v[0]) : v.length >= 2 && v.every((x) => typeof x === 'number'));
    const rotate = (v: Value): Value => {
      const list = v as Value[];
      return Array.isArray(list[0]) ? list.map(rotate) : [...list.slice(1), list[0]!];
    };
    const first = env.probes[0];
    if (first === undefined) throw new NotApplicable('the scenario has no probes');
    const named = isNamed(first) ? Object.keys(first).filter((k) => permutable(first[k]!)) : [];
    if (isNamed(first) ? !named.length : !permutable(first)) throw new NotApplicable('no input is a numeric vector with two or more features');
    const permuted = env.probes.map((e) => (isNamed(e) ? { ...e, ...Object.fromEntries(named.map((k) => [k, rotate(e[k]!)])) } : rotate(e)));
    return withGolden(env, (l) => predict(env.tf, l.model, l.preprocessing, permuted, def),
      'add probes whose features differ from each other in value and scale, so that a column order mistake shows');
  },
};

/** Injects one fault on a backend; NotApplicable propagates, an unnoticed fault returns its advice. */
export async function injectFault(ctx: ScenarioContext, backend: BackendName, fault: FaultName): Promise<FaultResult> {
  const probes = (await ctx.probes()).inputs;
  const expected = (await ctx.expected(backend)).outputs;
  await activateBackend(ctx.runtime, backend);
  try {
    return await faults[fault]({ ctx, backend, tf: ctx.runtime.tf, probes, expected });
  } catch (err) {
    if (err instanceof Undetected) return { detected: false, advice: err.message };
    throw err;
  }
}
