import type { CompareOutcome } from '../compare/compare-tensors.ts';
import { shortestFloat32 } from '../golden/tensor-codec.ts';
import { outcomeId, type CheckOutcome } from '../checks/outcome.ts';

const num = (v: number): string => {
  if (!Number.isFinite(v) || v === 0) return String(v);
  return Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
};

export function formatComparison(output: string, c: CompareOutcome): string {
  if (c.ok) return `${output}: ${c.stats.total} values match (max abs error ${num(c.stats.maxAbsError)})`;
  if (c.reason !== 'values') return `${output}: ${c.message}`;
  const s = c.stats;
  const lines = [
    `${output}: ${s.mismatches} of ${s.total} values differ beyond atol=${c.tolerance.atol} rtol=${c.tolerance.rtol}`,
    `  max abs error ${num(s.maxAbsError)}, mean abs error ${num(s.meanAbsError)}, max rel error ${num(s.maxRelError)}, mean rel error ${num(s.meanRelError)}`,
    ...s.first.map((m) =>
      c.tolerance && m.actualBits
        ? `  at [${m.index}]: got ${shortestFloat32(m.actual)} (${m.actualBits}), expected ${shortestFloat32(m.expected)} (${m.expectedBits})`
        : `  at [${m.index}]: got ${m.actual}, expected ${m.expected}`,
    ),
  ];
  if (s.mismatches > s.first.length) lines.push(`  … and ${s.mismatches - s.first.length} more`);
  return lines.join('\n');
}

/** The full text of a failed, skipped or not-applicable outcome. */
export function formatOutcome(o: CheckOutcome): string {
  const lines = [`${outcomeId(o)}: ${o.status}${o.reason ? ` — ${o.reason}` : ''}`];
  for (const [k, c] of Object.entries(o.comparisons ?? {})) if (!c.ok) lines.push(formatComparison(k, c));
  return lines.join('\n');
}

export function summarize(outcomes: CheckOutcome[]): Record<CheckOutcome['status'], number> {
  const counts = { pass: 0, fail: 0, 'not-applicable': 0, skipped: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}
