// Tensors as JSON: {shape, dtype, data}. float32 values are written as the shortest
// decimal that reads back to the same float32, so golden files are exact and diffable.
import type { DType, TensorData } from '../types/tensor-data.ts';

export type EncodedValue = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';
export interface TensorJson {
  shape: number[];
  dtype: DType;
  data: EncodedValue[];
}

export function shortestFloat32(v: number): EncodedValue {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f; // unreachable: 9 significant digits always identify a float32
}

export function decodeValue(v: EncodedValue): number {
  if (typeof v === 'number') return v;
  switch (v) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
  }
  throw new Error(`tensor data: value ${JSON.stringify(v)} must be a number, "NaN", "Infinity", "-Infinity" or "-0"`);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const SPECIAL = ['NaN', 'Infinity', '-Infinity', '-0'];

/**
 * Why `v` cannot be one value of a `dtype` tensor, or undefined if it can. A float32 value may be any
 * decimal that rounds to a finite float32 (the largest is written 3.4028235e38 and reads back as
 * 3.4028234663852886e38); beyond that float32 would silently make it Infinity, so it is refused.
 */
export function tensorValueProblem(dtype: DType, v: unknown): string | undefined {
  if (dtype === 'int32') {
    return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX
      ? undefined
      : `must be an integer in int32's range [${INT32_MIN}, ${INT32_MAX}], found ${JSON.stringify(v) ?? String(v)}`;
  }
  if (dtype === 'bool') return v === 0 || v === 1 ? undefined : `must be 0 or 1 (a bool tensor), found ${JSON.stringify(v) ?? String(v)}`;
  if (typeof v === 'string')
    return SPECIAL.includes(v) ? undefined : `must be a number or one of "NaN", "Infinity", "-Infinity", "-0", found ${JSON.stringify(v)}`;
  if (typeof v !== 'number') return `must be a number, found ${JSON.stringify(v) ?? String(v)}`;
  return Number.isFinite(Math.fround(v))
    ? undefined
    : `must be within float32's range (±3.4028234663852886e38), found ${v}; write "Infinity" or "-Infinity" if that is meant`;
}

export function encodeTensor(t: TensorData): TensorJson {
  const data: EncodedValue[] = [];
  if (t.dtype === 'float32') for (const v of t.values) data.push(shortestFloat32(v));
  else for (const v of t.values) data.push(v);
  return { shape: [...t.shape], dtype: t.dtype, data };
}

export function decodeTensor(j: TensorJson, where = 'tensor'): TensorData {
  const size = j.shape.reduce((a, b) => a * b, 1);
  const badDim = j.shape.findIndex((d) => !Number.isInteger(d) || d < 0);
  if (badDim >= 0) throw new Error(`${where}: shape[${badDim}] must be a non-negative integer, found ${j.shape[badDim]}`);
  if (j.data.length !== size) {
    throw new Error(`${where}: data must have ${size} values for shape [${j.shape}], found ${j.data.length}`);
  }
  const values = j.dtype === 'float32' ? new Float32Array(size) : new Int32Array(size);
  j.data.forEach((v, i) => {
    const problem = tensorValueProblem(j.dtype, v);
    if (problem) throw new Error(`${where}: data[${i}] ${problem}`);
    values[i] = decodeValue(v);
  });
  return { shape: [...j.shape], dtype: j.dtype, values };
}
