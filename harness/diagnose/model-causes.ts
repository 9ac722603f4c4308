// The model-side causes: the fault catalog generalized (any preprocessing dropped or refitted, any
// column order, state carried over 1 to 3 calls), each a function from a loaded golden to predictions.
import { WEIGHT_PERTURBATION } from '../checks/faults.ts';
import { rescaleToOtherRange } from '../checks/input-faults.ts';
import { modelInputs, predict, predictInputs, scenarioData } from '../checks/model-ops.ts';
import { builtinActivations, type CustomObjectsChoice, type LoadedModel } from '../executor/executor.ts';
import { fitPipeline, hasSteps } from '../preprocessing/pipeline.ts';
import { refitApplicable } from '../preprocessing/perturb-pipeline.ts';
import { isNamed, type Example } from '../types/example.ts';
import type { TensorData } from '../types/tensor-data.ts';
import { describeOrder, featureOrders, permuteRows } from './feature-permutations.ts';
import type { CauseEnv, ModelCause } from './hypothesis.ts';

/** custom-object-changed of the catalog: the same layer, output × 1.1. */
const CHANGED_SCALE = 1.1;
const README = 'README "Bundles and goldens"';

const run = (env: CauseEnv, l: LoadedModel, rows: Example[], state = l.preprocessing, resetState = true) =>
  predict(env.ctx.executor(env.backend), l.model, state, rows, env.ctx.scenario.definition, resetState ? {} : { resetState: false });

function concatRows(parts: TensorData[][]): TensorData[] {
  return parts[0]!.map((first, i) => {
    const all = parts.map((p) => p[i]!);
    const values =
      first.dtype === 'float32'
        ? new Float32Array(all.reduce((n, t) => n + t.values.length, 0))
        : new Int32Array(all.reduce((n, t) => n + t.values.length, 0));
    let at = 0;
    for (const t of all) {
      values.set(t.values, at);
      at += t.values.length;
    }
    return { shape: [all.reduce((n, t) => n + t.shape[0]!, 0), ...first.shape.slice(1)], dtype: first.dtype, values };
  });
}

function preprocessingCauses(env: Pick<CauseEnv, 'ctx' | 'probes'>): ModelCause[] {
  const def = env.ctx.scenario.definition;
  if (!hasSteps(def.preprocessing)) return [];
  const fitFix = (on: string) =>
    `fit the preprocessing once on the training data and persist it: load the bundle's preprocessing.json and apply it as it is, never fit it on ${on} (${README})`;
  const causes: ModelCause[] = [
    {
      id: 'preprocessing-dropped',
      label: 'preprocessing dropped (raw inputs reached the model)',
      family: 'preprocessing-dropped',
      cheap: true,
      fix: `apply the persisted preprocessing (the bundle's preprocessing.json) to the raw inputs before predict (${README})`,
      predict: (e, l) => run(e, l, e.probes, { steps: [] }),
    },
  ];
  if (!Array.isArray(def.preprocessing))
    for (const input of Object.keys(def.preprocessing).filter((k) => (def.preprocessing as Record<string, unknown[]>)[k]!.length))
      causes.push({
        id: `preprocessing-dropped:${input}`,
        label: `preprocessing of input ${input} dropped`,
        family: 'preprocessing-dropped',
        cheap: true,
        fix: `apply the persisted preprocessing of input ${input} (the bundle's preprocessing.json, inputs.${input}) before predict (${README})`,
        predict: (e, l) => {
          const inputs = { ...l.preprocessing.inputs };
          inputs[input] = { steps: [] };
          return run(e, l, e.probes, { ...l.preprocessing, inputs });
        },
      });
  if (!refitApplicable(def.preprocessing).ok) return causes;
  const train = scenarioData(def).train.x;
  // A saved model (imported from Keras) has no train options: Keras's default batch size.
  const batch = (def as { train?: { batchSize?: number } }).train?.batchSize ?? 32;
  causes.push(
    {
      id: 'preprocessing-refit:probes',
      label: 'preprocessing refitted on the predicted rows (all probes at once)',
      family: 'preprocessing-refit',
      cheap: true,
      fix: fitFix('the rows being predicted'),
      predict: (e, l) => run(e, l, e.probes, fitPipeline(def.preprocessing!, e.probes)),
    },
    {
      id: 'preprocessing-refit:row',
      label: 'preprocessing refitted on each predicted row alone (fit_transform per request)',
      family: 'preprocessing-refit',
      cheap: true,
      fix: fitFix('each request'),
      predict: (e, l) => {
        const parts = e.probes.map((row) => modelInputs(fitPipeline(def.preprocessing!, [row]), [row], l.model, def));
        return predictInputs(e.ctx.executor(e.backend), l.model, concatRows(parts), def);
      },
    },
    {
      id: 'preprocessing-refit:batch',
      label: `preprocessing fitted on the first training batch only (${Math.min(batch, train.length)} rows)`,
      family: 'preprocessing-refit',
      cheap: true,
      fix: fitFix('a sample') + '; fit it on the whole training set',
      predict: (e, l) => run(e, l, e.probes, fitPipeline(def.preprocessing!, train.slice(0, batch))),
    },
  );
  return causes;
}

