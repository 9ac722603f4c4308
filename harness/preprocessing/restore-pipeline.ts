// Reading preprocessing state from a bundle: every step's kind must be defined (by the harness, or by a
// scenario or a module it imports) and its state must pass the step's schema. Errors name the file,
// the step (index and kind) and the field.
import { z } from 'zod';
import './built-in-steps.ts';
import { definedKinds, shown, stepDefinition, undefinedKindMessage } from './define-step.ts';
import type { PreprocessingState } from './pipeline-state.ts';

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const fieldPath = (path: PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');

/** One zod issue as "<path> must be …", the project's error pattern. */
export function describeZodIssue(issue: z.core.$ZodIssue, prefix: string): string {
  const at = `${prefix}${fieldPath(issue.path)}`;
  if (issue.code === 'invalid_type') return `${at} must be ${article(issue.expected)}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const op = `${issue.code === 'too_small' ? '>' : '<'}${issue.inclusive ? '=' : ''}`;
    const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
    return issue.origin === 'number' ? `${at} must be ${op} ${bound}` : `${at} must have length ${op} ${bound}`;
  }
  if (issue.code === 'unrecognized_keys') return `${at} has unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${at} ${issue.message.startsWith('must') ? issue.message : `must be valid: ${issue.message}`}`;
}

const envelope = z.object({
  steps: z.array(z.object({ kind: z.string(), options: z.record(z.string(), z.unknown()), state: z.unknown() })),
  inputs: z
    .record(
      z.string(),
      z.object({ steps: z.array(z.object({ kind: z.string(), options: z.record(z.string(), z.unknown()), state: z.unknown() })) }),
    )
    .optional(),
});

const validated = new WeakSet<object>();

/**
 * Throws unless `value` is a preprocessing state every step of which is defined and valid;
 * `file` starts the message (e.g. "goldens/x/bundle/preprocessing.json"). Checked once per object.
 */
export function validatePipeline(value: unknown, file: string): asserts value is PreprocessingState {
  if (typeof value === 'object' && value !== null && validated.has(value)) return;
  const shape = envelope.safeParse(value);
  if (!shape.success)
    throw new Error(
      `${file}: ${describeZodIssue(shape.error.issues[0]!, '').replace(/^\./, '')}; the file must be {steps: [{kind, options, state}], inputs?: {<name>: {steps}}} as save writes it`,
    );
  const lists: Array<[string, Array<{ kind: string; options: Record<string, unknown>; state: unknown }>]> = [['steps', shape.data.steps]];
  for (const [name, i] of Object.entries(shape.data.inputs ?? {})) lists.push([`inputs.${name}.steps`, i.steps]);
  for (const [where, steps] of lists) {
    steps.forEach((step, k) => {
      const d = stepDefinition(step.kind);
      if (!d) throw new Error(`${file}: ${where}[${k}].kind ${undefinedKindMessage(step.kind)}`);
      const r = d.state?.safeParse(step.state);
      if (r && !r.success) {
        throw new Error(
          `${file}: ${describeZodIssue(r.error.issues[0]!, `${where}[${k}] (${step.kind}).state`)}; ` +
            `the bundle was written by another definition of "${step.kind}" (defined in ${shown(d.definedIn)}): re-record the golden or make the state schema accept it`,
        );
      }
    });
  }
  validated.add(value as object);
}

/** Marks a state as checked (the pipeline checks each fitted state as fit returns it). */
export function markValidated(state: PreprocessingState): PreprocessingState {
  validated.add(state);
  return state;
}

/** Throws unless a step's fit returned a state its own schema accepts. */
export function checkFittedState(kind: string, state: unknown): void {
  const r = stepDefinition(kind)?.state?.safeParse(state);
  if (r && !r.success) {
    throw new Error(
      `preprocessing step "${kind}": fit returned a state its state schema refuses: ${describeZodIssue(r.error.issues[0]!, 'state')}; ` +
        `make fit handle these rows (defined in ${shown(stepDefinition(kind)!.definedIn)}) or widen the schema`,
    );
  }
}

/** Parses preprocessing.json's JSON value into a state, or throws naming the file, the step and the field. */
export function restorePipeline(value: unknown, file: string): PreprocessingState {
  validatePipeline(value, file);
  return value;
}

/**
 * The scenario-side schema of one step (`{kind, options}`): the kind must be defined when the scenario
 * is validated (its module has run by then) and the options must pass the step's options schema.
 */
export const stepSpecSchema = z.unknown().superRefine((value, ctx) => {
  const shape = z
    .object({ kind: z.string(), options: z.record(z.string(), z.unknown()) })
    .strict()
    .safeParse(value);
  if (!shape.success) {
    const call = typeof value === 'function' ? ': call the step function, e.g. standardScaler() rather than standardScaler' : '';
    ctx.addIssue({
      code: 'custom',
      message: `must be a step made by a step function (standardScaler(), oneHot({ … }), or one made by defineStep)${call}`,
    });
    return;
  }
  const step = shape.data;
  const d = stepDefinition(step.kind);
  if (!d) {
    ctx.addIssue({
      code: 'custom',
      path: ['kind'],
      message: `must be a defined step (${definedKinds().join(', ')}); define "${step.kind}" with defineStep({ kind: '${step.kind}', fit, transform }) in the scenario file or a module it imports`,
    });
    return;
  }
  const r = d.options?.safeParse(step.options);
  for (const issue of r && !r.success ? r.error.issues : []) {
    ctx.addIssue({ code: 'custom', path: ['options', ...issue.path], message: describeZodIssue(issue, '').replace(/^\S*\s/, '') });
  }
});
