// A scenario's data, drawn from its seeded generator: the same rows on every run and in every host.
import { seededRandom } from '../runtime/seeded-scope.ts';
import { inStepSync } from '../runtime/step.ts';
import type { ScenarioData, TrainedScenario } from './define-scenario.ts';

export function scenarioData(s: TrainedScenario): ScenarioData {
  return inStepSync('data()', () => s.data({ rng: seededRandom(s.seed) }));
}
