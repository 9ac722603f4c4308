import { preprocessingSteps, type StepKind, type StepOptions, type StepState } from './steps.ts';
import type { Value } from './rows.ts';

export interface PreprocessingStep<K extends StepKind = StepKind> { kind: K; options: StepOptions[K] }
export interface FittedStep<K extends StepKind = StepKind> extends PreprocessingStep<K> { state: StepState[K] }
/** What preprocessing.json holds: every step with its fitted state, in order. */
export interface PreprocessingState { steps: FittedStep[] }

type AnyDef = {
  fit(rows: Value[], options: unknown): unknown;
  transform(rows: Value[], state: unknown, options: unknown): Value[];
};
const def = (kind: StepKind): AnyDef => preprocessingSteps[kind] as AnyDef;

/** Fits each step on the output of the previous one, as training will see it. */
export function fitPipeline(steps: PreprocessingStep[], rows: Value[]): PreprocessingState {
  const fitted: FittedStep[] = [];
  let current = rows;
  for (const step of steps) {
    const state = def(step.kind).fit(current, step.options);
    fitted.push({ ...step, state } as FittedStep);
    current = def(step.kind).transform(current, state, step.options);
  }
  return { steps: fitted };
}

/** The state as preprocessing.json holds it: what a loaded bundle will transform with. */
export function persistPipeline(state: PreprocessingState): PreprocessingState {
  const steps = state.steps.map((s) => {
    const persist = (preprocessingSteps[s.kind] as { persist?(x: unknown): unknown }).persist;
    return persist ? { ...s, state: persist(s.state) } : s;
  });
  return JSON.parse(JSON.stringify({ steps })) as PreprocessingState;
}

export function applyPipeline(state: PreprocessingState, rows: Value[]): Value[] {
  let current = rows;
  for (const step of state.steps) {
    if (!Object.hasOwn(preprocessingSteps, step.kind)) {
      throw new Error(`preprocessing.json: steps[].kind must be one of ${Object.keys(preprocessingSteps).join(', ')}; got "${step.kind}"`);
    }
    current = def(step.kind).transform(current, step.state, step.options);
  }
  return current;
}
