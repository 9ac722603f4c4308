import { isNamed, type Example, type Value } from '../types/example.ts';
import type { TensorData } from '../types/tensor-data.ts';

/** The values of one named input across examples; names the input when an example lacks it. */
export function column(rows: Example[], name: string, where: string): Value[] {
  return rows.map((r, i) => {
    if (!isNamed(r) || !(name in r)) throw new Error(`${where}[${i}] must have a value for input "${name}"`);
    return r[name]!;
  });
}

export function shapeOf(rows: Value[], where: string): number[] {
  const shape = [rows.length];
  let probe: Value | undefined = rows[0];
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const check = (v: Value, depth: number, at: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new Error(`${where}${at} must be a number after preprocessing; got ${JSON.stringify(v)}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(`${where}${at} must be an array of length ${shape[depth]} (rows must be rectangular)`);
    }
    v.forEach((c, i) => check(c, depth + 1, `${at}[${i}]`));
  };
  check(rows, 0, '');
  return shape;
}

export function rowsToTensorData(rows: Value[], where: string): TensorData {
  const shape = shapeOf(rows, where);
  const flat = (rows as unknown[]).flat(Infinity) as number[];
  return { shape, dtype: 'float32', values: Float32Array.from(flat) };
}

/** Applies fn to every innermost feature vector (the last axis), keeping the nesting. */
export function mapFeatureVectors(v: Value, fn: (features: number[]) => number[]): Value {
  if (!Array.isArray(v)) return fn([v as number])[0]!;
  if (v.length === 0 || !Array.isArray(v[0])) return fn(v as number[]);
  return v.map((c) => mapFeatureVectors(c, fn));
}

export function forEachFeatureVector(v: Value, fn: (features: number[]) => void): void {
  mapFeatureVectors(v, (f) => {
    fn(f);
    return f;
  });
}

/** One value per feature (the last axis), reduced from that feature's column over every row. */
export function perFeature(rows: Value[], reduce: (column: number[]) => number): number[] {
  const columns: number[][] = [];
  for (const row of rows) forEachFeatureVector(row, (f) => f.forEach((v, i) => (columns[i] ??= []).push(v)));
  return columns.map(reduce);
}

/** Applies fn to every number, feature by feature (i is the index on the last axis). */
export function mapFeatures(rows: Value[], fn: (v: number, i: number) => number): Value[] {
  return rows.map((r) => mapFeatureVectors(r, (f) => f.map(fn)));
}

/**
 * Preprocessed rows as tensor data, one per model input: a multi-input model's rows name each input,
 * and the data follow the model's input order.
 */
export function inputData(rows: Example[], inputNames: string[] | undefined, where: string): TensorData[] {
  if (!rows.some(isNamed)) return [rowsToTensorData(rows as Value[], where)];
  const names = inputNames ?? Object.keys(rows[0] as object);
  return names.map((name) => rowsToTensorData(column(rows, name, where), `${where} input "${name}"`));
}
