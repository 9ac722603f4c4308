// The `columns` option: a step sees only some indices of the last axis (what a scikit-learn
// ColumnTransformer entry maps onto); the other features pass through unchanged.
import type { Value } from '../types/example.ts';

/** Applies fn to every innermost vector (the last axis); a scalar row is a vector of one. */
export function mapVectors(v: Value, fn: (features: Value[]) => Value[]): Value {
  if (!Array.isArray(v)) return fn([v]);
  if (v.length === 0 || !Array.isArray(v[0])) return fn(v);
  return v.map((c) => mapVectors(c, fn));
}

function checkColumns(columns: number[], width: number, kind: string): void {
  for (const c of columns) {
    if (!Number.isInteger(c) || c < 0 || c >= width) {
      throw new Error(`${kind}: options.columns must hold indices into the last axis (0 to ${width - 1}); got ${c}`);
    }
  }
}

export function selectColumns(rows: Value[], columns: number[], kind: string): Value[] {
  return rows.map((r) =>
    mapVectors(r, (f) => {
      checkColumns(columns, f.length, kind);
      return columns.map((c) => f[c]!);
    }),
  );
}

/**
 * Puts the transformed columns back. Same width: each in its place. Another width (one-hot): the
 * step's output goes where the first selected column was, and the other features keep their order.
 */
export function mergeColumns(rows: Value[], transformed: Value[], columns: number[]): Value[] {
  const selected = new Set(columns);
  const first = Math.min(...columns);
  const merge = (raw: Value, out: Value): Value => {
    if (Array.isArray(raw) && raw.length && Array.isArray(raw[0])) return raw.map((c, i) => merge(c, (out as Value[])[i]!));
    const f = Array.isArray(raw) ? raw : [raw];
    const t = Array.isArray(out) ? out : [out];
    if (t.length === columns.length) {
      const copy = [...f];
      columns.forEach((c, j) => {
        copy[c] = t[j]!;
      });
      return Array.isArray(raw) ? copy : copy[0]!;
    }
    return f.flatMap((v, i) => (i === first ? t : selected.has(i) ? [] : [v]));
  };
  return rows.map((r, i) => merge(r, transformed[i]!));
}
