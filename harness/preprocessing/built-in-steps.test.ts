import { expect } from 'chai';
import { clip, log1p, maxAbsScaler, oneHot, rescale, robustScaler, sklearnMinMaxScaler } from './built-in-steps.ts';
import { applyPipeline, fitPipeline, type PreprocessingStep } from './pipeline.ts';
import { median, percentile } from './quantile.ts';
import type { Value } from '../types/example.ts';

const fitted = (step: PreprocessingStep, rows: Value[]) => fitPipeline([step], rows);
const run = (step: PreprocessingStep, train: Value[], rows: Value[] = train) => applyPipeline(fitted(step, train), rows);
const X = [
  [1, -4, 100],
  [2, 0, 250],
  [3, 8, 100],
  [10, 2, 175],
];
const col = (i: number) => X.map((r) => r[i]!);

describe('quantiles as numpy computes them', () => {
  it('interpolates percentiles linearly between order statistics (np.percentile reference values)', () => {
    // np.percentile([1, 2, 3, 4], [25, 75]) == [1.75, 3.25]; np.percentile([1, 2, 3, 4, 10], [25, 75]) == [2, 4].
    expect([percentile([4, 1, 3, 2], 25), percentile([4, 1, 3, 2], 75)]).to.deep.equal([1.75, 3.25]);
    expect([percentile([10, 1, 2, 3, 4], 25), percentile([10, 1, 2, 3, 4], 75)]).to.deep.equal([2, 4]);
    expect([percentile([5], 30), percentile([1, 9], 0), percentile([1, 9], 100)]).to.deep.equal([5, 1, 9]);
  });
  it('takes the median as the mean of the two middle values', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([-0.1, 0.2])]).to.deep.equal([2, 2.5, (-0.1 + 0.2) / 2]);
  });
});

