// The cross-version drift report: one cell per scenario × tfjs version × backend × check.
import semver from 'semver';
import type { CheckOutcome } from '../checks/outcome.ts';
import type { KnownDrift } from '../scenario/define-scenario.ts';

export interface MatrixCell {
  scenario: string;
  /** The tfjs version that saved the bundle and recorded the outputs compared with. */
  recordedWith?: string;
  /** The tfjs version that replayed (or retrained) it. */
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
  /** Why this version's tensorflow backend (its tfjs-node, built against the project's libtensorflow) is not usable. */
  native?: string;
}
export interface MatrixResult {
  /** Every version's bundles replayed by every version (`--cross`), not only the project's goldens. */
  cross?: boolean;
  versions: MatrixVersion[];
  cells: MatrixCell[];
}

// A backend a version cannot use (e.g. a tfjs-node release that does not build) is not applicable there, with the reason.
const unusable = /^backend (\S+) is not usable but \S+ requires it: /;

export function cellsFromOutcomes(version: string, outcomes: CheckOutcome[], recordedWith?: string): MatrixCell[] {
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
    const reason = o.reason?.split('\n')[0];
    const na = reason && unusable.test(reason);
    return {
      scenario: o.scenario,
      ...(recordedWith ? { recordedWith } : {}),
      version,
      backend: o.configuration.backend,
      check: o.check,
      status: na ? 'not-applicable' : o.status,
      ...worst,
      ...(reason ? { reason: na ? `tfjs ${version}: ${reason.replace(unusable, `backend $1 is not usable: `)}` : reason } : {}),
    };
  });
}

export const cellId = (c: MatrixCell): string =>
  `${c.scenario}${c.recordedWith ? ` · saved by ${c.recordedWith}` : ''} › ${c.version} · ${c.backend} › ${c.check}`;

/** Joins the matrix results of several shards; a cell present twice is an error naming both files. */
export function mergeMatrices(files: { name: string; result: MatrixResult }[]): MatrixResult {
  const seen = new Map<string, string>();
  const merged: MatrixResult = { versions: [], cells: [] };
  for (const { name, result } of files) {
    if (result.cross) merged.cross = true;
    for (const c of result.cells) {
      const id = cellId(c);
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

// Labels that embed versions sort by version (3.21.0 before 4.10.0 before 4.2.0 would mislead).
const byVersion = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
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
        (d.recordedWith === undefined || (c.recordedWith !== undefined && semver.satisfies(c.recordedWith, d.recordedWith))) &&
        (d.backend === undefined || d.backend === c.backend) &&
        (d.check === undefined || d.check === c.check),
    );
    if (!entry) return c;
    const declared = `known drift on tfjs ${entry.tfjs}${entry.recordedWith ? ` of bundles saved by ${entry.recordedWith}` : ''}: ${entry.reason}`;
    if (c.status === 'pass') return { ...c, status: 'fail', reason: `${declared} — but it no longer drifts; remove this knownDrift entry` };
    if (c.status === 'fail' && c.maxAbsError !== undefined && c.maxAbsError <= entry.maxAbsError)
      return { ...c, status: 'expected', reason: declared };
    if (c.status === 'fail')
      return { ...c, reason: `${c.reason ?? ''}; ${declared} — the drift grew past the declared ${entry.maxAbsError}` };
    return c;
  });
}

/** A grid row: scenario · check, and in a cross run the version that saved the bundle. */
export const rowOf = (c: MatrixCell, cross?: boolean): string =>
  `${c.scenario} · ${c.check}${cross ? ` · saved by ${c.recordedWith ?? '?'}` : ''}`;
export const columnOf = (c: MatrixCell): string => `${c.version} · ${c.backend}`;

/**
 * A compact Markdown table for a CI job summary: rows scenario · check (· saved by, in a cross run),
 * columns the replaying version · backend; so a cross run reads as recorded-by × replayed-by per scenario and backend.
 */
export function matrixMarkdown(m: MatrixResult): string {
  const columns = [...new Set(m.cells.map(columnOf))].sort(byVersion);
  const rows = [...new Set(m.cells.map((c) => rowOf(c, m.cross)))].sort(byVersion);
  const lines = [
    '## tfjs cross-version drift',
    '',
    m.versions
      .map(
        (v) =>
          `- tfjs ${v.version}: ${v.status === 'ran' ? `ran in ${(v.durationMs / 1000).toFixed(1)} s${v.cached ? ' (cached install)' : ''}${v.wasm ? '' : '; no wasm backend'}${v.native ? `; tensorflow backend not usable: ${v.native}` : ''}` : `not applicable — ${v.reason}`}`,
      )
      .join('\n'),
    '',
    `| scenario · check${m.cross ? ' · saved by' : ''} | ${columns.map((c) => (m.cross ? `replayed by ${c}` : c)).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
  ];
  for (const row of rows) {
    const cells = columns.map((col) => {
      const c = m.cells.find((x) => rowOf(x, m.cross) === row && columnOf(x) === col);
      return c ? `${symbol[c.status]} ${fmt(c.maxAbsError)}`.trim() : '';
    });
    lines.push(`| ${row} | ${cells.join(' | ')} |`);
  }
  const failing = m.cells.filter((c) => c.status === 'fail');
  const expected = m.cells.filter((c) => c.status === 'expected');
  lines.push(
    '',
    `${m.cells.filter((c) => c.status === 'pass').length} passed, ${failing.length} failed, ${expected.length} expected (known drift), ${m.cells.filter((c) => c.status === 'not-applicable').length} not applicable. Figures are the max absolute error against ${m.cross ? 'the outputs recorded by the version that saved the bundle' : 'the goldens'}.`,
  );
  if (expected.length)
    lines.push(
      '',
      '### Known drift',
      '',
      ...expected.map((c) => `- ${rowOf(c, m.cross)} on tfjs ${c.version} · ${c.backend}: max abs ${fmt(c.maxAbsError)} — ${c.reason}`),
    );
  if (failing.length)
    lines.push(
      '',
      '### Failing cells',
      '',
      ...failing.map(
        (c) =>
          `- **${rowOf(c, m.cross)}** on tfjs ${c.version} · ${c.backend}: ${c.reason ?? ''}${c.maxAbsError !== undefined ? ` (max abs ${fmt(c.maxAbsError)}, ${c.mismatches}/${c.total} values)` : ''}`,
      ),
    );
  return lines.join('\n') + '\n';
}
