// The checks of one scenario × configuration. Each returns a CheckOutcome and never throws or prints.
import type { FormatName } from '../bundle/formats.ts';
import { compareTensors, type CompareOutcome } from '../compare/compare-tensors.ts';
import { crossLevel, resolveTolerance, type ToleranceLevel } from '../compare/tolerance.ts';
import { referenceBackend, retrainNotComparable, type BackendName } from '../runtime/backends.ts';
import { inStep, stepOf } from '../runtime/step.ts';
import { isSavedScenario } from '../scenario/define-scenario.ts';
import { NotApplicable, predict, type Predictions } from './model-ops.ts';
import { injectFault, type FaultName } from './faults.ts';
import { referencePair } from './reference.ts';
import { savedModelCheck } from './savedmodel-check.ts';
import { quantizedPair, type QuantizationName } from './quantized.ts';
import { checkProperty, type PropertyName, type PropertyOptions } from './properties.ts';
import type { checkNames, CheckName, CheckOutcome, Configuration } from './outcome.ts';
import { GoldenUnusable, recordCommand, type ScenarioContext } from './scenario-context.ts';
import type { ObtainedSink } from './obtained-sink.ts';

/** `actual`: the predictions a comparing check obtained, written by an ObtainedSink when it fails; never sent on. */
type CheckResult = Omit<CheckOutcome, 'scenario' | 'configuration' | 'check' | 'durationMs'> & { actual?: Predictions };
export interface CheckOptions extends PropertyOptions {
  /** Where failing replay, agreement and reference checks write what they obtained. */
  obtained?: ObtainedSink;
}

function compareAll(ctx: ScenarioContext, actual: Predictions, expected: Predictions, level: ToleranceLevel, backend: string): CheckResult {
  const comparisons: Record<string, CompareOutcome> = {};
  const missing = Object.keys(expected).filter((k) => !(k in actual));
  const extra = Object.keys(actual).filter((k) => !(k in expected));
  if (missing.length || extra.length) {
    return { status: 'fail', reason: `outputs differ: expected [${Object.keys(expected)}], got [${Object.keys(actual)}]` };
  }
  for (const [key, e] of Object.entries(expected)) {
    comparisons[key] = compareTensors(actual[key]!, e, resolveTolerance(level, ctx.scenario.definition.tolerance, backend, key));
  }
  const ok = Object.values(comparisons).every((c) => c.ok);
  return { status: ok ? 'pass' : 'fail', comparisons, ...(ok ? {} : { reason: `predictions differ beyond the ${level} tolerance` }) };
}

/** What differs between the environment that recorded the outputs and this one, if anything can change the bits. */
async function environmentChange(
  ctx: ScenarioContext,
  backend: BackendName,
  recorded: Record<string, string> | undefined,
): Promise<string | undefined> {
  const here = await ctx.executor(backend).fingerprint();
  const keys = [...new Set([...Object.keys(here), ...Object.keys(recorded ?? {})])];
  if (!keys.length) return undefined;
  if (!recorded) return `the golden has no environment fingerprint (${keys.map((k) => `${k} here: ${here[k]}`).join('; ')})`;
  const changed = keys.filter((k) => here[k] !== recorded[k]);
  return changed.length
    ? changed.map((k) => `${k} recorded ${recorded[k] ?? 'unknown'}, here ${here[k] ?? 'unknown'}`).join('; ')
    : undefined;
}

/** On the runtime that recorded the golden, replay is exact; on another tfjs version, the `version` level applies. */
function replayLevel(ctx: ScenarioContext, goldenTfjs: string): ToleranceLevel {
  return goldenTfjs === ctx.runtime.version ? 'replay' : 'version';
}

const checks: Record<
  (typeof checkNames)[number],
  (ctx: ScenarioContext, backend: BackendName, format: FormatName) => Promise<CheckResult>
