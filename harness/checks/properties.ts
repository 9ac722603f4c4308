// fast-check properties over a scenario's input domain. Seeded (the scenario's seed by default) so a
// CI run is repeatable; a failure carries the seed, the path and the shrunk counterexample.
import fc from 'fast-check';
import { compareTensors } from '../compare/compare-tensors.ts';
import { resolveTolerance, type Tolerance } from '../compare/tolerance.ts';
import type { Executor, LoadedModel, ModelHandle } from '../executor/executor.ts';
import { applyPipeline, fitPipeline, hasSteps, persistPipeline, type PreprocessingState } from '../preprocessing/pipeline.ts';
import { perturbableSteps, perturbPipeline } from '../preprocessing/perturb-pipeline.ts';
import type { BackendName } from '../runtime/backends.ts';
import type { Example } from '../types/example.ts';
import { inputArbitrary } from './input-domain.ts';
import { enforceContract } from './input-contract.ts';
import { float16RangeProperty } from './float16-range.ts';
import { modelInputs, NotApplicable, predict, scenarioData, type Predictions } from './model-ops.ts';
import { recordCommand, type ScenarioContext } from './scenario-context.ts';

export const propertyNames = [
  'batch-invariance',
  'roundtrip',
  'preprocessing-state',
  'sensitivity',
  'stateful-reset',
  'input-contract',
  'float16-range',
] as const;
export type PropertyName = (typeof propertyNames)[number];
/** Stated sizes for `sensitivity`: perturbations at least this large must show in the probes. */
export const SENSITIVITY = { preprocessingShift: 0.5, weightRelative: 0.05 };

export interface PropertyOptions {
  seed?: number;
  path?: string;
  numRuns?: number;
}
export type PropertyResult = { ok: true; runs: number } | { ok: false; seed: number; path: string; counterexample: string; error: string };

interface Env {
  ctx: ScenarioContext;
  backend: BackendName;
  exec: Executor;
  train: Example[];
  tolerance: (level: 'crossBackend' | 'retrain', key: string) => Tolerance;
  /** The golden loaded once for every run of a property that leaves the model as it found it. */
  shared: () => Promise<LoadedModel>;
}

/** Throws unless every output matches; the message names the first differing output and its statistics. */
function assertSame(actual: Predictions, expected: Predictions, tol: (key: string) => Tolerance, what: string): void {
  for (const [key, e] of Object.entries(expected)) {
    const c = compareTensors(actual[key]!, e, tol(key));
    if (!c.ok)
      throw new Error(
        `${what}: ${key} ${c.reason === 'values' ? `${c.stats.mismatches} of ${c.stats.total} values differ (max abs error ${c.stats.maxAbsError})` : c.message}`,
      );
  }
}
function differs(actual: Predictions, expected: Predictions, tol: (key: string) => Tolerance): boolean {
  return Object.entries(expected).some(([key, e]) => !compareTensors(actual[key]!, e, tol(key)).ok);
}
const exact = () => ({ atol: 0, rtol: 0 });

function withGolden<T>(env: Env, fn: (model: ModelHandle, state: PreprocessingState) => Promise<T> | T): Promise<T> {
  return env.ctx.withGolden(env.backend, (loaded) => fn(loaded.model, loaded.preprocessing));
}
/**
 * For properties that leave the model as they found it (predict resets a stateful one first), one
 * load serves all runs: a load per run cost more than the runs' predictions. `sensitivity` moves a
 * weight, so it loads afresh each run; `stateful-reset` compares with a model loaded afresh each run.
 */
async function withSharedGolden<T>(env: Env, fn: (model: ModelHandle, state: PreprocessingState) => Promise<T> | T): Promise<T> {
  const loaded = await env.shared();
  return fn(loaded.model, loaded.preprocessing);
}
const run = (env: Env, m: ModelHandle, s: PreprocessingState, rows: Example[], o: { resetState?: boolean } = {}) =>
  predict(env.exec, m, s, rows, env.ctx.scenario.definition, o);

