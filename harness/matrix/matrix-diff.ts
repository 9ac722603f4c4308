// What changed between two matrix.json files (e.g. last night's and tonight's): cells added or
// removed, cells newly failing or fixed, and drift that grew or shrank on cells present in both.
import { readFile } from 'node:fs/promises';
import { cellId, type MatrixCell, type MatrixResult } from './matrix-report.ts';

export type MatrixChangeKind = 'added' | 'removed' | 'newly failing' | 'fixed' | 'status' | 'drift grown' | 'drift shrunk';
export interface MatrixChange {
  kind: MatrixChangeKind;
  id: string;
  before?: MatrixCell['status'];
  after?: MatrixCell['status'];
  maxAbsError?: { before?: number; after?: number };
}

const failing = (c: MatrixCell | undefined) => c?.status === 'fail';

// Outside --cross every cell replays the project's goldens, and matrix.json files written before
// cells carried recordedWith must still line up with today's.
const idIn = (m: MatrixResult) => (c: MatrixCell) => cellId(m.cross ? c : { ...c, recordedWith: undefined });

export function diffMatrices(a: MatrixResult, b: MatrixResult): MatrixChange[] {
  const before = new Map(a.cells.map((c) => [idIn(a)(c), c]));
  const after = new Map(b.cells.map((c) => [idIn(b)(c), c]));
  const changes: MatrixChange[] = [];
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }))) {
    const x = before.get(id);
    const y = after.get(id);
    const error = {
      ...(x?.maxAbsError !== undefined ? { before: x.maxAbsError } : {}),
      ...(y?.maxAbsError !== undefined ? { after: y.maxAbsError } : {}),
    };
    const base = {
      id,
      ...(x ? { before: x.status } : {}),
      ...(y ? { after: y.status } : {}),
      ...(Object.keys(error).length ? { maxAbsError: error } : {}),
    };
    if (!x) changes.push({ kind: failing(y) ? 'newly failing' : 'added', ...base });
    else if (!y) changes.push({ kind: 'removed', ...base });
    else if (!failing(x) && failing(y)) changes.push({ kind: 'newly failing', ...base });
    else if (failing(x) && !failing(y)) changes.push({ kind: 'fixed', ...base });
    else if (x.status !== y.status) changes.push({ kind: 'status', ...base });
    else if (error.before !== undefined && error.after !== undefined && error.before !== error.after)
      changes.push({ kind: error.after > error.before ? 'drift grown' : 'drift shrunk', ...base });
  }
  return changes;
}

const fmt = (v: number | undefined) => (v === undefined ? '–' : v === 0 ? '0' : v.toExponential(2));

export function formatMatrixChanges(changes: MatrixChange[]): string {
  if (!changes.length) return 'no changes\n';
  const kinds: MatrixChangeKind[] = ['newly failing', 'drift grown', 'fixed', 'drift shrunk', 'status', 'added', 'removed'];
  const lines: string[] = [];
  for (const kind of kinds) {
    const of = changes.filter((c) => c.kind === kind);
    if (!of.length) continue;
    lines.push(`${kind} (${of.length}):`);
    for (const c of of) {
      const status = c.before === c.after ? (c.after ?? '') : `${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`;
      const error = c.maxAbsError ? `  max abs error ${fmt(c.maxAbsError.before)} → ${fmt(c.maxAbsError.after)}` : '';
      lines.push(`  ${kind === 'newly failing' ? '✘' : '·'} ${c.id}: ${status}${error}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A matrix.json (versions and cells) rather than a run's result file, or undefined. */
export async function readMatrixFile(file: string): Promise<MatrixResult | undefined> {
  const text = await readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = parsed as Partial<MatrixResult> | null;
  return m && Array.isArray(m.cells) && Array.isArray(m.versions) ? (m as MatrixResult) : undefined;
}
