// The `savedmodel` check: the SavedModel itself (`<modelPath>/saved_model/`), run by TensorFlow's
// kernels through tfjs-node (tf.node.loadSavedModel), on the golden probes after the scenario's
// preprocessing, against the Keras/TensorFlow reference outputs under `crossFramework`. A stateful
// SavedModel keeps its state in the TensorFlow session, where nothing can reset it: the check shows that
// as a finding (a failure, or a pass with a note when the model directory declares it known).
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ToleranceLevel } from '../compare/tolerance.ts';
import type { BackendName } from '../runtime/backends.ts';
import { isSavedScenario } from '../scenario/define-scenario.ts';
import { modelInputs, NotApplicable, type Predictions } from './model-ops.ts';
import type { CheckOutcome } from './outcome.ts';
import { referenceLevel } from './reference.ts';
import { modelHash, probesHash, readReference, sha256Text } from './reference-file.ts';
import { SAVED_PREPROCESSING } from './saved-model.ts';
import { GoldenUnusable, type ScenarioContext } from './scenario-context.ts';

export const SAVED_MODEL_DIR = 'saved_model';
/** `{"savedmodel": "<why it is accepted>"}` beside the model: its stateful finding is known. */
export const KNOWN_FINDINGS = 'known-findings.json';
export const NATIVE_ONLY = 'tf.node.loadSavedModel exists only in @tensorflow/tfjs-node';

type Result = Pick<CheckOutcome, 'status' | 'reason' | 'comparisons' | 'note' | 'detail'>;
export type CompareFn = (actual: Predictions, expected: Predictions, level: ToleranceLevel) => Result;

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** The reference outputs, refused when what they depend on changed since they were recorded. */
async function currentReference(ctx: ScenarioContext, modelPath: string): Promise<Predictions> {
  const found = await readReference(modelPath);
  if (!found) throw new NotApplicable(`no reference outputs in ${modelPath}/reference/ to compare the SavedModel with`);
  const probes = await ctx.probes();
  const pre = await readFile(path.join(modelPath, SAVED_PREPROCESSING), 'utf8').catch(() => '');
  const now = { probes: probesHash(probes.inputs), preprocessing: sha256Text(pre), model: await modelHash(modelPath) };
  const stale = (Object.keys(now) as (keyof typeof now)[]).find((k) => now[k] !== found.ref.dependsOn[k]);
  if (stale)
    throw new GoldenUnusable(
      `${found.file}: dependsOn.${stale} must match the ${stale} of ${modelPath}; it changed since the reference was recorded; re-import the model to re-record it: npx tfjs-repro import ${ctx.scenario.name} --from <source> --update`,
    );
  return found.outputs;
}

function maxAbsDiff(a: Predictions, b: Predictions): number {
  let worst = 0;
  for (const [k, t] of Object.entries(a)) t.values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (b[k]?.values[i] ?? NaN)))));
  return worst;
}

async function knownFinding(modelPath: string): Promise<string | undefined> {
  const file = path.join(modelPath, KNOWN_FINDINGS);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let why: unknown;
  try {
    why = (JSON.parse(text) as { savedmodel?: unknown }).savedmodel;
  } catch {
    why = null;
  }
  if (why !== undefined && (typeof why !== 'string' || !why.trim()))
    throw new GoldenUnusable(
      `${file}: savedmodel must be a string saying why the finding is accepted, e.g. {"savedmodel": "<why>"}; fix the file`,
    );
  return why;
}

export async function savedModelCheck(ctx: ScenarioContext, backend: BackendName, compare: CompareFn): Promise<Result> {
  const def = ctx.scenario.definition as typeof ctx.scenario.definition & { modelPath?: string };
  if (!isSavedScenario(def) || !def.modelPath) throw new NotApplicable('the model is trained here: there is no SavedModel to run');
  const dir = path.join(def.modelPath, SAVED_MODEL_DIR);
  if (!(await exists(path.join(dir, 'saved_model.pb'))))
    throw new NotApplicable(`no SavedModel in ${dir}/ (saved_model.pb): the model was not imported from one`);
  if (backend !== 'tensorflow') throw new NotApplicable(`${NATIVE_ONLY}: it runs on the tensorflow backend only`);
  const exec = ctx.executor(backend);
  if (!exec.predictSavedModel) throw new NotApplicable(`${NATIVE_ONLY}, which the ${backend} executor does not run`);
  // Read first: a malformed declaration is refused before the SavedModel is loaded.
  const known = await knownFinding(def.modelPath);
  const expected = await currentReference(ctx, def.modelPath);
  const probes = await ctx.probes();
  // The same preprocessed inputs the reference check feeds the golden bundle.
  const { inputs, stateful } = await ctx.withGolden(backend, (l) => ({
    inputs: modelInputs(l.preprocessing, probes.inputs, l.model, def),
    stateful: l.model.stateful,
  }));
  const batch = def.predictBatchSize ? { batchSize: def.predictBatchSize } : {};
  const level = referenceLevel(backend);
  const [first, again] = await exec.predictSavedModel(dir, inputs, { calls: stateful ? 2 : 1, ...batch });
  const r = compare(first!, expected, level);
  if (!stateful) return r;
  if (r.status === 'fail')
    return {
      ...r,
      reason: `${r.reason}: the SavedModel's first pass starts from the state it was saved with, which is not the reset state Keras's reference starts from; reset the states before saving it`,
    };
  const [, reloaded] = await exec.predictSavedModel(dir, inputs, { calls: 2, reload: true, ...batch });
  const moved = maxAbsDiff(again!, first!);
  const reload = maxAbsDiff(reloaded!, first!);
  const declared = path.join(def.modelPath, KNOWN_FINDINGS);
  if (moved === 0 && reload === 0)
    return known
      ? {
          status: 'fail',
          reason: `the SavedModel's state no longer carries over between predictions, but ${declared} declares that it does; remove the declaration`,
        }
      : r;
  const finding =
    `the stateful SavedModel's state cannot be reset: tf.node.loadSavedModel keeps it in the TensorFlow session, so its first pass matches Keras only from the state it was saved with; ` +
    `predicting the probes again moved the outputs by up to ${moved.toExponential(2)}, and loading ${dir} again while it is loaded reuses the session (moved by ${reload.toExponential(2)}); ` +
    `use the .h5 / layers model (it keeps resetStates()), or dispose every handle and load the SavedModel again before each sequence`;
  return known
    ? { ...r, note: `${finding} (known: ${known}; declared in ${declared})` }
    : {
        status: 'fail',
        comparisons: r.comparisons,
        reason: `${finding}; if this is known and accepted, declare it in ${declared} as {"savedmodel": "<why>"}`,
      };
}
