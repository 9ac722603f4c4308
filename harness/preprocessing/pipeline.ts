import { preprocessingSteps, type StepKind, type StepOptions, type StepState } from './steps.ts';
import { column } from './rows.ts';
import { isNamed, type Example, type Value } from '../types/example.ts';

export interface PreprocessingStep<K extends StepKind = StepKind> { kind: K; options: StepOptions[K] }
export interface FittedStep<K extends StepKind = StepKind> extends PreprocessingStep<K> { state: StepState[K] }
/** Steps for a single-input model, or steps per input name for a multi-input one. */
export type PreprocessingSpec = PreprocessingStep[] | Record<string, PreprocessingStep[]>;
/** What preprocessing.json holds: every step with its fitted state, in order (per input when named). */
export interface PreprocessingState { steps: FittedStep[]; inputs?: Record<string, { steps: FittedStep[] }> }

type AnyDef = {
  fit(rows: Value[], options: unknown): unknown;
  transform(rows: Value[], state: unknown, options: unknown): Value[];
};
const def = (kind: StepKind): AnyDef => preprocessingSteps[kind] as AnyDef;

/** Fits each step on the output of the previous one, as training will see it. */
export function fitPipeline(spec: PreprocessingSpec, rows: Example[]): PreprocessingState {
  if (Array.isArray(spec)) return { steps: fitSteps(spec, rows as Value[]) };
  const inputs = Object.fromEntries(Object.entries(spec).map(([name, steps]) => [name, { steps: fitSteps(steps, column(rows, name, 'preprocessing rows')) }]));
  return { steps: [], inputs };
}

function fitSteps(steps: PreprocessingStep[], rows: Value[]): FittedStep[] {
  const fitted: FittedStep[] = [];
  let current = rows;
  for (const step of steps) {
    const state = def(step.kind).fit(current, step.options);
    fitted.push({ ...step, state } as FittedStep);
    current = def(step.kind).transform(current, state, step.options);
  }
  return fitted;
}

/** Whether a scenario's preprocessing has any step, for one input or per input name. */
export function hasSteps(spec: PreprocessingSpec | undefined): spec is PreprocessingSpec {
  return !!spec && (Array.isArray(spec) ? spec.length > 0 : Object.values(spec).some((s) => s.length > 0));
}

/** Every fitted step, of every input. */
export function allSteps(state: PreprocessingState): FittedStep[] {
  return [...state.steps, ...Object.values(state.inputs ?? {}).flatMap((i) => i.steps)];
}

/** The state as preprocessing.json holds it: what a loaded bundle will transform with. */
export function persistPipeline(state: PreprocessingState): PreprocessingState {
  const persist = (steps: FittedStep[]) => steps.map((s) => {
    const fn = (preprocessingSteps[s.kind] as { persist?(x: unknown): unknown }).persist;
    return fn ? { ...s, state: fn(s.state) } : s;
  });
  const inputs = state.inputs && Object.fromEntries(Object.entries(state.inputs).map(([n, i]) => [n, { steps: persist(i.steps) }]));
  return JSON.parse(JSON.stringify({ steps: persist(state.steps), ...(inputs ? { inputs } : {}) })) as PreprocessingState;
}

export function applyPipeline(state: PreprocessingState, rows: Example[]): Example[] {
  if (state.inputs) {
    const columns = Object.entries(state.inputs).map(([name, i]) => [name, applySteps(i.steps, column(rows, name, 'rows'))] as const);
    return rows.map((r, k) => ({ ...(r as Record<string, Value>), ...Object.fromEntries(columns.map(([name, c]) => [name, c[k]!])) }));
  }
  if (state.steps.length && rows.some(isNamed)) throw new Error('preprocessing.json: steps apply to a single input, but the rows name several inputs; give preprocessing per input name');
  return applySteps(state.steps, rows as Value[]);
}

function applySteps(steps: FittedStep[], rows: Value[]): Value[] {
  let current = rows;
  for (const step of steps) {
    if (!Object.hasOwn(preprocessingSteps, step.kind)) {
      throw new Error(`preprocessing.json: steps[].kind must be one of ${Object.keys(preprocessingSteps).join(', ')}; got "${step.kind}"`);
    }
    current = def(step.kind).transform(current, step.state, step.options);
  }
  return current;
}
