import { expect } from 'chai';
import { crossLevel, resolveTolerance, toleranceLevels } from './tolerance.ts';

describe('resolveTolerance', () => {
  it('uses the named level defaults without overrides', () => {
    expect(resolveTolerance('crossBackend', undefined, 'wasm')).to.deep.equal(toleranceLevels.crossBackend);
  });

  it('lets the most specific override win: output over backend over scenario', () => {
    const o = {
      retrain: { atol: 1 },
      backends: { wasm: { retrain: { atol: 2, rtol: 0.5 } } },
      outputs: { output1: { retrain: { atol: 3 } } },
    };
    expect(resolveTolerance('retrain', o, 'cpu')).to.deep.equal({ atol: 1, rtol: toleranceLevels.retrain.rtol });
    expect(resolveTolerance('retrain', o, 'wasm')).to.deep.equal({ atol: 2, rtol: 0.5 });
    expect(resolveTolerance('retrain', o, 'wasm', 'output1')).to.deep.equal({ atol: 3, rtol: 0.5 });
    expect(resolveTolerance('retrain', o, 'wasm', 'output0')).to.deep.equal({ atol: 2, rtol: 0.5 });
  });

  it('judges webgl-f16 under halfPrecision where other backends agree under crossBackend', () => {
    expect(crossLevel('webgl-f16')).to.equal('halfPrecision');
    expect(crossLevel('webgl')).to.equal('crossBackend');
    expect(crossLevel('wasm')).to.equal('crossBackend');
    expect(
      resolveTolerance(crossLevel('webgl-f16'), { backends: { 'webgl-f16': { halfPrecision: { atol: 2e-3 } } } }, 'webgl-f16'),
    ).to.deep.equal({ atol: 2e-3, rtol: 1e-3 });
  });
});
