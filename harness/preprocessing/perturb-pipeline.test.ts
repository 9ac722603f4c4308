import { expect } from 'chai';
import { log1p, minMaxScaler, rescale, standardScaler, vocabulary } from './built-in-steps.ts';
import { defineStep, type NoOptions } from './define-step.ts';
import { perturbPipeline, refitApplicable } from './perturb-pipeline.ts';
import type { PreprocessingState } from './pipeline.ts';

// The shift the sensitivity property applied before steps said how they move (properties.ts, shiftState).
function previousShift(s: PreprocessingState, pick: number, by: number): PreprocessingState {
  const copy = structuredClone(s);
  const steps = [...copy.steps, ...Object.values(copy.inputs ?? {}).flatMap((i) => i.steps)];
  const step = steps[pick % steps.length]! as { kind: string; state: Record<string, number[] & string[]> };
  const st = step.state;
  if (step.kind === 'standardScaler') st.mean = st.mean!.map((m, i) => m + by * st.std![i]!) as never;
  else if (step.kind === 'minMaxScaler') st.min = st.min!.map((m, i) => m + by * (st.max![i]! - m)) as never;
  else st.tokens = [...st.tokens!].reverse() as never;
  return copy;
}

const state: PreprocessingState = {
  steps: [
    { kind: 'standardScaler', options: {}, state: { mean: [1.5, -2], std: [0.25, 3] } },
    { kind: 'minMaxScaler', options: {}, state: { min: [0, 10], max: [4, 11] } },
  ],
  inputs: { text: { steps: [{ kind: 'vocabulary', options: { maxLength: 3 }, state: { tokens: ['a', 'b', 'c'] } }] } },
};

describe('perturbPipeline', () => {
  it('moves the built-ins exactly as the sensitivity property did before (mean by by·std, min by by·range, tokens reversed)', () => {
    for (const pick of [0, 1, 2, 3, 7]) {
      for (const by of [0.5, -1.3, 2]) expect(perturbPipeline(state, pick, by)).to.deep.equal(previousShift(state, pick, by));
    }
    expect(state.steps[0]!.state).to.deep.equal({ mean: [1.5, -2], std: [0.25, 3] }); // the input is not modified
  });

  it('asks a user step how to move, and skips stateless steps', () => {
    defineStep<NoOptions, { k: number }>({
      kind: 'testScaleBy',
      fit: () => ({ k: 2 }),
      transform: (r) => r,
      perturb: (s, by) => ({ k: s.k * 2 ** by }),
    });
    const s: PreprocessingState = {
      steps: [
        { kind: 'log1p', options: {}, state: {} },
        { kind: 'testScaleBy', options: {}, state: { k: 2 } },
      ],
    };
    expect(perturbPipeline(s, 0, 1)!.steps).to.deep.equal([s.steps[0], { kind: 'testScaleBy', options: {}, state: { k: 4 } }]);
    expect(perturbPipeline({ steps: [s.steps[0]!] }, 0, 1)).to.equal(undefined);
  });
});

describe('refitApplicable', () => {
  it('applies to pipelines with a fitted step, and says why not otherwise', () => {
    expect(refitApplicable([log1p(), standardScaler()])).to.deep.equal({ ok: true });
    expect(refitApplicable({ text: [vocabulary({ maxLength: 2 })], x: [] })).to.deep.equal({ ok: true });
    expect(refitApplicable([log1p(), rescale({ inputRange: [0, 255], outputRange: [0, 1] }), log1p()])).to.deep.equal({
      ok: false,
      reason: 'every preprocessing step is stateless (log1p, rescale): refitting them changes nothing',
    });
    expect(refitApplicable(undefined)).to.deep.equal({ ok: false, reason: 'the scenario has no preprocessing' });
    expect(refitApplicable([minMaxScaler()]).ok).to.equal(true);
  });
});
