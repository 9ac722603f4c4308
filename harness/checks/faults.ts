// Fault injection: each known failure mode is applied to the golden bundle, and the comparison with
// the golden outputs must fail even under the loosest tolerance the checks use (`retrain`).
// A fault that goes unnoticed means the probes cannot catch it; the outcome says how to fix them.
import { isGraphBundle } from '../bundle/graph-bundle-dir.ts';
import { compareTensors } from '../compare/compare-tensors.ts';
import { nonFiniteNote } from './float16-range.ts';
import { resolveTolerance } from '../compare/tolerance.ts';
import type { Executor, LoadedModel } from '../executor/executor.ts';
import { fitPipeline, hasSteps } from '../preprocessing/pipeline.ts';
import { refitApplicable } from '../preprocessing/perturb-pipeline.ts';
import type { BackendName } from '../runtime/backends.ts';
import { inStep } from '../runtime/step.ts';
import { isNamed, type Example, type Value } from '../types/example.ts';
import { ContractViolation, enforceContract } from './input-contract.ts';
import { castToOtherDtype, rescaleToOtherRange } from './input-faults.ts';
import { modelInputs, NotApplicable, predict, predictInputs, type Predictions } from './model-ops.ts';
import { GoldenUnusable, recordCommand, type GoldenLoadOptions, type ScenarioContext } from './scenario-context.ts';

export const faultNames = [
  'preprocessing-dropped',
  'preprocessing-refit',
  'custom-object-missing',
  'custom-object-changed',
  'state-not-reset',
  'weights-perturbed',
  'features-permuted',
  'input-dtype',
  'input-range',
] as const;
export type FaultName = (typeof faultNames)[number];
/** The stated size of `weights-perturbed`: one weight moved by this relative amount. */
export const WEIGHT_PERTURBATION = 0.01;
/** `custom-object-changed` registers the same layer with its output scaled by this factor. */
const CHANGED_SCALE = 1.1;

const INPUT_ERRORS = /must be a number after preprocessing|must be an array of length|Error when checking|is not in \[\d+, \d+\]/;

export type FaultResult = { detected: true; how: string } | { detected: false; advice: string };
class Undetected extends Error {}

interface FaultEnv {
  ctx: ScenarioContext;
  backend: BackendName;
  exec: Executor;
  probes: Example[];
  expected: Predictions;
  /** Receives each set of faulty predictions (diagnose's self-test feeds them back as obtained outputs). */
  capture?: (faulty: Predictions) => void;
}

/** How the first output that moved past the loosest tolerance moved, if one did. */
function moved(env: FaultEnv, actual: Predictions): string | undefined {
  for (const [key, e] of Object.entries(env.expected)) {
    const tol = resolveTolerance('retrain', env.ctx.scenario.definition.tolerance, env.backend, key);
    const c = compareTensors(actual[key]!, e, tol);
    if (!c.ok)
      return c.reason === 'values'
        ? `${key}: ${c.stats.mismatches} of ${c.stats.total} values moved past atol=${tol.atol} rtol=${tol.rtol} (max abs error ${c.stats.maxAbsError.toExponential(2)})${nonFiniteNote({ [key]: actual[key]! })}`
        : `${key}: ${c.message}`;
  }
  return undefined;
}

/** Detected when some output moves past the loosest tolerance; otherwise throws Undetected with the advice. */
function mustDiffer(env: FaultEnv, actual: Predictions, advice: string): FaultResult {
  const how = moved(env, actual);
  if (how) return { detected: true, how };
  throw new Undetected(advice);
}

async function withGolden(
  env: FaultEnv,
  fn: (loaded: LoadedModel) => Promise<Predictions>,
  advice: string,
  o: GoldenLoadOptions = {},
): Promise<FaultResult> {
  return env.ctx.withGolden(
    env.backend,
    async (loaded) => {
      let faulty: Predictions;
      try {
        faulty = await fn(loaded);
        env.capture?.(faulty);
      } catch (err) {
        const message = (err as Error).message ?? '';
        // Prediction that fails on bad input (raw text reaching the model, ids past the embedding, a
        // wrong shape) is as visible as a fault can be; any other error is a harness problem, not a detection.
        if (err instanceof NotApplicable || !INPUT_ERRORS.test(message)) throw err;
        return { detected: true, how: `prediction fails: ${message.split('\n')[0]}` };
      }
      return mustDiffer(env, faulty, advice);
    },
    o,
  );
}

const run = (env: FaultEnv, l: LoadedModel, rows: Example[], state = l.preprocessing, o: { resetState?: boolean } = {}) =>
  predict(env.exec, l.model, state, rows, env.ctx.scenario.definition, o);

/** Why a fault about layers (custom classes, RNN state) cannot apply to a graph model. */
const GRAPH_MODEL = 'the golden bundle is a graph model: a fixed graph of TensorFlow ops,';