function batchOf(env: Env): fc.Arbitrary<Example[]> {
  const n = env.ctx.scenario.definition.predictBatchSize;
  return fc.array(inputArbitrary(env.train), n ? { minLength: n, maxLength: n } : { minLength: 1, maxLength: 6 });
}

type Prop = (env: Env) => Promise<fc.IAsyncProperty<never>>;
const properties: Record<PropertyName, Prop> = {
  async 'batch-invariance'(env) {
    const def = env.ctx.scenario.definition;
    if (def.predictBatchSize) throw new NotApplicable('the model predicts in a fixed batch size');
    return fc.asyncProperty(fc.array(inputArbitrary(env.train), { minLength: 2, maxLength: 6 }), (rows) =>
      withSharedGolden(env, async (m, s) => {
        const batch = await run(env, m, s, rows);
        for (const [i, row] of rows.entries()) {
          const alone = await run(env, m, s, [row]);
          const slice = Object.fromEntries(
            Object.entries(batch).map(([k, t]) => {
              const per = t.values.length / t.shape[0]!;
              return [k, { ...t, shape: [1, ...t.shape.slice(1)], values: t.values.slice(i * per, (i + 1) * per) }];
            }),
          );
          assertSame(
            alone,
            slice as Predictions,
            (k) => env.tolerance('crossBackend', k),
            `row ${i} alone vs in a batch of ${rows.length}`,
          );
        }
      }),
    ) as never;
  },
  async roundtrip(env) {
    const def = env.ctx.scenario.definition;
    return fc.asyncProperty(batchOf(env), (rows) =>
      withSharedGolden(env, async (m, s) => {
        const files = await env.exec.save(m, s, def.name);
        const again = await env.exec.load(files, { format: 'memory', scenario: def, where: `${def.name} (property roundtrip)` });
        try {
          assertSame(await run(env, again.model, again.preprocessing, rows), await run(env, m, s, rows), exact, 'after save and load');
        } finally {
          await env.exec.dispose(again.model);
        }
      }),
    ) as never;
  },
  async 'preprocessing-state'(env) {
    const steps = env.ctx.scenario.definition.preprocessing;
    if (!hasSteps(steps)) throw new NotApplicable('the scenario has no preprocessing');
    const rows = inputArbitrary(env.train);
    return fc.asyncProperty(
      fc.array(rows, { minLength: 2, maxLength: 20 }),
      fc.array(rows, { minLength: 1, maxLength: 5 }),
      async (fitRows, inputs) => {
        const fitted = fitPipeline(steps, fitRows);
        const restored = persistPipeline(fitted);
        const a = applyPipeline(fitted, inputs);
        const b = applyPipeline(restored, inputs);
        if (!sameBits(a, b))
          throw new Error(`transform after persist/restore differs:\n  fitted:   ${JSON.stringify(a)}\n  restored: ${JSON.stringify(b)}`);
      },
    ) as never;
  },
  async sensitivity(env) {
    const probes = (await env.ctx.probes()).inputs;
    const tol = (k: string) => env.tolerance('retrain', k);
    const size = fc.double({ min: 1, max: 4, noNaN: true }).chain((m) => fc.constantFrom(m, -m));
    return fc.asyncProperty(size, fc.nat(), (factor, pick) =>
      withGolden(env, async (m, s) => {
        const base = await run(env, m, s, probes);
        // The persisted preprocessing state, shifted by a stated fraction of each feature's scale.
        const steps = perturbableSteps(s);
        const shifted = perturbPipeline(s, pick, factor * SENSITIVITY.preprocessingShift);
        if (shifted) {
          if (!differs(await run(env, m, shifted, probes), base, tol))
            throw new Error(
              `probes do not notice preprocessing state shifted by ${factor * SENSITIVITY.preprocessingShift} of a feature's scale (step ${pick % steps})`,
            );
        }
        // The last kernel's largest weight, moved by at least the stated relative size.
        const layer = await env.exec.perturbLargestWeight(m, factor * SENSITIVITY.weightRelative);
        if (!differs(await run(env, m, s, probes), base, tol))
          throw new Error(`probes do not notice the largest weight of ${layer} moved by ${factor * SENSITIVITY.weightRelative} relative`);
      }),
    ) as never;
  },
  async 'stateful-reset'(env) {
    return fc.asyncProperty(batchOf(env), batchOf(env), (warmup, rows) =>
      withSharedGolden(env, async (m, s) => {
        if (!m.stateful) throw new NotApplicable('the model has no stateful layer');
        const expected = await env.ctx.withGolden(env.backend, (fresh) => run(env, fresh.model, fresh.preprocessing, rows));
        await run(env, m, s, warmup);
        const carried = await run(env, m, s, rows, { resetState: false });
        if (!differs(carried, expected, (key) => env.tolerance('crossBackend', key)))
          throw new Error("without a reset, predictions equal a fresh model's: the state carries nothing");
        assertSame(await run(env, m, s, rows), expected, exact, 'after reset vs a fresh model');
      }),
    ) as never;
  },
  async 'input-contract'(env) {
    // Through the golden's pipeline, the whole domain keeps the recorded dtype and shape, and rows
    // within the training range keep the recorded range (unless the scenario declares extrapolation).
    // Range is not asked of the rest of the domain: a nonlinear step (a log of amounts near zero)
    // may stretch values past training by any amount, which is what declaring extrapolation is for.
    const check = env.ctx.contractCheck(await env.ctx.probes());
    if (!check)
      throw new NotApplicable(
        `the golden predates input contracts; re-record it to add one (${recordCommand(env.ctx.scenario.name, 'all')})`,
      );
    const def = env.ctx.scenario.definition;
    const within = fc.array(inputArbitrary(env.train, { beyond: 0 }), { minLength: 1, maxLength: 6 });
    return fc.asyncProperty(batchOf(env), within, (rows, inRange) =>
      withSharedGolden(env, (m, s) => {
        enforceContract({ ...check, ranges: false }, modelInputs(s, rows, m, def), `${def.name}: input domain`);
        enforceContract(check, modelInputs(s, inRange, m, def), `${def.name}: input domain within the training range`);
      }),
    ) as never;
  },
  // Whether a half-float GPU can hold what the model is fed (float16-range.ts).
  'float16-range': (env) => float16RangeProperty(env.ctx, env.backend) as never,
};

