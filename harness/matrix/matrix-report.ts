// The cross-version drift report: one cell per scenario × tfjs version × backend × check.
import semver from 'semver';
import type { CheckOutcome } from '../checks/outcome.ts';
import type { KnownDrift } from '../scenario/define-scenario.ts';

export interface MatrixCell {
  scenario: string;
  version: string;
  backend: string;
  check: string;
  status: CheckOutcome['status'] | 'expected';
  maxAbsError?: number;
  maxRelError?: number;
  mismatches?: number;
  total?: number;
  reason?: string;
}
export interface MatrixVersion {
  version: string;
  status: 'ran' | 'not-applicable';
  wasm: string | null;
  reason?: string;
  durationMs: number;
  cached?: boolean;
}
export interface MatrixResult {
  versions: MatrixVersion[];
  cells: MatrixCell[];
}

export function cellsFromOutcomes(version: string, outcomes: CheckOutcome[]): MatrixCell[] {
  return outcomes.map((o) => {
    const stats = Object.values(o.comparisons ?? {}).flatMap((c) => ('stats' in c ? [c.stats] : []));
    const worst = stats.length
      ? {
          maxAbsError: Math.max(...stats.map((s) => s.maxAbsError)),
          maxRelError: Math.max(...stats.map((s) => s.maxRelError)),
          mismatches: stats.reduce((n, s) => n + s.mismatches, 0),
          total: stats.reduce((n, s) => n + s.total, 0),
        }
      : {};
    return {
      scenario: o.scenario,
      version,
      backend: o.configuration.backend,
      check: o.check,
      status: o.status,
      ...worst,
      ...(o.reason ? { reason: o.reason.split('\n')[0] } : {}),
    };
  });
}

/** Joins the matrix results of several shards; a cell present twice is an error naming both files. */
export function mergeMatrices(files: { name: string; result: MatrixResult }[]): MatrixResult {
  const seen = new Map<string, string>();
  const merged: MatrixResult = { versions: [], cells: [] };
  for (const { name, result } of files) {
    for (const c of result.cells) {
      const id = `${c.scenario} › ${c.version} · ${c.backend} › ${c.check}`;
      const other = seen.get(id);
      if (other) throw new Error(`${name}: cell "${id}" is also in ${other}; shards must not overlap`);
      seen.set(id, name);
      merged.cells.push(c);
    }
    for (const v of result.versions) if (!merged.versions.some((x) => x.version === v.version)) merged.versions.push(v);
  }
  merged.versions.sort((a, b) => semver.compare(a.version, b.version));
  return merged;
}

const fmt = (v: number | undefined) => (v === undefined ? '' : v === 0 ? '0' : v.toExponential(1));
const symbol: Record<MatrixCell['status'], string> = { pass: '✔', fail: '✘', 'not-applicable': '–', skipped: '○', expected: '≈' };

/**
 * Applies a scenario's declared known drift: a failing cell within the bound becomes expected; one
 * past the bound stays failed; a declared cell that now passes fails, so the declaration is removed.
 */
export function applyKnownDrift(cells: MatrixCell[], drift: Record<string, KnownDrift[] | undefined>): MatrixCell[] {
  return cells.map((c) => {
    const entry = (drift[c.scenario] ?? []).find(
      (d) =>
        semver.satisfies(c.version, d.tfjs) &&
        (d.backend === undefined || d.backend === c.backend) &&
        (d.check === undefined || d.check === c.check),
    );
    if (!entry) return c;
    const declared = `known drift on tfjs ${entry.tfjs}: ${entry.reason}`;
    if (c.status === 'pass') return { ...c, status: 'fail', reason: `${declared} — but it no longer drifts; remove this knownDrift entry` };
    if (c.status === 'fail' && c.maxAbsError !== undefined && c.maxAbsError <= entry.maxAbsError)
      return { ...c, status: 'expected', reason: declared };
    if (c.status === 'fail')
      return { ...c, reason: `${c.reason ?? ''}; ${declared} — the drift grew past the declared ${entry.maxAbsError}` };
    return c;
  });
}

/** A compact Markdown table for a CI job summary: rows scenario · check, columns version · backend. */
export function matrixMarkdown(m: MatrixResult): string {
  const columns = [...new Set(m.cells.map((c) => `${c.version} · ${c.backend}`))].sort();
  const rows = [...new Set(m.cells.map((c) => `${c.scenario} · ${c.check}`))].sort();
  const lines = [
    '## tfjs cross-version drift',
    '',
    m.versions
      .map(
        (v) =>
          `- tfjs ${v.version}: ${v.status === 'ran' ? `ran in ${(v.durationMs / 1000).toFixed(1)} s${v.cached ? ' (cached install)' : ''}${v.wasm ? '' : '; no wasm backend'}` : `not applicable — ${v.reason}`}`,
      )
      .join('\n'),
    '',
    `| scenario · check | ${columns.join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
  ];
  for (const row of rows) {
    const cells = columns.map((col) => {
      const c = m.cells.find((x) => `${x.scenario} · ${x.check}` === row && `${x.version} · ${x.backend}` === col);
      return c ? `${symbol[c.status]} ${fmt(c.maxAbsError)}`.trim() : '';
    });
    lines.push(`| ${row} | ${cells.join(' | ')} |`);
  }
  const failing = m.cells.filter((c) => c.status === 'fail');
  const expected = m.cells.filter((c) => c.status === 'expected');
  lines.push(
    '',
    `${m.cells.filter((c) => c.status === 'pass').length} passed, ${failing.length} failed, ${expected.length} expected (known drift), ${m.cells.filter((c) => c.status === 'not-applicable').length} not applicable. Figures are the max absolute error against the goldens.`,
  );
  if (expected.length)
    lines.push(
      '',
      '### Known drift',
      '',
      ...expected.map(
        (c) => `- ${c.scenario} · ${c.check} on tfjs ${c.version} · ${c.backend}: max abs ${fmt(c.maxAbsError)} — ${c.reason}`,
      ),
    );
  if (failing.length)
    lines.push(
      '',
      '### Failing cells',
      '',
      ...failing.map(
        (c) =>
          `- **${c.scenario} · ${c.check}** on tfjs ${c.version} · ${c.backend}: ${c.reason ?? ''}${c.maxAbsError !== undefined ? ` (max abs ${fmt(c.maxAbsError)}, ${c.mismatches}/${c.total} values)` : ''}`,
      ),
    );
  return lines.join('\n') + '\n';
}
