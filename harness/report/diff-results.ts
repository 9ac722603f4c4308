import { outcomeId, type CheckOutcome } from '../checks/outcome.ts';
import type { ResultFile } from './result-file.ts';

export interface ResultChange {
  id: string;
  before?: CheckOutcome['status'];
  after?: CheckOutcome['status'];
  /** The largest max-abs-error over the check's outputs, before and after, when both compared values. */
  maxAbsError?: { before: number; after: number };
}

const worstError = (o: CheckOutcome): number | undefined => {
  const errors = Object.values(o.comparisons ?? {}).flatMap((c) => ('stats' in c ? [c.stats.maxAbsError] : []));
  return errors.length ? Math.max(...errors) : undefined;
};

/** What changed between two runs: checks added, removed, with another status or another error. */
export function diffResults(a: ResultFile, b: ResultFile): ResultChange[] {
  const before = new Map(a.outcomes.map((o) => [outcomeId(o), o]));
  const after = new Map(b.outcomes.map((o) => [outcomeId(o), o]));
  const changes: ResultChange[] = [];
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const x = before.get(id);
    const y = after.get(id);
    const ex = x && worstError(x);
    const ey = y && worstError(y);
    const errorChanged = ex !== undefined && ey !== undefined && ex !== ey;
    if (x?.status === y?.status && !errorChanged) continue;
    changes.push({
      id,
      ...(x ? { before: x.status } : {}),
      ...(y ? { after: y.status } : {}),
      ...(errorChanged ? { maxAbsError: { before: ex, after: ey } } : {}),
    });
  }
  return changes;
}