> = {
  async replay(ctx, backend, format) {
    const expected = await ctx.expected(backend);
    const actual = await ctx.replayPredictions(backend, format);
    const environment = await environmentChange(ctx, backend, expected.file.fingerprint);
    if (!environment || expected.file.tfjs !== ctx.runtime.version)
      return { ...compareAll(ctx, actual, expected.outputs, replayLevel(ctx, expected.file.tfjs), backend), actual };
    // Recorded elsewhere (other CPU features, another browser build): bits may differ, so exact
    // replay becomes the backend's cross tolerance, and the outcome says why.
    const level = crossLevel(backend);
    const r = compareAll(ctx, actual, expected.outputs, level, backend);
    const note = `compared under ${level}, not exactly: ${environment}; re-record on this machine to replay exactly (${recordCommand(ctx.scenario.name, 'all')})`;
    return r.status === 'pass' ? { ...r, note } : { ...r, reason: `${r.reason}; ${note}`, actual };
  },
  async agreement(ctx, backend, format) {
    if (backend === referenceBackend) throw new NotApplicable(`${backend} is the reference backend; replay covers it`);
    const expected = await ctx.expected(referenceBackend);
    const actual = await ctx.replayPredictions(backend, format);
    const level = crossLevel(backend);
    const r = { ...compareAll(ctx, actual, expected.outputs, level, backend), actual };
    // A pass under the looser level says so: it is not the crossBackend agreement of the others.
    return level === 'halfPrecision' && r.status === 'pass'
      ? { ...r, note: `judged under halfPrecision: ${backend} stores tensors in float16` }
      : r;
  },
  async roundtrip(ctx, backend, format) {
    const trained = await ctx.trained(backend);
    const exec = ctx.executor(backend);
    const files = await exec.save(trained.model, trained.preprocessing, ctx.scenario.name);
    const loaded = await exec.load(files, { format, scenario: ctx.scenario.definition, where: `${ctx.scenario.name} (roundtrip bundle)` });
    try {
      const after = await predict(exec, loaded.model, loaded.preprocessing, trained.probes, ctx.scenario.definition);
      return compareAll(ctx, after, trained.predictions, 'replay', backend);
    } finally {
      await exec.dispose(loaded.model);
    }
  },
  async reference(ctx, backend) {
    const { actual, expected, level, all } = await referencePair(ctx, backend);
    // On failure the sink writes every output the golden bundle predicted (labels included), as replay does.
    return { ...compareAll(ctx, actual, expected, level, backend), actual: all };
  },
  savedmodel: (ctx, backend) => savedModelCheck(ctx, backend, (a, e, level) => compareAll(ctx, a, e, level, backend)),
  async retrain(ctx, backend) {
    if (isSavedScenario(ctx.scenario.definition))
      throw new NotApplicable('the model was made elsewhere and is read from disk: there is no training to repeat');
    const apart = retrainNotComparable[backend];
    if (apart) throw new NotApplicable(apart);
    const expected = await ctx.expected(referenceBackend);
    const trained = await ctx.trained(backend);
    const level = backend === referenceBackend ? replayLevel(ctx, expected.file.tfjs) : 'retrain';
    return compareAll(ctx, trained.predictions, expected.outputs, level, backend);
  },
};

/** Runs one check; every failure mode becomes an outcome (GoldenUnusable and errors fail, NotApplicable says why). */
export async function runCheck(
  ctx: ScenarioContext,
  check: CheckName,
  configuration: Configuration,
  options: CheckOptions = {},
): Promise<CheckOutcome> {
  const start = performance.now();
  const base = { scenario: ctx.scenario.name, configuration, check };
  const backend = configuration.backend as BackendName;
  const exec = ctx.executor(backend);
  let result: CheckResult;
  let tensorsBefore = 0;
  try {
    tensorsBefore = (await exec.numTensors()) - ctx.retainedTensors;
    if (check.startsWith('fault ')) {
      const fault = check.slice('fault '.length) as FaultName;
      const r = await injectFault(ctx, backend, fault);
      result = r.detected
        ? { status: 'pass', detail: `detected: ${r.how}` }
        : { status: 'fail', reason: `UNDETECTED: the probes do not notice ${fault}; ${r.advice}` };
    } else if (check.startsWith('quantized ')) {
      const q = await inStep(`check ${check}`, () => quantizedPair(ctx, backend, check.slice('quantized '.length) as QuantizationName));
      result = compareAll(ctx, q.actual, q.expected, q.level, backend);
    } else if (check.startsWith('property ')) {
      const property = check.slice('property '.length) as PropertyName;
      const r = await checkProperty(ctx, backend, property, options);
      result = r.ok
        ? { status: 'pass', detail: `${r.runs} runs` }
        : {
            status: 'fail',
            reason: `property ${property} failed: ${r.error}\n  shrunk counterexample:\n  ${r.counterexample}\n  seed ${r.seed}, path ${r.path}; replay with:\n  npx tfjs-repro run ${ctx.scenario.name} --backend ${backend} --check "${check}" --seed ${r.seed} --path "${r.path}"`,
          };
    } else {
      result = await inStep(`check ${check}`, () =>
        checks[check as (typeof checkNames)[number]](ctx, backend, (configuration.format ?? 'memory') as FormatName),
      );
    }
  } catch (err) {
    if (err instanceof NotApplicable) result = { status: 'not-applicable', reason: err.message };
    else if (err instanceof GoldenUnusable) result = { status: 'fail', reason: err.message };
    else {
      // Scenario code that throws (data(), model(), a step) is named by the step it threw in.
      const step = stepOf(err);
      const message = (err as Error)?.message ?? String(err);
      result = { status: 'fail', reason: step && !message.includes(step) ? `${message} (in step ${step})` : message };
    }
  }
  // Hygiene: a check must leave tf.memory().numTensors as it found it.
  const leaked = (await exec.numTensors().catch(() => tensorsBefore + ctx.retainedTensors)) - ctx.retainedTensors - tensorsBefore;
  if (leaked > 0) {
    const leak = `leaked ${leaked} tensor(s): scenario ${ctx.scenario.name}, check ${check} left tf.memory().numTensors higher than it found it; dispose what the check creates`;
    result = result.status === 'fail' ? { ...result, reason: `${result.reason}; also ${leak}` } : { status: 'fail', reason: leak };
  }
  const { actual, ...outcome } = result;
  if (options.obtained && actual && outcome.status === 'fail') {
    const o = await options.obtained.record(check, backend, configuration.format ?? 'memory', actual);
    Object.assign(outcome, o, { reason: `${outcome.reason}; ${o.reason}` });
  }
  options.obtained?.ran(check, backend, outcome.status === 'fail');
  return { ...base, ...outcome, durationMs: Math.round(performance.now() - start) };
}
