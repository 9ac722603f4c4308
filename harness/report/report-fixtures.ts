// Outcomes for the report tests: a failing comparison with figures, and a failure without any.
import type { CheckOutcome } from '../checks/outcome.ts';

export function failedReplay(scenario: string, maxAbsError: number, backend = 'cpu'): CheckOutcome {
  return {
    scenario,
    configuration: { runtime: 'tfjs@4.22.0', backend, format: 'memory' },
    check: 'replay',
    status: 'fail',
    reason: 'predictions differ beyond the replay tolerance',
    durationMs: 5,
    comparisons: {
      output0: {
        ok: false,
        reason: 'values',
        tolerance: { atol: 0, rtol: 0 },
        stats: { total: 8, mismatches: 1, maxAbsError, meanAbsError: maxAbsError / 8, maxRelError: 0.1, meanRelError: 0.01, first: [] },
      },
    },
  };
}

export const failedFault = (scenario: string): CheckOutcome => ({
  scenario,
  configuration: { runtime: 'tfjs@4.22.0', backend: 'cpu' },
  check: 'fault weights-perturbed',
  status: 'fail',
  reason: 'UNDETECTED: the perturbed weights passed replay',
  durationMs: 3,
});
