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
    case 'NaN': return NaN;
    case 'Infinity': return Infinity;
    case '-Infinity': return -Infinity;
    case '-0': return -0;
  }
  throw new Error(`tensor data: value ${JSON.stringify(v)} must be a number, "NaN", "Infinity", "-Infinity" or "-0"`);
}

export function encodeTensor(t: TensorData): TensorJson {
  const data: EncodedValue[] = [];
  if (t.dtype === 'float32') for (const v of t.values) data.push(shortestFloat32(v));
  else for (const v of t.values) data.push(v);
  return { shape: [...t.shape], dtype: t.dtype, data };
}

export function decodeTensor(j: TensorJson, where = 'tensor'): TensorData {
  const size = j.shape.reduce((a, b) => a * b, 1);
  if (j.data.length !== size) {
    throw new Error(`${where}: data must have ${size} values for shape [${j.shape}], found ${j.data.length}`);
  }
  const values = j.dtype === 'float32' ? new Float32Array(size) : new Int32Array(size);
  j.data.forEach((v, i) => { values[i] = decodeValue(v); });
  return { shape: [...j.shape], dtype: j.dtype, values };
}
