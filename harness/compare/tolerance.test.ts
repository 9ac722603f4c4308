import { expect } from 'chai';
import { resolveTolerance, toleranceLevels } from './tolerance.ts';

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
});
