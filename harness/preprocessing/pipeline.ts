import './built-in-steps.ts';
import { mergeColumns, selectColumns } from './columns.ts';
import { stepDefinition, undefinedKindMessage, type PreprocessingStep, type StepDefinition } from './define-step.ts';
import { checkFittedState, markValidated, validatePipeline } from './restore-pipeline.ts';
import { column } from './rows.ts';
import { isNamed, type Example, type Value } from '../types/example.ts';
import type { FittedStep, PreprocessingSpec, PreprocessingState } from './pipeline-state.ts';

export type { PreprocessingStep } from './define-step.ts';
export type { FittedStep, PreprocessingSpec, PreprocessingState } from './pipeline-state.ts';

function definition(kind: string, where: string): StepDefinition {
  const d = stepDefinition(kind);
  if (!d) throw new Error(`${where}: ${undefinedKindMessage(kind)}`);
  return d;
}
const columnsOf = (options: Record<string, unknown>) => options.columns as number[] | undefined;

/** Fits one step on the rows (only its columns when it has `columns`); a stateless step's state is {}. */
export function fitStep(step: PreprocessingStep, rows: Value[]): unknown {
  const d = definition(step.kind, 'preprocessing');
  const cols = columnsOf(step.options);
  return d.fit ? d.fit(cols ? selectColumns(rows, cols, step.kind) : rows, step.options) : {};
}

export function transformStep(step: FittedStep, rows: Value[]): Value[] {
  const d = definition(step.kind, 'preprocessing.json');
  const cols = columnsOf(step.options);
  if (!cols) return d.transform(rows, step.state, step.options);
  return mergeColumns(rows, d.transform(selectColumns(rows, cols, step.kind), step.state, step.options), cols);
}

/** Fits each step on the output of the previous one, as training will see it. */
export function fitPipeline(spec: PreprocessingSpec, rows: Example[]): PreprocessingState {
  if (Array.isArray(spec)) return markValidated({ steps: fitSteps(spec, rows as Value[]) });
  const inputs = Object.fromEntries(
    Object.entries(spec).map(([name, steps]) => [name, { steps: fitSteps(steps, column(rows, name, 'preprocessing rows')) }]),
  );
  return markValidated({ steps: [], inputs });
}

function fitSteps(steps: PreprocessingStep[], rows: Value[]): FittedStep[] {
  const fitted: FittedStep[] = [];
  let current = rows;
  for (const step of steps) {
    const f: FittedStep = { ...step, state: fitStep(step, current) };
    checkFittedState(step.kind, f.state);
    fitted.push(f);
    current = transformStep(f, current);
  }
  return fitted;
}

/** Whether a scenario's preprocessing has any step, for one input or per input name. */
export function hasSteps(spec: PreprocessingSpec | undefined): spec is PreprocessingSpec {
  return !!spec && (Array.isArray(spec) ? spec.length > 0 : Object.values(spec).some((s) => s.length > 0));
}

/** Every fitted step, of every input. */
export function allSteps<T extends PreprocessingStep = FittedStep>(state: { steps: T[]; inputs?: Record<string, { steps: T[] }> }): T[] {
  return [...state.steps, ...Object.values(state.inputs ?? {}).flatMap((i) => i.steps)];
}

/** The state as preprocessing.json holds it: what a loaded bundle will transform with. */
export function persistPipeline(state: PreprocessingState): PreprocessingState {
  const persist = (steps: FittedStep[]) =>
    steps.map((s) => {
      const fn = definition(s.kind, 'preprocessing').persist;
      return fn ? { ...s, state: fn(s.state) } : s;
    });
  const inputs = state.inputs && Object.fromEntries(Object.entries(state.inputs).map(([n, i]) => [n, { steps: persist(i.steps) }]));
  return JSON.parse(JSON.stringify({ steps: persist(state.steps), ...(inputs ? { inputs } : {}) })) as PreprocessingState;
}

export function applyPipeline(state: PreprocessingState, rows: Example[]): Example[] {
  validatePipeline(state, 'preprocessing.json');
  if (state.inputs) {
    const columns = Object.entries(state.inputs).map(([name, i]) => [name, applySteps(i.steps, column(rows, name, 'rows'))] as const);
    return rows.map((r, k) => ({ ...(r as Record<string, Value>), ...Object.fromEntries(columns.map(([name, c]) => [name, c[k]!])) }));
  }
  if (state.steps.length && rows.some(isNamed))
    throw new Error(
      'preprocessing.json: steps apply to a single input, but the rows name several inputs; give preprocessing per input name',
    );
  return applySteps(state.steps, rows as Value[]);
}

function applySteps(steps: FittedStep[], rows: Value[]): Value[] {
  return steps.reduce((current, step) => transformStep(step, current), rows);
}
