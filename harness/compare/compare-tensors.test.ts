import { expect } from 'chai';
import fc from 'fast-check';
import type { TensorData } from '../types/tensor-data.ts';
import { compareTensors } from './compare-tensors.ts';

const f32 = (values: number[], shape = [values.length]): TensorData => ({ shape, dtype: 'float32', values: Float32Array.from(values) });
const exact = { atol: 0, rtol: 0 };
const anyFloat = fc.float({ noDefaultInfinity: false, noNaN: false });
const tolerance = fc.record({ atol: fc.double({ min: 0, max: 1, noNaN: true }), rtol: fc.double({ min: 0, max: 1, noNaN: true }) });

describe('compareTensors', () => {
  it('passes a tensor against itself for any float32 values, NaN and infinities included', () => {
    fc.assert(fc.property(fc.array(anyFloat, { maxLength: 64 }), (xs) => compareTensors(f32(xs), f32(xs), exact).ok));
  });

  it('never adds mismatches when a tolerance is widened', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyFloat, anyFloat), { minLength: 1, maxLength: 32 }), tolerance, tolerance, (pairs, t1, t2) => {
        const wide = { atol: Math.max(t1.atol, t2.atol), rtol: Math.max(t1.rtol, t2.rtol) };
        const count = (t: typeof wide) => {
          const c = compareTensors(f32(pairs.map((p) => p[0])), f32(pairs.map((p) => p[1])), t);
          return c.ok ? 0 : c.reason === 'values' ? c.stats.mismatches : Infinity;
        };
        return count(wide) <= count(t1);
      }),
    );
  });

  it('applies |a − e| ≤ atol + rtol·|e| elementwise', () => {
    expect(compareTensors(f32([1.5]), f32([1]), { atol: 0.5, rtol: 0 }).ok).to.equal(true);
    expect(compareTensors(f32([101]), f32([100]), { atol: 0, rtol: 0.01 }).ok).to.equal(true);
    expect(compareTensors(f32([101.5]), f32([100]), { atol: 0.4, rtol: 0.01 }).ok).to.equal(false);
  });

  it('matches NaN only with NaN and infinities only by sign, whatever the tolerance', () => {
    const loose = { atol: 1e30, rtol: 1e30 };
    expect(compareTensors(f32([NaN]), f32([NaN]), exact).ok).to.equal(true);
    expect(compareTensors(f32([0]), f32([NaN]), loose).ok).to.equal(false);
    expect(compareTensors(f32([NaN]), f32([0]), loose).ok).to.equal(false);
    expect(compareTensors(f32([Infinity]), f32([Infinity]), exact).ok).to.equal(true);
    expect(compareTensors(f32([-Infinity]), f32([Infinity]), loose).ok).to.equal(false);
    expect(compareTensors(f32([3e38]), f32([Infinity]), loose).ok).to.equal(false);
  });

  it('compares bit for bit under a zero tolerance: -0 differs from +0', () => {
    expect(compareTensors(f32([-0]), f32([0]), exact).ok).to.equal(false);
    expect(compareTensors(f32([-0]), f32([0]), { atol: 1e-9, rtol: 0 }).ok).to.equal(true);
  });

  it('compares integers exactly, ignoring the tolerance', () => {
    const i32 = (v: number[]): TensorData => ({ shape: [v.length], dtype: 'int32', values: Int32Array.from(v) });
    expect(compareTensors(i32([3]), i32([4]), { atol: 10, rtol: 10 }).ok).to.equal(false);
  });

  it('refuses a different shape or dtype before looking at values', () => {
    const shape = compareTensors(f32([1, 2], [2, 1]), f32([1, 2], [1, 2]), exact);
    expect(shape).to.include({ ok: false, reason: 'shape' });
    const dtype = compareTensors({ shape: [1], dtype: 'int32', values: Int32Array.of(1) }, f32([1]), exact);
    expect(dtype).to.include({ ok: false, reason: 'dtype' });
  });

  it('reports counts, max and mean errors and the first differing indices with float32 bits', () => {
    const c = compareTensors(f32([1, 2, 3, 4], [2, 2]), f32([1, 2.5, 3, 5], [2, 2]), exact);
    if (c.ok || c.reason !== 'values') throw new Error('expected a value mismatch');
    expect(c.stats).to.include({ total: 4, mismatches: 2, maxAbsError: 1 });
    expect(c.stats.meanAbsError).to.equal(0.375);
    expect(c.stats.maxRelError).to.equal(0.2);
    expect(c.stats.first[0]).to.deep.include({
      index: [0, 1],
      actual: 2,
      expected: 2.5,
      actualBits: '0x40000000',
      expectedBits: '0x40200000',
    });
    expect(c.stats.first[1]!.index).to.deep.equal([1, 1]);
  });
});
