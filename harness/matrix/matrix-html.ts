// The drift report as one self-contained HTML page: an ECharts heatmap of the max error per
// scenario · check × version · backend (ECharts is inlined, so the page works offline), the
// tolerance as a colour boundary, and the details of every failing cell.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { toleranceLevels } from '../compare/tolerance.ts';
import { columnOf, rowOf, type MatrixCell, type MatrixResult } from './matrix-report.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside <script> must not be able to close the tag.
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * Heatmap values: log10 of the max abs error; bit-identical cells sit at -12, cells without figures
 * (not applicable, or failed before comparing) at -13, known drift at -14: each special value lies
 * outside every range piece, so a known-drift cell cannot be drawn "within tolerance".
 */
export function heatmapValue(c: MatrixCell): number {
  if (c.status === 'expected') return -14;
  if (c.maxAbsError === undefined) return -13;
  return c.maxAbsError === 0 ? -12 : Math.log10(c.maxAbsError);
}
export interface HeatmapPiece {
  value?: number;
  gt?: number;
  lte?: number;
  label: string;
  color: string;
}
/** The colour scale; the tolerance (log10 of the `version` atol) is the boundary between green and red. */
export function heatmapPieces(tolerance: number): HeatmapPiece[] {
  return [
    { value: -14, label: 'expected: known drift', color: '#f0a30a' },
    { value: -13, label: 'not applicable or no figures', color: '#cccccc' },
    { value: -12, label: 'bit-identical', color: '#1a9850' },
    { gt: -12, lte: tolerance, label: 'within tolerance', color: '#a6d96a' },
    { gt: tolerance, label: 'beyond tolerance', color: '#d73027' },
  ];
}

export async function matrixHtml(m: MatrixResult): Promise<string> {
  const echarts = await readFile(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
  const byVersion = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  const columns = [...new Set(m.cells.map(columnOf))].sort(byVersion);
  const rows = [...new Set(m.cells.map((c) => rowOf(c, m.cross)))].sort(byVersion).reverse();
  const data = m.cells.map((c) => [
    columns.indexOf(columnOf(c)),
    rows.indexOf(rowOf(c, m.cross)),
    heatmapValue(c),
    c.status,
    c.maxAbsError ?? null,
    c.reason ?? '',
  ]);
  const tolerance = Math.log10(toleranceLevels.version.atol);
  const failing = m.cells.filter((c) => c.status === 'fail');
  const versions = m.versions
    .map(
      (v) =>
        `<li>tfjs ${escape(v.version)}: ${v.status === 'ran' ? `ran in ${(v.durationMs / 1000).toFixed(1)} s${v.wasm ? '' : ' (no wasm backend)'}` : `not applicable — ${escape(v.reason ?? '')}`}</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tfjs-repro cross-version drift</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}#heatmap{width:100%;height:${Math.max(320, rows.length * 28 + 140)}px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head>
<body><h1>tfjs cross-version drift</h1><ul>${versions}</ul>
${m.cross ? '<p>Rows: scenario · check · the tfjs version that saved the bundle; columns: the version that replayed it, and the backend.</p>' : ''}
<p>Colour: log<sub>10</sub> of the max absolute error against ${m.cross ? 'the outputs recorded by the saving version' : 'the goldens'}. Cells at or below the <code>version</code> tolerance
(atol ${toleranceLevels.version.atol}, the line between green and red in the scale) pass; an amber cell is known drift the scenario declares (its <code>knownDrift</code>); a grey cell has no figures: not applicable (hover for the reason) or failed before comparing.</p>
<div id="heatmap"></div>
<h2>Failing cells (${failing.length})</h2>
${failing.length ? `<table><tr><th>scenario · check</th><th>${m.cross ? 'replayed by' : 'version'} · backend</th><th>max abs</th><th>values</th><th>reason</th></tr>${failing.map((c) => `<tr><td>${escape(rowOf(c, m.cross))}</td><td>${escape(columnOf(c))}</td><td>${c.maxAbsError?.toExponential(2) ?? ''}</td><td>${c.mismatches ?? ''}/${c.total ?? ''}</td><td>${escape(c.reason ?? '')}</td></tr>`).join('')}</table>` : '<p>none</p>'}
<script>${echarts}</script>
<script>
const columns = ${scriptJson(columns)}, rows = ${scriptJson(rows)}, data = ${scriptJson(data)};
const chart = echarts.init(document.getElementById('heatmap'));
chart.on('finished', () => { window.heatmapRendered = true; });
chart.setOption({
  animation: false,
  tooltip: { formatter: (p) => rows[p.value[1]] + '<br>' + columns[p.value[0]] + '<br>' + p.value[3] + (p.value[4] === null ? '' : ' — max abs ' + p.value[4].toExponential(2)) + (p.value[5] ? '<br>' + p.value[5] : '') },
  grid: { left: 260, right: 40, top: 20, bottom: 110 },
  xAxis: { type: 'category', data: columns, axisLabel: { rotate: 30 } },
  yAxis: { type: 'category', data: rows },
  visualMap: { type: 'piecewise', orient: 'horizontal', left: 'center', bottom: 0, dimension: 2, pieces: ${scriptJson(heatmapPieces(tolerance))} },
  series: [{ type: 'heatmap', data, label: { show: true, formatter: (p) => p.value[3] === 'not-applicable' ? 'n/a' : p.value[4] === 0 ? '0' : p.value[4] === null ? p.value[3] : p.value[4].toExponential(1) } }],
});
</script></body></html>
`;
}
