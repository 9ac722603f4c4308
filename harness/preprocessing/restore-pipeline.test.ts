import { expect } from 'chai';
import { z } from 'zod';
import { defineStep } from './define-step.ts';
import { fittedStep, fromSklearnState } from './from-sklearn.ts';
import { applyPipeline } from './pipeline.ts';
import { restorePipeline, stepSpecSchema } from './restore-pipeline.ts';

defineStep({ kind: 'testLogTransform', state: z.object({ offset: z.number() }), transform: (rows) => rows });
const file = 'goldens/x/bundle/preprocessing.json';

describe('restorePipeline', () => {
  it('accepts a preprocessing.json as existing bundles hold it', () => {
    const json = { steps: [{ kind: 'standardScaler', options: {}, state: { mean: [1], std: [2] } }] };
    expect(restorePipeline(JSON.parse(JSON.stringify(json)), file)).to.deep.equal(json);
  });

  it('names the file, the step index and kind, and the field of a state its schema refuses', () => {
    const json = { steps: [{ kind: 'testLogTransform', options: {}, state: { offset: 'one' } }] };
    expect(() => restorePipeline(json, file)).to.throw(
      `${file}: steps[0] (testLogTransform).state.offset must be a number; the bundle was written by another definition`,
    );
    const named = { steps: [], inputs: { amount: { steps: [{ kind: 'minMaxScaler', options: {}, state: { min: [0] } }] } } };
    expect(() => restorePipeline(named, file)).to.throw(`${file}: inputs.amount.steps[0] (minMaxScaler).state.max must be an array`);
  });

  it('names the file and an undefined kind, and says how to define it', () => {
    const json = { steps: [{ kind: 'boxCox', options: {}, state: {} }] };
    expect(() => restorePipeline(json, file)).to.throw(
      new RegExp(
        `^${file}: steps\\[0\\]\\.kind "boxCox" is not a defined preprocessing step .*define it with defineStep\\(\\{ kind: 'boxCox', fit, transform \\}\\) .* in the scenario file or a module it imports$`,
      ),
    );
  });

  it('refuses a file that is not {steps: [...]}', () => {
    expect(() => restorePipeline({ step: [] }, file)).to.throw(
      `${file}: steps must be an array; the file must be {steps: [{kind, options, state}]`,
    );
  });
});

describe("stepSpecSchema (a scenario's steps)", () => {
  it("checks the kind against the registry and the options against the step's schema", () => {
    expect(stepSpecSchema.safeParse({ kind: 'vocabulary', options: { maxLength: 4 } }).success).to.equal(true);
    const bad = stepSpecSchema.safeParse({ kind: 'vocabulary', options: { maxLength: -1, columns: [0] } });
    expect(bad.error!.issues.map((i) => `${i.path.join('.')} ${i.message}`)).to.deep.equal([
      'options.maxLength must be > 0',
      'options has unknown field(s) "columns"',
    ]);
    expect(stepSpecSchema.safeParse({ kind: 'nope', options: {} }).error!.issues[0]!.message).to.match(
      /^must be a defined step \(.*\); define "nope" with defineStep/,
    );
    expect(stepSpecSchema.safeParse(() => undefined).error!.issues[0]!.message).to.match(
      /must be a step made by a step function .*: call the step function, e\.g\. standardScaler\(\)/,
    );
  });
});

describe('steps from fitted state (the Keras import)', () => {
  it("turns scikit-learn's fitted attributes into steps that transform as scikit-learn does", () => {
    const std = fromSklearnState('StandardScaler', { mean_: [1, 2], scale_: [2, 4] });
    expect(applyPipeline({ steps: [std] }, [[3, 2]])).to.deep.equal([[1, 0]]);
    const mm = fromSklearnState('MinMaxScaler', { scale_: [0.5], min_: [-1], feature_range: [0, 1] }, [1]);
    expect(applyPipeline({ steps: [mm] }, [[9, 4]])).to.deep.equal([[9, 4 * 0.5 - 1]]);
    const robust = fromSklearnState('RobustScaler', { center_: null, scale_: [2], n_features_in_: 1 });
    expect(robust.state).to.deep.equal({ center: [0], scale: [2] });
    expect(fromSklearnState('OneHotEncoder', { categories_: [['a', 'b']], handle_unknown: 'ignore' }).options).to.deep.equal({
      unknown: 'zeros',
    });
  });

  it('refuses attributes that do not fit the step, naming the class and the field', () => {
    expect(() => fromSklearnState('MaxAbsScaler', { scale_: 'x' })).to.throw(
      'scikit-learn MaxAbsScaler: maxAbsScaler.state.scale must be an array',
    );
    expect(() => fromSklearnState('PowerTransformer', {})).to.throw(/className must be one of StandardScaler, .*; got "PowerTransformer"/);
    expect(() => fittedStep('rescale', {}, { inputRange: [255, 0], outputRange: [0, 1] })).to.throw(
      'rescale: rescale.options.inputRange must be [low, high] with low < high',
    );
  });
});
