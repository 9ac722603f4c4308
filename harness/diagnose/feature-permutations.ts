// Column-order mistakes as probe rows: every swap of two features of a numeric input, then every
// permutation where an input has few features (≤ 6, at most 719 orders), and the catalog's rotation.
import { isNamed, type Example, type Value } from '../types/example.ts';

export const MAX_PERMUTED_FEATURES = 6;

export interface FeatureOrder {
  /** The model input (named inputs), or undefined for a single input. */
  input: string | undefined;
  /** Position i of the permuted row holds feature order[i] of the right one. */
  order: number[];
  kind: 'swap' | 'permutation' | 'rotation';
}

const numericVector = (v: Value): boolean =>
  Array.isArray(v) && (Array.isArray(v[0]) ? numericVector(v[0]) : v.length >= 2 && v.every((x) => typeof x === 'number'));
const width = (v: Value): number => (Array.isArray((v as Value[])[0]) ? width((v as Value[])[0]!) : (v as Value[]).length);

function permute(v: Value, order: number[]): Value {
  const list = v as Value[];
  return Array.isArray(list[0]) ? list.map((c) => permute(c, order)) : order.map((i) => list[i]!);
}

function allOrders(n: number): number[][] {
  if (n === 1) return [[0]];
  return allOrders(n - 1).flatMap((o) => Array.from({ length: n }, (_, k) => [...o.slice(0, k), n - 1, ...o.slice(k)]));
}
const identity = (o: number[]) => o.every((v, i) => v === i);
const swapOf = (o: number[]) => o.filter((v, i) => v !== i).length === 2;

/** The permutable inputs of the probes with their feature count: numeric vectors of two or more features. */
export function permutableInputs(probes: Example[]): Array<{ input: string | undefined; features: number }> {
  const first = probes[0];
  if (first === undefined) return [];
  if (!isNamed(first)) return numericVector(first) ? [{ input: undefined, features: width(first) }] : [];
  return Object.keys(first)
    .filter((k) => numericVector(first[k]!))
    .map((k) => ({ input: k, features: width(first[k]!) }));
}

/** Swaps first, then (for few features) the other permutations, then the rotation by one when not among them. */
export function featureOrders(probes: Example[], search: boolean): FeatureOrder[] {
  const out: FeatureOrder[] = [];
  for (const { input, features: n } of permutableInputs(probes)) {
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++) {
        const order = Array.from({ length: n }, (_, i) => (i === a ? b : i === b ? a : i));
        out.push({ input, order, kind: 'swap' });
      }
    if (search && n <= MAX_PERMUTED_FEATURES)
      for (const order of allOrders(n)) if (!identity(order) && !swapOf(order)) out.push({ input, order, kind: 'permutation' });
    if (!(search && n <= MAX_PERMUTED_FEATURES) && n > 2)
      out.push({ input, order: Array.from({ length: n }, (_, i) => (i + 1) % n), kind: 'rotation' });
  }
  return out;
}

export function permuteRows(probes: Example[], f: FeatureOrder): Example[] {
  return probes.map((e) =>
    f.input === undefined
      ? permute(e as Value, f.order)
      : { ...(e as object), [f.input]: permute((e as Record<string, Value>)[f.input]!, f.order) },
  );
}

const column = (input: string | undefined, i: number) => (input === undefined ? `column ${i}` : `${input}[${i}]`);

/** "columns 0 and 2 swapped", "sensors[0] and sensors[2] swapped", "columns in the order 2, 0, 1". */
export function describeOrder(f: FeatureOrder): string {
  if (f.kind === 'swap') {
    const [a, b] = f.order.flatMap((v, i) => (v !== i ? [i] : []));
    return `${column(f.input, a!)} and ${column(f.input, b!)} swapped`;
  }
  const what = f.input === undefined ? 'columns' : `the features of ${f.input}`;
  return `${what} in the order ${f.order.join(', ')} instead of ${f.order.map((_, i) => i).join(', ')}`;
}
