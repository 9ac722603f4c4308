// The HTML report of a run (`run --html`, and `npm test`): one self-contained file, with no script or
// style from elsewhere, so it opens offline from a CI artifact. It holds every scenario ×
// configuration × check with its status and drift, the failing cells in detail, and the fault matrix.
import { configurationLabel, type CheckOutcome } from '../checks/outcome.ts';
import { faultMatrix, type FaultCell } from './fault-matrix.ts';
import { anchorOf, failureDetailsHtml, sci } from './failure-details-html.ts';
import { summarize } from './format-outcome.ts';
import { escapeHtml as e } from './html-escape.ts';
import { drift, worstFirst } from './outcome-figures.ts';

export interface RunHtmlOptions {
  title: string;
  runtime: string;
  outcomes: CheckOutcome[];
  shard?: string;
  skippedBackends?: { backend: string; reason: string }[];
  /** When the run ended; a parameter so the page is reproducible in tests. */
  date?: Date;
}

const countsText = (c: Record<CheckOutcome['status'], number>) =>
  `${c.fail} failed, ${c.pass} passed, ${c['not-applicable']} not applicable${c.skipped ? `, ${c.skipped} not run` : ''}`;

const statusClass: Record<CheckOutcome['status'], string> = { pass: 'pass', fail: 'fail', 'not-applicable': 'na', skipped: 'skipped' };
const mark: Record<CheckOutcome['status'], string> = { pass: '✔', fail: '✘', 'not-applicable': '–', skipped: '○' };

/** Per scenario, a table of its checks (rows) × configurations (columns). */
function checksGrid(outcomes: CheckOutcome[]): string {
  const scenarios = [...new Set(outcomes.map((o) => o.scenario))];
  return scenarios
    .map((name) => {
      const mine = outcomes.filter((o) => o.scenario === name);
      const configs = [...new Set(mine.map((o) => configurationLabel(o.configuration)))];
      const checks = [...new Set(mine.map((o) => o.check))];
      const failed = mine.some((o) => o.status === 'fail');
      const rows = checks.map((check) => {
        const cells = configs.map((c) => {
          const o = mine.find((x) => x.check === check && configurationLabel(x.configuration) === c);
          if (!o) return '<td class="none"></td>';
          const d = drift(o);
          const text = `${mark[o.status]}${d === undefined ? '' : ` ${sci(d)}`}`;
          const why = e([o.status, o.reason ?? o.note ?? o.detail ?? ''].filter(Boolean).join(': '));
          return `<td class="${statusClass[o.status]}" title="${why}">${o.status === 'fail' ? `<a href="#${anchorOf(o)}">${text}</a>` : text}</td>`;
        });
        return `<tr class="${mine.some((o) => o.check === check && o.status === 'fail') ? 'has-fail' : 'ok'}"><th>${e(check)}</th>${cells.join('')}</tr>`;
      });
      return `<details class="scenario ${failed ? 'has-fail' : 'ok'}"${failed ? ' open' : ''}><summary>${failed ? '✘' : '✔'} ${e(name)} <small>${e(countsText(summarize(mine)))}</small></summary>
<table class="grid"><tr><th>check</th>${configs.map((c) => `<th>${e(c)}</th>`).join('')}</tr>${rows.join('')}</table></details>`;
    })
    .join('\n');
}

const faultClass: Record<FaultCell, string> = {
  detected: 'pass',
  'not-applicable': 'na',
  UNDETECTED: 'fail',
  error: 'fail',
  'not run': 'skipped',
};

function faultTable(outcomes: CheckOutcome[]): string {
  const m = faultMatrix(outcomes);
  if (!m.rows.length) return '<p>No fault checks in this run.</p>';
  const rows = m.rows.map(
    (r) =>
      `<tr><th>${e(`${r.scenario} · ${r.backend}`)}</th>${m.faults
        .map((f) => {
          const c = r.cells[f];
          return c
            ? `<td class="${faultClass[c.status]}" title="${e(c.detail ?? '')}">${c.status === 'not-applicable' ? '–' : c.status}</td>`
            : '<td class="none"></td>';
        })
        .join('')}</tr>`,
  );
  return `<table class="faults"><tr><th>scenario · backend</th>${m.faults.map((f) => `<th>${e(f)}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

const style = `body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:6px 0 14px}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;white-space:nowrap}td a{color:inherit}
.pass{background:#d9f0d3}.fail{background:#f4a9a0}.na{background:#eee;color:#666}.skipped{background:#fde7b0}.none{background:#fff}
pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}.failure{border-left:4px solid #d73027;padding-left:12px;margin:12px 0}
details.scenario{margin:4px 0}summary{cursor:pointer;font-weight:600}body.failures-only .ok{display:none}caption{text-align:left;font-weight:600}`;

export function runHtml(o: RunHtmlOptions): string {
  const counts = summarize(o.outcomes);
  const failures = worstFirst(o.outcomes);
  const skipped = (o.skippedBackends ?? []).map((s) => `<li>backend ${e(s.backend)} skipped: ${e(s.reason)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(o.title)}</title><style>${style}</style></head>
<body><h1>${e(o.title)}</h1>
<p>${e(o.runtime)}${o.shard ? ` · shard ${e(o.shard)}` : ''} · ${e((o.date ?? new Date()).toISOString())}</p>
<p id="counts"><span class="fail">${counts.fail} failed</span> <span class="pass">${counts.pass} passed</span> <span class="na">${counts['not-applicable']} not applicable</span> <span class="skipped">${counts.skipped} not run</span></p>
${skipped ? `<ul>${skipped}</ul>` : ''}
<label><input type="checkbox" id="failures-only"> show only scenarios and checks that failed</label>
<h2>Failing cells (${failures.length})</h2>
${failureDetailsHtml(failures)}
<h2>Every check</h2>
<p>Each cell: ✔ pass, ✘ fail, – not applicable, ○ not run, and the drift (the max abs error over the outputs) where values were compared. Hover for the reason; a failing cell links to its details.</p>
${checksGrid(o.outcomes)}
<h2>Fault matrix</h2>
<p>Each known failure mode injected into the golden: detected, – (does not apply), UNDETECTED, or an error.</p>
${faultTable(o.outcomes)}
<script>
document.getElementById('failures-only').addEventListener('change', (ev) => document.body.classList.toggle('failures-only', ev.target.checked));
window.reportReady = true;
</script></body></html>
`;
}
