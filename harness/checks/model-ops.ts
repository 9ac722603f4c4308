// The host side of predicting and training: preprocessing runs here, in JavaScript doubles, and
// only float32 tensor data crosses to the executor.
import type { BundleFiles } from '../bundle/bundle-files.ts';
import type { Executor, ModelHandle } from '../executor/executor.ts';
import { enforceContract, type ContractCheck } from './input-contract.ts';
import { applyPipeline, fitPipeline, type PreprocessingState } from '../preprocessing/pipeline.ts';
import { inputData } from '../preprocessing/rows.ts';
import { scenarioData } from '../scenario/scenario-data.ts';
import { isSavedScenario, type TrainedScenario } from '../scenario/define-scenario.ts';
import { loadSavedModel } from './saved-model.ts';
import { inStepSync } from '../runtime/step.ts';
import { isNamed, type Example } from '../types/example.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';

export { NotApplicable } from '../types/errors.ts';
export { inputData, scenarioData };
export type { Predictions };

/** Raw rows through a fitted state, shaped as the model's inputs. */
export function modelInputs(state: PreprocessingState, rows: Example[], model: ModelHandle, scenario: TrainedScenario): TensorData[] {
  return inStepSync('preprocessing (transform)', () => inputData(applyPipeline(state, rows), model.inputNames, `${scenario.name}: probes`));
}

export interface PredictRowsOptions {
  resetState?: boolean;
  contract?: ContractCheck | undefined;
}

/**
 * Preprocesses raw rows with a fitted state and predicts; RNN state is reset first unless told not to.
 * With a contract, inputs that break it are refused before they reach the model.
 */
export async function predict(
  exec: Executor,
  model: ModelHandle,
  state: PreprocessingState,
  rows: Example[],
  scenario: TrainedScenario,
  options: PredictRowsOptions = {},
): Promise<Predictions> {
  const inputs = modelInputs(state, rows, model, scenario);
  if (options.contract) enforceContract(options.contract, inputs, `${scenario.name}: probes`);
  return predictInputs(exec, model, inputs, scenario, options);
}

/** Predicts inputs that are already preprocessed, with the scenario's batch size and labels. */
export function predictInputs(
  exec: Executor,
  model: ModelHandle,
  inputs: TensorData[],
  scenario: TrainedScenario,
  options: { resetState?: boolean } = {},
): Promise<Predictions> {
  return exec.predict(model, inputs, {
    ...(scenario.predictBatchSize ? { batchSize: scenario.predictBatchSize } : {}),
    ...(options.resetState === false ? { resetState: false } : {}),
    ...(scenario.labels ? { labels: true } : {}),
  });
}

export interface Trained {
  model: ModelHandle;
  preprocessing: PreprocessingState;
  probes: Example[];
  /** A saved model's files as imported: its golden bundle is the converter's model, not a tfjs re-save. */
  files?: BundleFiles;
}

/** Fits preprocessing here, then builds and trains the model in the executor's seeded scope. */
export async function trainScenario(exec: Executor, s: TrainedScenario): Promise<Trained> {
  const data = scenarioData(s);
  if (isSavedScenario(s)) return loadSavedModel(exec, s, data.probes);
  const preprocessing = inStepSync('preprocessing (fit)', () => fitPipeline(s.preprocessing ?? [], data.train.x));
  const rows = inStepSync('preprocessing (transform)', () => applyPipeline(preprocessing, data.train.x));
  const names = rows.some(isNamed) ? Object.keys(rows[0] as object) : undefined;
  const x = inputData(rows, names, `${s.name}: data().train.x`);
  const model = await exec.train({ scenario: s, x, ...(names ? { names } : {}), y: data.train.y, train: s.train, seed: s.seed });
  return { model, preprocessing, probes: data.probes };
}
