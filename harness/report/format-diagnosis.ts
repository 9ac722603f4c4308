// The verdict and the ranking as text for the CLI; `--json` prints the outcome itself.
import type { DiagnoseOutcome, Ranked, Verdict } from '../diagnose/rank-hypotheses.ts';

const num = (v: number) => (v === 0 ? '0' : Number.isFinite(v) ? v.toExponential(2) : String(v));
const pct = (v: number) => `${Math.floor(v * 1000) / 10}%`;

export function describeDistance(r: Ranked): string {
  const d = r.distance;
  return d.exact ? 'bit-exact' : `max abs ${num(d.maxAbsError)}, max rel ${num(d.maxRelError)}, ${pct(d.within)} within tolerance`;
}

/** One line: the verdict ("most likely: …"), for a failed run's hint and the first line of the report. */
export function verdictLine(v: Verdict): string {
  if (v.kind === 'golden') return `these are the golden bundle's own predictions on ${v.best.hypothesis.backend}: nothing known is wrong`;
  if (v.kind === 'unexplained')
    return `no known cause reproduces these predictions; closest: ${v.closest.map((r) => `${r.hypothesis.label} (${describeDistance(r)})`).join('; ')}`;
  const how = v.best.distance.exact
    ? 'reproduces them exactly (bit-exact)'
    : `reproduces them within tolerance (${describeDistance(v.best)})`;
  const tie = v.ties.length ? `; tied with ${v.ties.map((r) => r.hypothesis.label).join('; ')}` : '';
  return `most likely: ${v.best.hypothesis.label} — ${how}${tie}`;
}

export function formatDiagnosis(o: DiagnoseOutcome, header: string, top = 8): string {
  const v = o.verdict;
  const lines = [header, verdictLine(v)];
  if (v.kind === 'reproduced') {
    lines.push(`fix: ${v.best.hypothesis.fix}`);
    for (const t of v.ties) lines.push(`  or (tied) ${t.hypothesis.label}: ${t.hypothesis.fix}`);
    if (v.advice) lines.push(`to separate them: ${v.advice}`);
  }
  if (v.kind === 'unexplained')
    lines.push(
      `changed weights are the residual explanation: compare the weight files with the golden bundle's manifest.json, and run \`npx tfjs-repro explain ${o.scenario} --backend <backend>\` to find the first layer that differs`,
    );
  // Pairs that only add an environment to the cause found say nothing new.
  const shown = o.ranked.filter((r) => !(v.kind === 'reproduced' && r.hypothesis.pair && r.hypothesis.cause === v.best.hypothesis.cause));
  lines.push(`closest hypotheses (of ${o.ranked.length}):`);
  shown.slice(0, top).forEach((r, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${r.hypothesis.label}: ${describeDistance(r)}`));
  if (o.unavailable.length) {
    lines.push('not computed here:');
    for (const u of o.unavailable) lines.push(`  ${u.label}: ${u.reason}`);
  }
  return lines.join('\n');
}
