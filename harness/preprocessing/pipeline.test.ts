import { expect } from 'chai';
import { applyPipeline, fitPipeline, type PreprocessingState } from './pipeline.ts';

describe('preprocessing pipeline', () => {
  it('standardizes each feature on the last axis with the training statistics', () => {
    const state = fitPipeline(
      [{ kind: 'standardScaler', options: {} }],
      [
        [0, 10],
        [2, 10],
        [4, 10],
      ],
    );
    expect(state.steps[0]!.state).to.deep.equal({ mean: [2, 10], std: [Math.sqrt(8 / 3), 1] });
    expect(applyPipeline(state, [[2, 10]])).to.deep.equal([[0, 0]]);
  });

  it('fits per feature over sequences (rows of timesteps)', () => {
    const state = fitPipeline(
      [{ kind: 'minMaxScaler', options: {} }],
      [
        [
          [0, 5],
          [10, 5],
        ],
      ],
    );
    expect(
      applyPipeline(state, [
        [
          [5, 5],
          [20, 5],
        ],
      ]),
    ).to.deep.equal([
      [
        [0.5, 0],
        [2, 0],
      ],
    ]);
  });

  it('maps text to ids with padding and an out-of-vocabulary id, in a stable order', () => {
    const state = fitPipeline([{ kind: 'vocabulary', options: { maxLength: 4 } }], ['b a', 'a c', 'a']);
    expect(state.steps[0]!.state).to.deep.equal({ tokens: ['a', 'b', 'c'] });
    expect(applyPipeline(state, ['A zzz c'])).to.deep.equal([[2, 1, 4, 0]]);
  });

  it('gives the same transform after its state goes through JSON', () => {
    const rows = [
      [0.1, 1e-7, 12345.678],
      [3.3, -2e-7, 1],
    ];
    const state = fitPipeline(
      [
        { kind: 'standardScaler', options: {} },
        { kind: 'minMaxScaler', options: {} },
      ],
      rows,
    );
    const restored = JSON.parse(JSON.stringify(state)) as PreprocessingState;
    expect(applyPipeline(restored, rows)).to.deep.equal(applyPipeline(state, rows));
  });

  it('refuses an undefined step kind in a persisted state, naming the file, the kind and how to define it', () => {
    const state = { steps: [{ kind: 'zScore', options: {}, state: {} }] } as unknown as PreprocessingState;
    expect(() => applyPipeline(state, [[1]])).to.throw(
      /^preprocessing\.json: steps\[0\]\.kind "zScore" is not a defined preprocessing step \(defined: standardScaler, .*\); define it with defineStep\(\{ kind: 'zScore', fit, transform \}\)/,
    );
  });
});

describe('preprocessing pipeline with named inputs', () => {
  it('fits and applies steps per input name, leaving other inputs as they are', () => {
    const rows = [
      { a: [0], b: 'x y', c: [7] },
      { a: [2], b: 'y', c: [8] },
    ];
    const state = fitPipeline({ a: [{ kind: 'minMaxScaler', options: {} }], b: [{ kind: 'vocabulary', options: { maxLength: 2 } }] }, rows);
    expect(applyPipeline(state, [{ a: [1], b: 'y z', c: [9] }])).to.deep.equal([{ a: [0.5], b: [2, 1], c: [9] }]);
  });

  it('names the input that an example lacks', () => {
    expect(() => fitPipeline({ a: [{ kind: 'minMaxScaler', options: {} }] }, [{ a: [1] }, { b: [2] }])).to.throw(
      /\[1\] must have a value for input "a"/,
    );
  });
});
