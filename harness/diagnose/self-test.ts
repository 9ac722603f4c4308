// Proof that diagnose works: each prediction-changing fault of the catalog is injected into each
// scenario's golden, its predictions are fed back as obtained outputs, and the injected cause must rank
// first (or be part of a declared tie). The result is a confusion matrix: injected × diagnosed.
import { faultNames, faultPredictions, type FaultName } from '../checks/faults.ts';
import { NotApplicable } from '../checks/model-ops.ts';
import type { ScenarioContext } from '../checks/scenario-context.ts';
import type { BackendName } from '../runtime/backends.ts';
import { scenarioTable, type DiagnoseOptions } from './diagnose.ts';
import { rankHypotheses } from './rank-hypotheses.ts';

/** Faults that change predictions; custom-object-missing fails the load and input-dtype is caught by the input contract. */
export const diagnosableFaults: FaultName[] = faultNames.filter((f) => f !== 'custom-object-missing' && f !== 'input-dtype');

export interface SelfTestCell {
  scenario: string;
  fault: FaultName;
  /** first: the injected cause ranks first; tie: it is tied with the first; wrong: another cause ranks first. */
  status: 'first' | 'tie' | 'wrong' | 'not-applicable';
  /** The family of the cause ranked first ('unexplained' when none reproduces). */
  diagnosed?: string;
  label?: string;
  ties?: string[];
  advice?: string;
  reason?: string;
}

export async function selfTestScenario(
  ctx: ScenarioContext,
  backend: BackendName,
  faults: FaultName[] = diagnosableFaults,
  o: DiagnoseOptions = {},
): Promise<SelfTestCell[]> {
  const table = await scenarioTable(ctx, { ...o, base: backend });
  const cells: SelfTestCell[] = [];
  for (const fault of faults) {
    const at = { scenario: ctx.scenario.name, fault };
    let obtained;
    try {
      obtained = await faultPredictions(ctx, backend, fault);
    } catch (err) {
      if (!(err instanceof NotApplicable)) throw err;
      cells.push({ ...at, status: 'not-applicable', reason: err.message });
      continue;
    }
    const v = rankHypotheses(table, obtained, ctx.scenario.definition.tolerance).verdict;
    if (v.kind !== 'reproduced') {
      const label = v.kind === 'golden' ? v.best.hypothesis.label : v.closest[0]?.hypothesis.label;
      cells.push({ ...at, status: 'wrong', diagnosed: v.kind === 'golden' ? 'none' : 'unexplained', ...(label ? { label } : {}) });
      continue;
    }
    const ties = v.ties.map((t) => t.hypothesis.family);
    const status = v.best.hypothesis.family === fault ? 'first' : ties.includes(fault) ? 'tie' : 'wrong';
    cells.push({
      ...at,
      status,
      diagnosed: v.best.hypothesis.family,
      label: v.best.hypothesis.label,
      ...(v.ties.length ? { ties: v.ties.map((t) => t.hypothesis.label) } : {}),
      ...(v.advice ? { advice: v.advice } : {}),
    });
  }
  return cells;
}

/** Rows: injected fault; columns: the cause diagnosed first; then every cell that is a tie or wrong. */
export function formatConfusion(cells: SelfTestCell[]): string {
  const judged = cells.filter((c) => c.status !== 'not-applicable');
  const columns = [...new Set([...diagnosableFaults, ...judged.map((c) => c.diagnosed!)])].filter((c) =>
    judged.some((j) => j.diagnosed === c),
  );
  const rows = diagnosableFaults.filter((f) => judged.some((c) => c.fault === f));
  const width = Math.max(...rows.map((r) => r.length), 'injected \\ diagnosed'.length);
  const lines = [`${'injected \\ diagnosed'.padEnd(width)}  ${columns.join('  ')}`];
  for (const r of rows) {
    const cellsOf = judged.filter((c) => c.fault === r);
    lines.push(
      `${r.padEnd(width)}  ${columns.map((c) => String(cellsOf.filter((x) => x.diagnosed === c).length || '·').padStart(c.length)).join('  ')}`,
    );
  }
  const count = (s: SelfTestCell['status']) => cells.filter((c) => c.status === s).length;
  lines.push(
    '',
    `${judged.length} scenario × fault cells: ${count('first')} injected cause first, ${count('tie')} declared ties, ${count('wrong')} wrong; ${count('not-applicable')} not applicable`,
  );
  for (const c of judged.filter((x) => x.status !== 'first'))
    lines.push(
      `  ${c.status === 'tie' ? 'tie' : 'WRONG'} ${c.scenario} · ${c.fault}: first ${c.label ?? c.diagnosed}${c.ties ? `; tied with ${c.ties.join('; ')}` : ''}${c.advice ? ` (${c.advice})` : ''}`,
    );
  return lines.join('\n');
}