async function customClasses(env: FaultEnv) {
  if (await isGraphBundle(env.ctx.store.bundleDir(env.ctx.scenario.name)))
    throw new NotApplicable(`${GRAPH_MODEL} with no layer classes to register or swap`);
  const classes = await env.exec.customClasses(env.ctx.scenario.definition);
  if (!classes.length) throw new NotApplicable('the scenario registers no custom objects');
  return classes;
}

const faults: Record<FaultName, (env: FaultEnv) => Promise<FaultResult>> = {
  async 'preprocessing-dropped'(env) {
    if (!hasSteps(env.ctx.scenario.definition.preprocessing)) throw new NotApplicable('the scenario has no preprocessing');
    return withGolden(
      env,
      (l) => run(env, l, env.probes, { steps: [] }),
      'add probes whose raw values are far from their preprocessed values (e.g. features with large means or scales)',
    );
  },
  async 'preprocessing-refit'(env) {
    const def = env.ctx.scenario.definition;
    if (!hasSteps(def.preprocessing)) throw new NotApplicable('the scenario has no preprocessing');
    const applicable = refitApplicable(def.preprocessing);
    if (!applicable.ok) throw new NotApplicable(applicable.reason);
    const refit = fitPipeline(def.preprocessing, env.probes);
    return withGolden(
      env,
      (l) => run(env, l, env.probes, refit),
      'make the probes differ in distribution from the training data (fewer rows, shifted ranges, rare tokens), so statistics fitted on them differ',
    );
  },
  async 'custom-object-missing'(env) {
    const found: string[] = [];
    for (const { className } of await customClasses(env)) {
      const message = await env.ctx
        .withGolden(env.backend, async () => undefined, { customObjects: { mode: 'missing', className } })
        .then(
          () => undefined,
          (err: Error) => err.message,
        );
      if (message === undefined)
        throw new Undetected(`the bundle loaded without ${className} registered; check that the model really uses it`);
      if (!message.includes(className) || !message.includes('registerClass')) {
        throw new Undetected(`loading failed, but the error does not name ${className} and how to register it: ${message}`);
      }
      found.push(className);
    }
    return { detected: true, how: `load fails naming ${found.join(', ')} and how to register it` };
  },
  async 'custom-object-changed'(env) {
    const layers = (await customClasses(env)).filter((c) => c.isLayer);
    if (!layers.length) throw new NotApplicable('no custom class is a layer; only custom layers can be swapped');
    const found: string[] = [];
    for (const { className } of layers) {
      // Predicted without the scenario's customObjects, which would register the original class again.
      const stub = { ...env.ctx.scenario.definition, customObjects: undefined };
      const r = await withGolden(
        env,
        (l) => predict(env.exec, l.model, l.preprocessing, env.probes, stub),
        `add probes that make ${className}'s output matter (inputs where the custom layer is active)`,
        { customObjects: { mode: 'changed', className, scale: CHANGED_SCALE } },
      );
      found.push(`${className}: ${(r as { how: string }).how}`);
    }
    return { detected: true, how: found.join('; ') };
  },
  async 'state-not-reset'(env) {
    return withGolden(
      env,
      async (l) => {
        if (l.model.kind === 'graph') throw new NotApplicable(`${GRAPH_MODEL} with no RNN state carried between calls`);
        if (!l.model.stateful) throw new NotApplicable('the model has no stateful layer');
        await run(env, l, env.probes);
        return run(env, l, env.probes, l.preprocessing, { resetState: false });
      },
      'use probe sequences whose final state differs strongly from the zero state (longer or larger-valued sequences)',
    );
  },
  async 'weights-perturbed'(env) {
    return withGolden(
      env,
      async (l) => {
        await env.exec.perturbLargestWeight(l.model, WEIGHT_PERTURBATION);
        return run(env, l, env.probes);
      },
      `add probes that activate the last layer's largest weight; a ${WEIGHT_PERTURBATION * 100}% move of it must show in the outputs`,
    );
  },
  async 'features-permuted'(env) {
    // Applicability follows the shape: a numeric input whose feature axis has at least two entries.
    const permutable = (v: Value): boolean =>
      Array.isArray(v) && (Array.isArray(v[0]) ? permutable(v[0]) : v.length >= 2 && v.every((x) => typeof x === 'number'));
    const rotate = (v: Value): Value => {
      const list = v as Value[];
      return Array.isArray(list[0]) ? list.map(rotate) : [...list.slice(1), list[0]!];
    };
    const first = env.probes[0];
    if (first === undefined) throw new NotApplicable('the scenario has no probes');
    const named = isNamed(first) ? Object.keys(first).filter((k) => permutable(first[k]!)) : [];
    if (isNamed(first) ? !named.length : !permutable(first))
      throw new NotApplicable('no input is a numeric vector with two or more features');
    const permuted = env.probes.map((e) =>
      isNamed(e) ? { ...e, ...Object.fromEntries(named.map((k) => [k, rotate(e[k]!)])) } : rotate(e),
    );
    return withGolden(
      env,
      (l) => run(env, l, permuted),
      'add probes whose features differ from each other in value and scale, so that a column order mistake shows',
    );
  },
  async 'input-dtype'(env) {
    // Caught by the contract, not the outputs: tfjs casts an int32 input of a dense layer silently.
    const check = env.ctx.contractCheck(await env.ctx.probes());
    if (!check)
      throw new Undetected(
        `the golden predates input contracts, so nothing checks the input dtype; re-record it to add one (${recordCommand(env.ctx.scenario.name, 'all')})`,
      );
    const def = env.ctx.scenario.definition;
    return env.ctx.withGolden(env.backend, async (l) => {
      const cast = castToOtherDtype(modelInputs(l.preprocessing, env.probes, l.model, def));
      try {
        enforceContract(check, cast, `${def.name}: probes`);
      } catch (err) {
        if (!(err instanceof ContractViolation)) throw err;
        // What the outputs alone would have shown, for the record: often nothing.
        const outputs = await predictInputs(env.exec, l.model, cast, def).then(
          (p) => moved(env, p) ?? 'did not move',
          (e: Error) => `prediction fails: ${e.message.split('\n')[0]}`,
        );
        return { detected: true, how: `refused by the input contract: ${err.message.split('; ')[0]} (the outputs alone: ${outputs})` };
      }
      throw new Undetected(`the input contract accepted ${cast[0]?.dtype} inputs; it must record the dtype the model was trained on`);
    });
  },
  async 'input-range'(env) {
    const def = env.ctx.scenario.definition;
    const contract = (await env.ctx.probes()).contract;
    let target = '';
    const r = await withGolden(
      env,
      (l) => {
        const names = env.probes.some(isNamed) ? l.model.inputNames : undefined;
        const faulty = rescaleToOtherRange(modelInputs(l.preprocessing, env.probes, l.model, def), names, l.preprocessing, contract);
        if (!faulty.rescaled.length)
          throw new NotApplicable(
            'every model input holds token ids: categorical indices, not a scaled range (a wrong vocabulary is what changes them)',
          );
        target = `${faulty.rescaled.join(', ')} rescaled to [${faulty.target.join(', ')}]`;
        return predictInputs(env.exec, l.model, faulty.inputs, def);
      },
      "add probes that span the features' training range, so that a change of scale shows in the outputs",
    );
    return r.detected ? { detected: true, how: `${target}: ${r.how}` } : r;
  },
};

