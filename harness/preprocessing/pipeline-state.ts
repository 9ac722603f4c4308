// The shapes of preprocessing as data, apart from the code that fits and applies it.
import type { PreprocessingStep } from './define-step.ts';

export interface FittedStep extends PreprocessingStep {
  state: unknown;
}
/** Steps for a single-input model, or steps per input name for a multi-input one. */
export type PreprocessingSpec = PreprocessingStep[] | Record<string, PreprocessingStep[]>;
/** What preprocessing.json holds: every step with its fitted state, in order (per input when named). */
export interface PreprocessingState {
  steps: FittedStep[];
  inputs?: Record<string, { steps: FittedStep[] }>;
}
