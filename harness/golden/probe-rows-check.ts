// probes.json rows are Examples (harness/types/example.ts): a number, a string or nested arrays of
// them, or a record of those per input name. Every row must have the structure of the first (the
// same names, the same shape of numbers), since all rows feed one model input.
import type { JsonPath } from './strict-json-parse.ts';

export interface RowProblem {
  path: JsonPath;
  message: string;
}
/** 'number', 'string', or the shape of a rectangular array, e.g. '[3,2] of number'. */
type Kind = string;
const MAX_DEPTH = 16;

class Problem extends Error {
  constructor(
    readonly path: JsonPath,
    message: string,
  ) {
    super(message);
  }
}

function kindOf(v: unknown, path: JsonPath): Kind {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Problem(path, `must be a finite number, found ${v}`);
    return 'number';
  }
  if (typeof v === 'string') return 'string';
  if (!Array.isArray(v)) throw new Problem(path, `must be a number or string, or an array of them, found ${describe(v)}`);
  if (path.length > MAX_DEPTH) throw new Problem(path, `must be nested at most ${MAX_DEPTH} arrays deep`);
  if (!v.length) return '[0] of nothing';
  const first = kindOf(v[0], [...path, 0]);
  for (let i = 1; i < v.length; i++) {
    const k = kindOf(v[i], [...path, i]);
    if (k !== first)
      throw new Problem(
        [...path, i],
        `must have the shape and type of ${formatPath([...path, 0])} (${first}), found ${k}; rows must be rectangular`,
      );
  }
  const [, dims, base] = /^\[([\d,]*)\] of (.*)$/.exec(first) ?? [undefined, '', first];
  return `[${[v.length, ...(dims ? dims.split(',') : [])].join(',')}] of ${base}`;
}

function rowKind(row: unknown, path: JsonPath): Kind {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return kindOf(row, path);
  const names = Object.keys(row).sort();
  if (!names.length) throw new Problem(path, 'must name at least one input');
  return `{${names.map((n) => `${JSON.stringify(n)}: ${kindOf((row as Record<string, unknown>)[n], [...path, n])}`).join(', ')}}`;
}

const describe = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
const formatPath = (path: JsonPath) => path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join('');

/** The first problem of probes.json's `inputs`, with its path (starting at `inputs`), or undefined if the rows are fine. */
export function checkProbeRows(rows: unknown): RowProblem | undefined {
  try {
    if (!Array.isArray(rows)) return { path: ['inputs'], message: `must be an array of probe rows, found ${describe(rows)}` };
    if (!rows.length) return { path: ['inputs'], message: 'must hold at least one probe row' };
    const first = rowKind(rows[0], ['inputs', 0]);
    for (let i = 1; i < rows.length; i++) {
      const k = rowKind(rows[i], ['inputs', i]);
      if (k !== first) return { path: ['inputs', i], message: `must have the structure of inputs[0] (${first}), found ${k}` };
    }
    return undefined;
  } catch (err) {
    if (err instanceof Problem) return { path: err.path, message: err.message };
    throw err;
  }
}
