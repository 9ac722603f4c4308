// What the `sensitivity` property and the `preprocessing-refit` fault need to know about steps,
// asked of each step's definition rather than of a list of built-in kinds.
import { stepDefinition } from './define-step.ts';
import { allSteps, type PreprocessingSpec, type PreprocessingState } from './pipeline.ts';

/** Steps whose state the `sensitivity` property can move (those defining `perturb`), in pipeline order. */
export function perturbableSteps(state: PreprocessingState): number {
  return allSteps(state).filter((s) => stepDefinition(s.kind)?.perturb).length;
}

/**
 * A copy of the state with one perturbable step (`pick` modulo their number) moved by `by` of its
 * scale, as that step's `perturb` says; undefined when no step can be moved (all stateless).
 * The built-ins: standardScaler shifts mean by by·std, minMaxScaler min by by·(max − min), vocabulary
 * reverses its tokens.
 */
export function perturbPipeline(state: PreprocessingState, pick: number, by: number): PreprocessingState | undefined {
  const copy = structuredClone(state);
  const movable = allSteps(copy).filter((s) => stepDefinition(s.kind)?.perturb);
  if (!movable.length) return undefined;
  const step = movable[pick % movable.length]!;
  step.state = stepDefinition(step.kind)!.perturb!(step.state, by, Math.floor(pick / movable.length));
  return copy;
}

export type RefitApplicability = { ok: true } | { ok: false; reason: string };

/** `preprocessing-refit` needs a step that fits something; stateless steps refit to the same state. */
export function refitApplicable(spec: PreprocessingSpec | undefined): RefitApplicability {
  const steps = !spec ? [] : Array.isArray(spec) ? spec : Object.values(spec).flat();
  if (!steps.length) return { ok: false, reason: 'the scenario has no preprocessing' };
  if (steps.some((s) => stepDefinition(s.kind)?.fit)) return { ok: true };
  return {
    ok: false,
    reason: `every preprocessing step is stateless (${[...new Set(steps.map((s) => s.kind))].join(', ')}): refitting them changes nothing`,
  };
}
