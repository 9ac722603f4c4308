// The shapes diagnose works with: causes on the model side, environments, and the hypotheses (a cause
// in an environment) whose predictions on the probes are compared with what a user obtained.
import type { FaultName } from '../checks/faults.ts';
import type { GoldenLoadOptions, ScenarioContext } from '../checks/scenario-context.ts';
import type { ToleranceLevel } from '../compare/tolerance.ts';
import type { LoadedModel } from '../executor/executor.ts';
import type { BackendName } from '../runtime/backends.ts';
import type { Example } from '../types/example.ts';
import type { Predictions } from '../types/tensor-data.ts';

/** What kind of cause a hypothesis names: a fault of the catalog, or an environment change. */
export type CauseFamily = FaultName | 'none' | 'backend' | 'version' | 'quantized' | 'half-precision';

/** Where a model cause runs: one backend, one way of loading the golden bundle. */
export interface CauseEnv {
  ctx: ScenarioContext;
  backend: BackendName;
  probes: Example[];
  /** Loads the golden bundle as this environment does, runs fn, and disposes the model. */
  withModel<T>(fn: (loaded: LoadedModel) => Promise<T>, o?: GoldenLoadOptions): Promise<T>;
}

export interface ModelCause {
  id: string;
  label: string;
  family: CauseFamily;
  fix: string;
  /** Cheap causes run in every environment and in the hint of a failed run; searches run on the base only. */
  cheap: boolean;
  /** Predicts the probes under this cause, on the shared model of the environment or on its own load. */
  predict(env: CauseEnv, shared: LoadedModel): Promise<Predictions>;
}

export interface Hypothesis {
  id: string;
  label: string;
  family: CauseFamily;
  fix: string;
  /** The model-side and environment parts ('none' and the base when absent). */
  cause: string;
  env: string;
  /** A pair of one model-side cause and one environment change. */
  pair: boolean;
  outputs: Predictions;
  /** How close obtained outputs must be to count as reproduced. */
  level: ToleranceLevel;
  backend: string;
}

export interface Unavailable {
  label: string;
  reason: string;
}

export interface HypothesisTable {
  scenario: string;
  base: string;
  hypotheses: Hypothesis[];
  /** Causes that could not be computed here, with the reason (not applicable, not installed, failed). */
  unavailable: Unavailable[];
}
