// The scenario · backend × fault matrix of a run, from its `fault <name>` outcomes: each injected
// failure mode was detected, does not apply, went UNDETECTED, or the check failed otherwise.
import type { CheckOutcome } from '../checks/outcome.ts';

export type FaultCell = 'detected' | 'not-applicable' | 'UNDETECTED' | 'error' | 'not run';
export interface FaultMatrix {
  faults: string[];
  rows: { scenario: string; backend: string; cells: Record<string, { status: FaultCell; detail?: string }> }[];
}

export const faultCell = (o: CheckOutcome): FaultCell =>
  o.status === 'pass'
    ? 'detected'
    : o.status === 'not-applicable'
      ? 'not-applicable'
      : o.status === 'skipped'
        ? 'not run'
        : o.reason?.startsWith('UNDETECTED')
          ? 'UNDETECTED'
          : 'error';

export function faultMatrix(outcomes: CheckOutcome[]): FaultMatrix {
  const faults: string[] = [];
  const rows = new Map<string, FaultMatrix['rows'][number]>();
  for (const o of outcomes) {
    if (!o.check.startsWith('fault ')) continue;
    const fault = o.check.slice('fault '.length);
    if (!faults.includes(fault)) faults.push(fault);
    const key = `${o.scenario} · ${o.configuration.backend}`;
    const row = rows.get(key) ?? { scenario: o.scenario, backend: o.configuration.backend, cells: {} };
    rows.set(key, row);
    const detail = o.reason ?? o.detail;
    row.cells[fault] = { status: faultCell(o), ...(detail ? { detail } : {}) };
  }
  return { faults, rows: [...rows.values()] };
}
