import semver from 'semver';
import { plainDataProblems } from './plain-data-check.ts';
import { z } from 'zod';
import { toleranceLevels } from '../compare/tolerance.ts';
import { stepSpecSchema } from '../preprocessing/restore-pipeline.ts';
import { backendNames } from '../runtime/backends.ts';
import type { TrainedScenario } from './define-scenario.ts';

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: `must be a function ${what}` });
const tol = z.object({ atol: z.number().min(0).optional(), rtol: z.number().min(0).optional() }).strict();
const levels = z.object(Object.fromEntries(Object.keys(toleranceLevels).map((k) => [k, tol.optional()]))).strict();
// The loss names tfjs-layers accepts as strings (tfjs-layers losses.ts, lossesMap).
const losses = [
  'meanSquaredError',
  'meanAbsoluteError',
  'meanAbsolutePercentageError',
  'meanSquaredLogarithmicError',
  'squaredHinge',
  'hinge',
  'categoricalHinge',
  'logcosh',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'kullbackLeiblerDivergence',
  'poisson',
  'cosineProximity',
] as const;
// Steps are checked against the registry when the scenario is validated: its own defineStep calls have run by then.
const step = stepSpecSchema;
const backendKeys = z.enum(backendNames);
const features = z.array(z.number().int().min(0)).min(1);

const trainedScenario = z
  .object({
    source: z.literal('code').optional(),
    name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be kebab-case, e.g. "my-model"' }),
    description: z.string().min(1, { message: 'must be a non-empty sentence saying what the scenario guards' }),
    seed: z.number().int({ message: 'must be an integer' }),
    data: fn('({ rng }) => ({ train: { x, y }, probes })'),
    // A list of steps, or a list per input name: checked by shape so errors keep their exact path.
    preprocessing: z
      .unknown()
      .superRefine((v, ctx) => {
        if (v === undefined) return;
        const r = (
          Array.isArray(v)
            ? z.array(step)
            : z.record(z.string(), z.array(step), { error: () => 'must be a list of steps, or a list per input name' })
        ).safeParse(v);
        for (const issue of r.success ? [] : r.error.issues)
          ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: valueAt(v, issue.path) });
      })
      .optional(),
    customObjects: fn('(tf) => [CustomLayerClass, ...]').optional(),
    predictBatchSize: z.number().int().positive().optional(),
    labels: z.boolean().optional(),
    timeoutMs: z
      .number()
      .int({ message: 'must be a positive integer number of milliseconds, e.g. 60000' })
      .positive({ message: 'must be a positive integer number of milliseconds, e.g. 60000' })
      // record allows three job limits, and timers cannot exceed 2^31 − 1 ms.
      .max(715_827_882, { message: "must be at most 715827882 ms (about 8 days), so that record's three job limits fit in a timer" })
      .optional(),
    allowNonFinite: z.boolean().optional(),
    extrapolates: z
      .union([z.literal(true), features, z.record(z.string(), z.union([z.literal(true), features]))], {
        error: () => 'must be true, a list of feature indices (e.g. [0, 2]), or either of these per input name (e.g. { sensors: [2] })',
      })
      .optional(),
    knownDrift: z
      .array(
        z
          .object({
            tfjs: z.string().refine((r) => semver.validRange(r) !== null, { message: 'must be a semver range, e.g. "<4.0.0"' }),
            recordedWith: z
              .string()
              .refine((r) => semver.validRange(r) !== null, { message: 'must be a semver range of the recording tfjs, e.g. "3.x"' })
              .optional(),
            backend: backendKeys.optional(),
            check: z.enum(['replay', 'retrain']).optional(),
            maxAbsError: z.number().positive(),
            reason: z.string().min(1, { message: 'must say why the drift is accepted' }),
          })
          .strict(),
      )
      .optional(),
    model: fn('({ tf, inputShape }) => tf.LayersModel'),
    train: z
      .object({
        epochs: z.number().int().positive(),
        batchSize: z.number().int().positive(),
        loss: z.union([z.enum(losses), z.record(z.string(), z.enum(losses))], {
          error: () => `must be one of ${losses.join(', ')}, or one of them per output name`,
        }),
        optimizer: z.enum(['adam', 'sgd', 'rmsprop']).optional(),
        learningRate: z.number().positive().optional(),
        shuffle: z.boolean().optional(),
      })
      .strict(),
    tolerance: levels
      .extend({
        backends: z.partialRecord(backendKeys, levels).optional(),
        outputs: z.record(z.string(), levels).optional(),
      })
      .optional(),
  })
  .strict();

// A saved model's scenario: no model() and no train; the model comes from modelPath.
const savedScenario = trainedScenario
  .omit({ source: true, model: true, train: true })
  .extend({
    source: z.literal('saved'),
    modelPath: z.string().regex(/^models\/[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be "models/<name>", the directory import wrote' }),
  })
  .strict();

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const field = issue.path.length ? issue.path.join('.') : '(scenario)';
  let message = issue.message;
  if (issue.path.length && valueAt(root, issue.path) === undefined && issue.code !== 'unrecognized_keys') {
    message = `is required: ${message.startsWith('must') ? message : message.replace(/^Invalid input: expected (\w+), received undefined$/, 'must be $1')}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `${field}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them or check the spelling`;
  return `${field} ${message.startsWith('must') || message.startsWith('is ') ? message : `must be valid: ${message}`}`;
}

/** Checks a scenario's default export; throws one error listing every wrong field, naming the file. */
export function validateScenario(value: unknown, file: string): TrainedScenario {
  if (value === undefined) {
    throw new Error(`${file}: default export is missing; write \`export default defineScenario({ ... })\``);
  }
  // Zod reads fields through getters and Proxy traps, which may throw or lie; refuse them first.
  const hostile = plainDataProblems(value);
  if (hostile.length) {
    throw new Error(
      `${file}: invalid scenario:\n${hostile.map((p) => `  - ${p}`).join('\n')}\nWrite the scenario as a plain object literal in defineScenario({ ... }).`,
    );
  }
  const saved = !!value && typeof value === 'object' && (value as { source?: unknown }).source === 'saved';
  const parsed = (saved ? savedScenario : trainedScenario).safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${describeIssue(i, value)}`);
    throw new Error(
      `${file}: invalid scenario:\n${lines.join('\n')}\nFix these fields in the defineScenario({ ... }) call (see README "Adding a scenario").`,
    );
  }
  // A saved scenario travels as the trained shape: its model() and train are never called, since
  // trainScenario reads the model from modelPath when isSavedScenario holds.
  return value as TrainedScenario;
}
