// A scenario's training data as the page receives it: data() and preprocessing run in Node (doubles)
// exactly as trainScenario does, and only the float32 tensors cross into the page.
import { scenarioData } from '../../scenario/scenario-data.ts';
import { applyPipeline, fitPipeline } from '../../preprocessing/pipeline.ts';
import { inputData, rowsToTensorData } from '../../preprocessing/rows.ts';
import type { ScenarioData, TrainedScenario } from '../../scenario/define-scenario.ts';
import { isNamed } from '../../types/example.ts';
import type { TensorData } from '../../types/tensor-data.ts';
import type { TrainDataOptions } from './browser-page.ts';

export interface PageTrainData {
  train: TrainDataOptions;
  /** The scenario's probes, preprocessed with the fitted state, in the given model input order. */
  probes(inputNames: string[]): TensorData[];
}

/** Training targets as the page takes them: one unnamed output, or by output name. */
export function trainTargets(y: ScenarioData['train']['y'], where: string): TensorData[] | Record<string, TensorData> {
  return y.some(isNamed)
    ? Object.fromEntries(
        Object.keys(y[0] as object).map((k) => [
          k,
          rowsToTensorData(
            y.map((r) => (r as Record<string, number[]>)[k]!),
            `${where}.${k}`,
          ),
        ]),
      )
    : [rowsToTensorData(y as number[][], where)];
}

export function pageTrainData(s: TrainedScenario): PageTrainData {
  const data = scenarioData(s);
  const state = fitPipeline(s.preprocessing ?? [], data.train.x);
  const rows = applyPipeline(state, data.train.x);
  const names = rows.some(isNamed) ? Object.keys(rows[0] as object) : undefined;
  const x = inputData(rows, names, `${s.name}: data().train.x`);
  const targets = trainTargets(data.train.y, `${s.name}: data().train.y`);
  return {
    train: {
      inputs: names ? Object.fromEntries(names.map((n, i) => [n, x[i]!])) : x,
      targets,
      seed: s.seed,
      ...s.train,
    },
    probes: (inputNames) => inputData(applyPipeline(state, data.probes), inputNames, `${s.name}: probes`),
  };
}