/** Deep equality with Object.is at the leaves: -0 differs from 0, NaN equals NaN. */
function sameBits(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => sameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

export async function checkProperty(
  ctx: ScenarioContext,
  backend: BackendName,
  name: PropertyName,
  o: PropertyOptions = {},
): Promise<PropertyResult> {
  const def = ctx.scenario.definition;
  let shared: Promise<LoadedModel> | undefined;
  const env: Env = {
    ctx,
    backend,
    exec: ctx.executor(backend),
    train: scenarioData(def).train.x,
    tolerance: (level, key) => resolveTolerance(level, def.tolerance, backend, key),
    shared: () => (shared ??= ctx.loadGolden(backend)),
  };
  const property = await properties[name](env);
  const seed = o.seed ?? def.seed + propertyNames.indexOf(name);
  let details: fc.RunDetails<never>;
  try {
    details = await fc.check(property, { seed, numRuns: o.numRuns ?? 20, ...(o.path ? { path: o.path } : {}) });
  } finally {
    // A load that failed already failed the run that asked for it; it must not replace the property's result.
    if (shared)
      await shared.then(
        (l) => env.exec.dispose(l.model),
        () => undefined,
      );
  }
  if (details.errorInstance instanceof NotApplicable) throw details.errorInstance;
  if (!details.failed) return { ok: true, runs: details.numRuns };
  return {
    ok: false,
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    counterexample: formatCounterexample(details.counterexample ?? []),
    error: String((details.errorInstance as Error)?.message ?? details.errorInstance),
  };
}

/** Counterexamples as rows of values (what the model was fed), not as object dumps. */
function formatCounterexample(args: unknown[]): string {
  return args
    .map((a, i) => {
      if (Array.isArray(a)) return `arg ${i}: ${a.length} row(s)\n${a.map((r, j) => `    [${j}] ${JSON.stringify(r)}`).join('\n')}`;
      return `arg ${i}: ${JSON.stringify(a)}`;
    })
    .join('\n  ');
}
