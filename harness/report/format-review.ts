// The text `review` prints for one obtained file: provenance of both sides, statistics per output and
// the worst differing values side by side.
import { shortestFloat32 } from '../golden/tensor-codec.ts';
import type { AcceptOutcome } from '../workflow/accept-obtained.ts';
import type { OutputDifference, ReviewItem } from '../workflow/obtained-review.ts';

const num = (v: number): string => (!Number.isFinite(v) || v === 0 ? String(v) : String(Number(v.toPrecision(4))));
const value = (v: number): string => String(shortestFloat32(v));

function formatDifference(d: OutputDifference): string[] {
  if (d.problem) return [`  ${d.output}: ${d.problem}`];
  if (!d.mismatches) return [`  ${d.output}: all ${d.total} values equal the golden's`];
  const rows = d.worst.map((w) => [`[${w.index.join(',')}]`, value(w.golden), value(w.obtained), num(w.absError)]);
  const table = [['index', 'golden', 'obtained', 'abs error'], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return [
    `  ${d.output}: ${d.mismatches} of ${d.total} values differ; max abs error ${num(d.maxAbsError)}, mean abs error ${num(d.meanAbsError)}, max rel error ${num(d.maxRelError)}`,
    ...table.map((r) => `      ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd()),
    ...(d.mismatches > d.worst.length ? [`      … ${d.mismatches - d.worst.length} more differ less`] : []),
  ];
}

/** The review of one item; `verdict` says whether `accept` would take it, and why not. */
export function formatReview(item: ReviewItem, verdict?: Pick<AcceptOutcome, 'status' | 'reason'>): string {
  const lines = [`${item.scenario} on ${item.backend} — ${item.file}`];
  if (item.error && !item.obtained) return [...lines, `  cannot be read: ${item.error}`].join('\n');
  const o = item.obtained;
  lines.push(`  obtained ${o.recorded} by ${o.checks.join(', ')} (${o.format}), tfjs ${o.tfjs}, node ${o.node}, ${o.platform}`);
  if (item.golden)
    lines.push(`  golden   ${item.golden.recorded}, tfjs ${item.golden.tfjs}, node ${item.golden.node}, ${item.golden.platform}`);
  else lines.push(`  golden   ${item.probes ? `has no outputs for ${item.backend}` : 'missing'}`);
  for (const d of item.differences) lines.push(...formatDifference(d));
  if (!verdict) lines.push(`  → accept with: npx tfjs-repro accept ${item.scenario} -b ${item.backend}`);
  else lines.push(`  → ${verdict.status === 'refused' ? 'refused' : 'not acceptable'}: ${verdict.reason}`);
  return lines.join('\n');
}
