import type { TensorData } from '../types/tensor-data.ts';
import type { Tolerance } from './tolerance.ts';

/** Bits are given for float32 values only. */
export interface Mismatch {
  index: number[];
  actual: number;
  expected: number;
  actualBits?: string;
  expectedBits?: string;
}
export interface CompareStats {
  total: number;
  mismatches: number;
  maxAbsError: number;
  meanAbsError: number;
  maxRelError: number;
  meanRelError: number;
  first: Mismatch[];
}
export type CompareOutcome =
  | { ok: true; stats: CompareStats }
  | { ok: false; reason: 'shape' | 'dtype'; message: string }
  | { ok: false; reason: 'values'; stats: CompareStats; tolerance: Tolerance };

const FIRST_MISMATCHES = 5;

export function float32Bits(v: number): string {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, v);
  return '0x' + view.getUint32(0).toString(16).padStart(8, '0');
}

function unravel(flat: number, shape: number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    index[d] = flat % n;
    flat = Math.floor(flat / n);
  }
  return index;
}

function withinTolerance(a: number, e: number, tol: Tolerance, exact: boolean): boolean {
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a);
  if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e;
  // Exact means bit for bit: -0 and +0 differ too.
  if (exact || (tol.atol === 0 && tol.rtol === 0)) return Object.is(a, e);
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/** Elementwise |a − e| ≤ atol + rtol·|e|; integers exactly; NaN only matches NaN; infinities by sign. */
export function compareTensors(actual: TensorData, expected: TensorData, tol: Tolerance): CompareOutcome {
  if (actual.shape.length !== expected.shape.length || actual.shape.some((n, i) => n !== expected.shape[i])) {
    return { ok: false, reason: 'shape', message: `shape [${actual.shape}] differs from expected [${expected.shape}]` };
  }
  if (actual.dtype !== expected.dtype) {
    return { ok: false, reason: 'dtype', message: `dtype ${actual.dtype} differs from expected ${expected.dtype}` };
  }
  const exact = expected.dtype !== 'float32';
  const stats: CompareStats = {
    total: expected.values.length,
    mismatches: 0,
    maxAbsError: 0,
    meanAbsError: 0,
    maxRelError: 0,
    meanRelError: 0,
    first: [],
  };
  let finite = 0;
  let finiteRel = 0;
  for (let i = 0; i < expected.values.length; i++) {
    const a = actual.values[i]!;
    const e = expected.values[i]!;
    if (Number.isFinite(a) && Number.isFinite(e)) {
      const abs = Math.abs(a - e);
      const rel = e === 0 ? (abs === 0 ? 0 : Infinity) : abs / Math.abs(e);
      stats.maxAbsError = Math.max(stats.maxAbsError, abs);
      stats.maxRelError = Math.max(stats.maxRelError, rel);
      stats.meanAbsError += abs;
      if (Number.isFinite(rel)) {
        stats.meanRelError += rel;
        finiteRel++;
      }
      finite++;
    }
    if (!withinTolerance(a, e, tol, exact)) {
      stats.mismatches++;
      if (stats.first.length < FIRST_MISMATCHES) {
        stats.first.push({
          index: unravel(i, expected.shape),
          actual: a,
          expected: e,
          ...(exact ? {} : { actualBits: float32Bits(a), expectedBits: float32Bits(e) }),
        });
      }
    }
  }
  if (finite > 0) stats.meanAbsError /= finite;
  if (finiteRel > 0) stats.meanRelError /= finiteRel;
  return stats.mismatches === 0 ? { ok: true, stats } : { ok: false, reason: 'values', stats, tolerance: tol };
}