describe('built-in steps: fit → state → transform against a reference', () => {
  it("sklearnMinMaxScaler computes scale_ and min_ with scikit-learn's formula and transforms as X * scale_ + min_", () => {
    const step = sklearnMinMaxScaler({ featureRange: [-1, 1] });
    const { state } = fitted(step, X).steps[0]! as { state: { scale: number[]; min: number[] } };
    const scale = [0, 1, 2].map((i) => 2 / (Math.max(...col(i)) - Math.min(...col(i))));
    expect(state.scale).to.deep.equal(scale);
    expect(state.min).to.deep.equal([0, 1, 2].map((i) => -1 - Math.min(...col(i)) * scale[i]!));
    expect(run(step, X)).to.deep.equal(X.map((r) => r.map((v, i) => v * state.scale[i]! + state.min[i]!)));
    // clip=True clips to the feature range; a constant feature gets scale 1 (sklearn's _handle_zeros_in_scale).
    expect(run(sklearnMinMaxScaler({ clip: true }), X, [[100, -100, 175]])).to.deep.equal([[1, 0, 0.5]]);
    expect(run(sklearnMinMaxScaler(), [[5], [5]], [[7]])).to.deep.equal([[2]]);
  });

  it('robustScaler centres on the median and divides by the interquartile range', () => {
    const center = [0, 1, 2].map((i) => median(col(i)));
    const iqr = [0, 1, 2].map((i) => percentile(col(i), 75) - percentile(col(i), 25));
    expect(fitted(robustScaler(), X).steps[0]!.state).to.deep.equal({ center, scale: iqr });
    expect(center).to.deep.equal([2.5, 1, 137.5]);
    expect(run(robustScaler(), X)).to.deep.equal(X.map((r) => r.map((v, i) => (v - center[i]!) / iqr[i]!)));
    expect(fitted(robustScaler({ withCentering: false, quantileRange: [10, 90] }), X).steps[0]!.state).to.deep.equal({
      center: [0, 0, 0],
      scale: [0, 1, 2].map((i) => percentile(col(i), 90) - percentile(col(i), 10)),
    });
  });

  it('maxAbsScaler divides by the largest absolute value', () => {
    expect(fitted(maxAbsScaler(), X).steps[0]!.state).to.deep.equal({ scale: [10, 8, 250] });
    expect(run(maxAbsScaler(), X, [[5, -8, 0]])).to.deep.equal([[0.5, -1, 0]]);
  });

  it('rescale maps pixels to [0, 1] as v / 255 and to [−1, 1] as v / 127.5 − 1, bit for bit, without fitting', () => {
    const pixels = [[0, 1, 127, 128, 254, 255]];
    expect(run(rescale({ inputRange: [0, 255], outputRange: [0, 1] }), pixels)).to.deep.equal([pixels[0]!.map((v) => v / 255)]);
    expect(run(rescale({ inputRange: [0, 255], outputRange: [-1, 1] }), pixels)).to.deep.equal([pixels[0]!.map((v) => v / 127.5 - 1)]);
    expect(fitted(rescale({ inputRange: [0, 255], outputRange: [0, 1] }), pixels).steps[0]!.state).to.deep.equal({});
  });

  it('log1p applies Math.log1p to every value', () => {
    expect(run(log1p(), [[0, 1e-10, 9]])).to.deep.equal([[0, Math.log1p(1e-10), Math.log1p(9)]]);
  });

  it('clip fits min and max (or percentiles) on the training rows and clips to them', () => {
    expect(fitted(clip(), X).steps[0]!.state).to.deep.equal({ lower: [1, -4, 100], upper: [10, 8, 250] });
    expect(run(clip(), X, [[0, 9, 120]])).to.deep.equal([[1, 8, 120]]);
    const p = fitted(clip({ percentiles: [25, 75] }), X).steps[0]!.state as { lower: number[]; upper: number[] };
    expect(p).to.deep.equal({ lower: [0, 1, 2].map((i) => percentile(col(i), 25)), upper: [0, 1, 2].map((i) => percentile(col(i), 75)) });
  });

  it('oneHot encodes sorted training categories, and treats unknown ones as declared', () => {
    const rows = [
      ['red', 2],
      ['blue', 1],
      ['red', 1],
    ];
    expect(fitted(oneHot(), rows).steps[0]!.state).to.deep.equal({
      categories: [
        ['blue', 'red'],
        [1, 2],
      ],
    });
    expect(run(oneHot(), rows, [['red', 1]])).to.deep.equal([[0, 1, 1, 0]]);
    expect(() => run(oneHot(), rows, [['green', 1]])).to.throw(
      /oneHot: feature 0 has the unknown category "green" \(known: "blue", "red"\); declare unknown: 'zeros' or 'other'/,
    );
    expect(run(oneHot({ unknown: 'zeros' }), rows, [['green', 1]])).to.deep.equal([[0, 0, 1, 0]]);
    expect(
      run(oneHot({ unknown: 'other' }), rows, [
        ['green', 1],
        ['red', 3],
      ]),
    ).to.deep.equal([
      [0, 0, 1, 1, 0, 0],
      [0, 1, 0, 0, 0, 1],
    ]);
    expect(fitted(oneHot({ categories: [['a', 'b', 'c']] }), [['b']]).steps[0]!.state).to.deep.equal({ categories: [['a', 'b', 'c']] });
  });
});

describe('the columns option', () => {
  it('applies a step to some features only, fitted on those, the others passing through', () => {
    const state = fitted(maxAbsScaler({ columns: [2, 0] }), X).steps[0]!.state;
    expect(state).to.deep.equal({ scale: [250, 10] });
    expect(run(maxAbsScaler({ columns: [2, 0] }), X, [[5, -4, 125]])).to.deep.equal([[0.5, -4, 0.5]]);
  });

  it('puts a wider output (one-hot) where the first selected column was, and applies over sequences', () => {
    const rows = [
      [0.5, 'a', 7],
      [1.5, 'b', 8],
    ];
    expect(run(oneHot({ columns: [1] }), rows)).to.deep.equal([
      [0.5, 1, 0, 7],
      [1.5, 0, 1, 8],
    ]);
    expect(
      run(log1p({ columns: [1] }), [
        [
          [1, 1],
          [2, 2],
        ],
      ]),
    ).to.deep.equal([
      [
        [1, Math.log1p(1)],
        [2, Math.log1p(2)],
      ],
    ]);
  });

  it('names the step and the range when an index is outside the last axis', () => {
    expect(() => run(log1p({ columns: [3] }), [[1, 2]])).to.throw(
      'log1p: options.columns must hold indices into the last axis (0 to 1); got 3',
    );
  });
});
