import { expect } from 'chai';
import fc from 'fast-check';
import { decodeTensor, encodeTensor, shortestFloat32 } from './tensor-codec.ts';

const bits = (v: number) => new Uint32Array(Float32Array.of(v).buffer)[0];

describe('tensor JSON codec', () => {
  it('encodes then decodes every float32 to the same bits, through JSON text', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: false, noDefaultInfinity: false }), { maxLength: 32 }), (xs) => {
        const values = Float32Array.from(xs);
        const json = JSON.parse(JSON.stringify(encodeTensor({ shape: [values.length], dtype: 'float32', values })));
        const back = decodeTensor(json).values;
        return values.every((v, i) => (Number.isNaN(v) ? Number.isNaN(back[i]!) : bits(v) === bits(back[i]!)));
      }),
      { numRuns: 500 },
    );
  });

  it('writes the shortest decimal that reads back to the same float32', () => {
    expect(shortestFloat32(Math.fround(0.1))).to.equal(0.1);
    expect(shortestFloat32(Math.fround(1 / 3))).to.equal(0.33333334);
    expect(shortestFloat32(16777216)).to.equal(16777216);
    fc.assert(
      fc.property(
        fc.float({ noNaN: true, noDefaultInfinity: true }).filter((v) => v !== 0),
        (v) => {
          const s = shortestFloat32(v) as number;
          const digits = (x: number) => x.toExponential().split('e')[0]!.replace(/[-.]/g, '').length;
          // No shorter decimal would read back: one fewer significant digit must change the float32.
          const shorter = Number(v.toPrecision(Math.max(1, digits(s) - 1)));
          return Math.fround(s) === v && (digits(s) === 1 || Math.fround(shorter) !== v);
        },
      ),
    );
  });

  it('writes NaN, infinities and negative zero as strings', () => {
    const t = encodeTensor({ shape: [4], dtype: 'float32', values: Float32Array.of(NaN, Infinity, -Infinity, -0) });
    expect(t.data).to.deep.equal(['NaN', 'Infinity', '-Infinity', '-0']);
    expect(Object.is(decodeTensor(t).values[3], -0)).to.equal(true);
  });

  it('names the tensor when the data does not fit the shape', () => {
    expect(() => decodeTensor({ shape: [2, 2], dtype: 'float32', data: [1, 2, 3] }, 'outputs/cpu.json: outputs.output0')).to.throw(
      'outputs/cpu.json: outputs.output0: data must have 4 values for shape [2,2], found 3',
    );
  });
});