function inputCauses(env: Pick<CauseEnv, 'ctx' | 'probes'>, search: boolean): ModelCause[] {
  const orders = featureOrders(env.probes, search).map(
    (f): ModelCause => ({
      id: `features-permuted:${f.input ?? ''}:${f.order.join(',')}`,
      label: `features permuted: ${describeOrder(f)}`,
      family: 'features-permuted',
      cheap: f.kind !== 'permutation',
      fix: `build each input row in the column order the model was trained on (${describeOrder(f)}); select columns by name, not position`,
      predict: (e, l) => run(e, l, permuteRows(e.probes, f)),
    }),
  );
  const range: ModelCause = {
    id: 'input-range',
    label: 'inputs on another scale (e.g. [0, 255] pixels where [0, 1] was trained)',
    family: 'input-range',
    cheap: true,
    fix: 'scale the inputs as in training (e.g. divide pixels by 255) before predict; the input contract in probes.json records the training ranges',
    predict: async (e, l) => {
      const def = e.ctx.scenario.definition;
      const names = e.probes.some(isNamed) ? l.model.inputNames : undefined;
      const contract = (await e.ctx.probes()).contract;
      const faulty = rescaleToOtherRange(modelInputs(l.preprocessing, e.probes, l.model, def), names, l.preprocessing, contract);
      if (!faulty.rescaled.length) throw new Error('every input holds token ids');
      return predictInputs(e.ctx.executor(e.backend), l.model, faulty.inputs, def);
    },
  };
  return [...orders, range];
}

/** Predicts the probes from the golden bundle loaded with another class under a custom class's name. */
const withClass =
  (customObjects: CustomObjectsChoice): ModelCause['predict'] =>
  (e) =>
    e.withModel(
      (l) =>
        predict(e.ctx.executor(e.backend), l.model, l.preprocessing, e.probes, { ...e.ctx.scenario.definition, customObjects: undefined }),
      { customObjects },
    );

function modelStateCauses(customLayers: string[]): ModelCause[] {
  const carried = [1, 2, 3].map(
    (k): ModelCause => ({
      id: `state-not-reset:${k}`,
      label: `stateful RNN not reset: state carried over from ${k} earlier call${k > 1 ? 's' : ''} on the same rows`,
      family: 'state-not-reset',
      cheap: true,
      fix: 'call model.resetStates() after loading and before each independent prediction (tfjs saves weights, not RNN state)',
      predict: async (e, l) => {
        if (!l.model.stateful) throw new Error('the model has no stateful layer');
        for (let i = 0; i < k; i++) await run(e, l, e.probes, l.preprocessing, i === 0);
        return run(e, l, e.probes, l.preprocessing, false);
      },
    }),
  );
  const changed = customLayers.map(
    (className): ModelCause => ({
      id: `custom-object-changed:${className}`,
      label: `custom layer ${className} registered with another implementation (output × ${CHANGED_SCALE})`,
      family: 'custom-object-changed',
      cheap: true,
      fix: `register the same ${className} implementation the model was trained with (tf.serialization.registerClass) before loading`,
      predict: withClass({ mode: 'changed', className, scale: CHANGED_SCALE }),
    }),
  );
  // The custom class replaced by a plain built-in of the same shape (e.g. relu for relu + 0.1).
  const builtin = customLayers.flatMap((className) =>
    builtinActivations.map(
      (activation): ModelCause => ({
        id: `custom-object-builtin:${className}:${activation}`,
        label: `custom layer ${className} replaced by its plain base: ${activation === 'linear' ? 'the identity (tf.layers.Layer)' : activation}`,
        family: 'custom-object-changed',
        cheap: true,
        fix: `register the ${className} implementation the model was trained with (tf.serialization.registerClass) before loading, not a plain ${activation}`,
        predict: withClass({ mode: 'builtin', className, activation }),
      }),
    ),
  );
  const weights: ModelCause = {
    id: 'weights-perturbed',
    label: `weights changed (the last kernel's largest weight moved by ${WEIGHT_PERTURBATION * 100}%)`,
    family: 'weights-perturbed',
    cheap: true,
    fix: 'load the exact weight files of the golden bundle (their SHA-256 is in manifest.json); `npx tfjs-repro explain` shows the first layer that differs',
    predict: (e) =>
      e.withModel(async (l) => {
        await e.ctx.executor(e.backend).perturbLargestWeight(l.model, WEIGHT_PERTURBATION);
        return run(e, l, e.probes);
      }),
  };
  return [...carried, ...changed, ...builtin, weights];
}

/** The baseline (nothing wrong) first, then every model-side cause that applies to the scenario. */
export async function modelCauses(env: Pick<CauseEnv, 'ctx' | 'probes' | 'backend'>, search: boolean): Promise<ModelCause[]> {
  const classes = await env.ctx.executor(env.backend).customClasses(env.ctx.scenario.definition);
  const none: ModelCause = {
    id: 'none',
    label: 'nothing wrong: the golden bundle as recorded',
    family: 'none',
    cheap: true,
    fix: 'nothing to fix: these are the golden predictions',
    predict: (e, l) => run(e, l, e.probes),
  };
  return [
    none,
    ...preprocessingCauses(env),
    ...inputCauses(env, search),
    ...modelStateCauses(classes.filter((c) => c.isLayer).map((c) => c.className)),
  ];
}
