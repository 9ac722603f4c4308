import { expect } from 'chai';
import type { Hypothesis, HypothesisTable } from './hypothesis.ts';
import { float16Bits } from '../checks/quantize-weights.ts';
import { rankHypotheses } from './rank-hypotheses.ts';

const t = (...v: number[]) => ({ output0: { shape: [v.length, 1], dtype: 'float32' as const, values: Float32Array.from(v) } });
const h = (id: string, family: Hypothesis['family'], outputs: Hypothesis['outputs'], extra: Partial<Hypothesis> = {}): Hypothesis => ({
  id,
  label: id,
  family,
  fix: `fix ${id}`,
  cause: id,
  env: 'backend:cpu',
  pair: false,
  outputs,
  level: 'crossBackend',
  backend: 'cpu',
  ...extra,
});
const table = (...hypotheses: Hypothesis[]): HypothesisTable => ({ scenario: 's', base: 'cpu', hypotheses, unavailable: [] });

describe('rankHypotheses', () => {
  const golden = h('none', 'none', t(1, 2, 3));
  const dropped = h('preprocessing-dropped', 'preprocessing-dropped', t(5, 6, 7));

  it('names the cause that reproduces the obtained values, bit-exact, before the others', () => {
    const r = rankHypotheses(table(golden, dropped), t(5, 6, 7));
    expect(r.verdict.kind).to.equal('reproduced');
    if (r.verdict.kind !== 'reproduced') return;
    expect(r.verdict.best.hypothesis.id).to.equal('preprocessing-dropped');
    expect(r.verdict.best.distance.exact).to.equal(true);
    expect(r.verdict.ties).to.deep.equal([]);
  });

  it('reproduces within tolerance without calling it bit-exact', () => {
    const r = rankHypotheses(table(golden, dropped), t(5, 6, 7.000001));
    expect(r.verdict.kind === 'reproduced' && r.verdict.best.distance.exact).to.equal(false);
    expect(r.verdict.kind).to.equal('reproduced');
  });

  it('declares a tie when two causes predict the same, with advice on probes that would separate them', () => {
    const swap = h('features-permuted:1', 'features-permuted', t(5, 6, 7));
    const r = rankHypotheses(table(golden, dropped, swap), t(5, 6, 7));
    expect(r.verdict.kind === 'reproduced' && r.verdict.ties.map((x) => x.hypothesis.id)).to.deep.equal(['features-permuted:1']);
    expect(r.verdict.kind === 'reproduced' && r.verdict.advice).to.match(/no probe here separates them; add probes whose raw values/);
  });

  it('prefers a single cause over a pair that contains it', () => {
    const pair = h('preprocessing-dropped + backend:wasm', 'preprocessing-dropped', t(5, 6, 7), {
      cause: 'preprocessing-dropped',
      env: 'backend:wasm',
      pair: true,
    });
    const r = rankHypotheses(table(pair, golden, dropped), t(5, 6, 7));
    expect(r.verdict.kind === 'reproduced' && r.verdict.best.hypothesis.id).to.equal('preprocessing-dropped');
    expect(r.verdict.kind === 'reproduced' && r.verdict.ties).to.deep.equal([]);
  });

  it('names a bit-exact pair over its single part that only comes within tolerance, without calling them tied', () => {
    const pair = h('preprocessing-dropped + backend:wasm', 'preprocessing-dropped', t(5, 6, 7.000001), {
      cause: 'preprocessing-dropped',
      env: 'backend:wasm',
      pair: true,
    });
    const r = rankHypotheses(table(golden, dropped, pair), t(5, 6, 7.000001));
    expect(r.verdict.kind === 'reproduced' && r.verdict.best.hypothesis.id).to.equal('preprocessing-dropped + backend:wasm');
    expect(r.verdict.kind === 'reproduced' && r.verdict.ties).to.deep.equal([]);
  });

  it('says when nothing reproduces the values, listing the closest first', () => {
    const r = rankHypotheses(table(dropped, golden), t(1, 2, 3.5));
    expect(r.verdict.kind).to.equal('unexplained');
    expect(r.verdict.kind === 'unexplained' && r.verdict.closest[0]!.hypothesis.id).to.equal('none');
  });

  it('recognises the golden predictions', () => {
    expect(rankHypotheses(table(dropped, golden), t(1, 2, 3)).verdict.kind).to.equal('golden');
  });
});

describe('float16Bits', () => {
  it('rounds to the nearest half, ties to even, like numpy', () => {
    expect(float16Bits(1)).to.equal(0x3c00);
    expect(float16Bits(-2)).to.equal(0xc000);
    expect(float16Bits(65504)).to.equal(0x7bff);
    expect(float16Bits(65520)).to.equal(0x7c00); // rounds up to infinity
    expect(float16Bits(1 + 2 ** -11)).to.equal(0x3c00); // halfway: to even
    expect(float16Bits(1 + 3 * 2 ** -11)).to.equal(0x3c02);
    expect(float16Bits(2 ** -24)).to.equal(0x0001); // smallest subnormal
    expect(float16Bits(0)).to.equal(0);
  });
});
