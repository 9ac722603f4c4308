// The failing cells of the HTML run report: per failure, the reason, the statistics of every output,
// the differing values side by side, and the obtained outputs file that `accept` would promote.
import type { CompareOutcome, Mismatch } from '../compare/compare-tensors.ts';
import { outcomeId, type CheckOutcome } from '../checks/outcome.ts';
import { shortestFloat32 } from '../golden/tensor-codec.ts';
import { escapeHtml as e } from './html-escape.ts';
import { drift, failureText, toleranceOf } from './outcome-figures.ts';

export const sci = (v: number | undefined): string =>
  v === undefined ? '' : v === 0 ? '0' : Number.isFinite(v) ? v.toExponential(2) : String(v);

/** An anchor for an outcome, so a grid cell links to its details. */
export const anchorOf = (o: CheckOutcome): string => `f-${outcomeId(o).replace(/[^A-Za-z0-9_-]+/g, '-')}`;

function statsTable(comparisons: Record<string, CompareOutcome>): string {
  const rows = Object.entries(comparisons).map(([k, c]) => {
    if (!('stats' in c)) return `<tr class="fail"><td>${e(k)}</td><td colspan="6">${e(c.message)}</td></tr>`;
    const s = c.stats;
    const t = 'tolerance' in c ? `atol ${c.tolerance.atol}, rtol ${c.tolerance.rtol}` : 'within';
    return `<tr class="${c.ok ? 'pass' : 'fail'}"><td>${e(k)}</td><td>${s.mismatches} / ${s.total}</td><td>${sci(s.maxAbsError)}</td><td>${sci(s.meanAbsError)}</td><td>${sci(s.maxRelError)}</td><td>${sci(s.meanRelError)}</td><td>${e(t)}</td></tr>`;
  });
  return `<table class="stats"><tr><th>output</th><th>differing values</th><th>max abs</th><th>mean abs</th><th>max rel</th><th>mean rel</th><th>tolerance</th></tr>${rows.join('')}</table>`;
}

// Comparisons keep the first differing values; shown largest difference first. A `worst` list,
// where a comparison keeps one, is used instead.
function valuesTable(comparisons: Record<string, CompareOutcome>): string {
  const rows: string[] = [];
  let partial = false;
  for (const [k, c] of Object.entries(comparisons)) {
    if (!('stats' in c) || c.ok) continue;
    const worst = (c.stats as { worst?: Mismatch[] }).worst;
    const list = [...(worst ?? c.stats.first)].sort((a, b) => Math.abs(b.actual - b.expected) - Math.abs(a.actual - a.expected));
    if (!worst && c.stats.mismatches > list.length) partial = true;
    for (const m of list)
      rows.push(
        `<tr><td>${e(k)}</td><td>[${m.index.join(', ')}]</td><td>${m.actualBits ? shortestFloat32(m.actual) : m.actual}${m.actualBits ? ` <small>${m.actualBits}</small>` : ''}</td><td>${m.expectedBits ? shortestFloat32(m.expected) : m.expected}${m.expectedBits ? ` <small>${m.expectedBits}</small>` : ''}</td><td>${sci(Math.abs(m.actual - m.expected))}</td></tr>`,
      );
  }
  if (!rows.length) return '';
  const caption = partial
    ? 'Differing values (the first ones the comparison kept, largest difference first)'
    : 'Differing values, largest difference first';
  return `<table class="values"><caption>${caption}</caption><tr><th>output</th><th>index</th><th>obtained</th><th>expected</th><th>|difference|</th></tr>${rows.join('')}</table>`;
}

function obtainedNote(o: CheckOutcome): string {
  if (!o.obtained) return '';
  const accept =
    o.check === 'replay'
      ? `If the new values are right, promote them with <code>npx tfjs-repro accept ${e(o.scenario)}</code> (after <code>npx tfjs-repro review ${e(o.scenario)}</code>).`
      : `An ${e(o.check)} failure is not fixed by changing a golden: the file is there to compare.`;
  return `<p class="obtained">Obtained outputs: <code>${e(o.obtained)}</code>. ${accept}</p>`;
}

export function failureDetailsHtml(failures: CheckOutcome[]): string {
  if (!failures.length) return '<p>none</p>';
  return failures
    .map(
      (
        o,
      ) => `<section class="failure" id="${anchorOf(o)}"><h3>${e(outcomeId(o))} <small>drift ${sci(drift(o)) || '–'} · tolerance ${e(toleranceOf(o))}</small></h3>
<pre>${e(failureText(o))}</pre>${obtainedNote(o)}${o.comparisons ? statsTable(o.comparisons) + valuesTable(o.comparisons) : ''}</section>`,
    )
    .join('\n');
}