/**
 * A fault counts only against a clean baseline: the unfaulted golden must load, predict and match its
 * outputs first. Otherwise every fault would look "detected" (a broken probes.json changes every output).
 */
async function cleanBaseline(ctx: ScenarioContext, backend: BackendName, expected: Predictions): Promise<void> {
  let actual: Predictions;
  try {
    actual = await ctx.replayPredictions(backend, 'memory');
  } catch (err) {
    throw new GoldenUnusable(`the unfaulted golden does not predict, so no fault can be judged: ${(err as Error).message}`);
  }
  const level = (await ctx.expected(backend)).file.tfjs === ctx.runtime.version ? 'replay' : 'version';
  for (const [key, e] of Object.entries(expected)) {
    const got = actual[key];
    const c = got ? compareTensors(got, e, resolveTolerance(level, ctx.scenario.definition.tolerance, backend, key)) : undefined;
    if (!c?.ok) {
      throw new GoldenUnusable(
        `the unfaulted golden does not match its outputs (${key}: ${c ? (c.reason === 'values' ? `${c.stats.mismatches} of ${c.stats.total} values differ` : c.message) : 'missing'}), so no fault can be judged; fix replay first`,
      );
    }
  }
}

/** Injects one fault on a backend; NotApplicable propagates, an unnoticed fault returns its advice. */
export async function injectFault(ctx: ScenarioContext, backend: BackendName, fault: FaultName): Promise<FaultResult> {
  const probes = (await ctx.probes()).inputs;
  const expected = (await ctx.expected(backend)).outputs;
  await cleanBaseline(ctx, backend, expected);
  try {
    return await inStep(`fault ${fault}`, () => faults[fault]({ ctx, backend, exec: ctx.executor(backend), probes, expected }));
  } catch (err) {
    if (err instanceof Undetected) return { detected: false, advice: err.message };
    throw err;
  }
}

/**
 * The predictions a fault makes on the probes (the first set, for a fault that makes several), for
 * diagnose's self-test. A fault that changes no prediction (a failed load, the input contract) does not apply.
 */
export async function faultPredictions(ctx: ScenarioContext, backend: BackendName, fault: FaultName): Promise<Predictions> {
  const probes = (await ctx.probes()).inputs;
  const expected = (await ctx.expected(backend)).outputs;
  let got: Predictions | undefined;
  const capture = (p: Predictions) => void (got ??= p);
  await faults[fault]({ ctx, backend, exec: ctx.executor(backend), probes, expected, capture }).catch((err: unknown) => {
    if (!(err instanceof Undetected)) throw err;
  });
  if (!got)
    throw new NotApplicable(
      `${fault} yields no predictions to diagnose here: the load or the prediction fails, or the input contract refuses the inputs`,
    );
  return got;
}
