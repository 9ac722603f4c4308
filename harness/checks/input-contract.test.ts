// The input contract as data: what it records, what it refuses and how it says so.
import { expect } from 'chai';
import { parseProbesFile } from '../golden/golden-schema.ts';
import { validateScenario } from '../scenario/validate-scenario.ts';
import type { PreprocessingState } from '../preprocessing/pipeline-state.ts';
import type { TensorData } from '../types/tensor-data.ts';
import { ContractViolation, contractOf, enforceContract } from './input-contract.ts';
import { castToOtherDtype, rescaleToOtherRange } from './input-faults.ts';

const f32 = (shape: number[], values: number[]): TensorData => ({ shape, dtype: 'float32', values: Float32Array.from(values) });
const none: PreprocessingState = { steps: [] };
// Two rows, two features: feature 0 in [0, 1], feature 1 in [10, 30].
const train = f32([2, 2], [0, 10, 1, 30]);
const contract = contractOf([train], undefined, none);
const file = 'goldens/x/probes.json';
const refused = (inputs: TensorData[], extrapolates?: Parameters<typeof enforceContract>[0]['extrapolates']) => {
  try {
    enforceContract({ contract, file, extrapolates }, inputs, 'x: probes');
  } catch (err) {
    expect(err).to.be.instanceOf(ContractViolation);
    return (err as Error).message;
  }
  return undefined;
};

describe('input contract', () => {
  it('records dtype, shape without the batch axis and the range of each feature', () => {
    expect(contract).to.deep.equal({ inputs: [{ dtype: 'float32', shape: [2], ranges: 'per-feature', min: [0, 10], max: [1, 30] }] });
  });

  it('pools the range of token-id inputs and names the inputs of a multi-input model', () => {
    const state: PreprocessingState = {
      steps: [],
      inputs: { a: { steps: [] }, ids: { steps: [{ kind: 'vocabulary', options: {}, state: {} }] } },
    };
    const c = contractOf([train, f32([2, 3], [2, 5, 0, 7, 3, 0])], ['a', 'ids'], state);
    expect(c.inputs[1]).to.deep.equal({ name: 'ids', dtype: 'float32', shape: [3], ranges: 'pooled', min: [0], max: [7] });
    expect(c.inputs[0]!.name).to.equal('a');
  });

  it('accepts the training data and values within one range width past it', () => {
    expect(refused([train])).to.equal(undefined);
    expect(refused([f32([1, 2], [-0.9, 49])])).to.equal(undefined);
  });

  it('refuses another dtype, naming the input, both dtypes and the file', () => {
    expect(refused(castToOtherDtype([train]))).to.match(
      /^x: probes: input 0 dtype must be float32 \(input contract in goldens\/x\/probes\.json\), got int32; feed float32/,
    );
  });

  it('refuses another shape and another number of inputs', () => {
    expect(refused([f32([1, 3], [0, 10, 0])])).to.match(
      /input 0 shape must be \[batch, 2\] \(input contract in goldens\/x\/probes\.json\), got \[1,3\]/,
    );
    expect(refused([train, train])).to.match(/the model must get 1 input\(s\) per the input contract in goldens\/x\/probes\.json, got 2/);
  });

  it('refuses a value out of range with the input, feature index, row, value and both ranges', () => {
    expect(refused([f32([2, 2], [0.5, 20, 0.5, 55])])).to.equal(
      "x: probes: input 0 feature 1 value 55 (row 1) is outside the input contract's range [-10, 50] (training range [10, 30] widened by its width; goldens/x/probes.json); " +
        'if the probes extrapolate on purpose, declare it in the scenario (extrapolates: true or the feature indices), otherwise the preprocessing no longer matches training',
    );
  });

  it('refuses a pipeline rescaled to [0, 255], and NaN', () => {
    // A standardized pipeline (values near [−1, 1]) whose output a converter took for [0, 255] pixels.
    const small = f32([2, 2], [0, -1, 1, 1]);
    const smallContract = contractOf([small], undefined, none);
    const rescaled = rescaleToOtherRange([small], undefined, none, smallContract);
    expect(rescaled.target).to.deep.equal([0, 255]);
    expect(Array.from(rescaled.inputs[0]!.values)).to.deep.equal([0, 0, 255, 255]);
    expect(() => enforceContract({ contract: smallContract, file }, rescaled.inputs, 'x')).to.throw(
      /feature 0 value 255 \(row 1\) is outside the input contract's range \[-1, 2\]/,
    );
    expect(refused([f32([1, 2], [NaN, 10])])).to.match(/feature 0 value NaN/);
  });

  it('does not enforce the range where the scenario declares extrapolation, but still dtype and shape', () => {
    const far = [f32([1, 2], [100, 1000])];
    expect(refused(far, true)).to.equal(undefined);
    expect(refused(far, [1])).to.match(/feature 0 value 100/);
    expect(refused(far, [0, 1])).to.equal(undefined);
    expect(refused(castToOtherDtype(far), true)).to.match(/dtype must be float32/);
  });

  it('applies per-input extrapolation to the named input only', () => {
    const state: PreprocessingState = { steps: [] };
    const named = contractOf([train, train], ['a', 'b'], state);
    const far = f32([1, 2], [100, 20]);
    expect(() => enforceContract({ contract: named, file, extrapolates: { a: [0] } }, [far, train], 'x')).not.to.throw();
    expect(() => enforceContract({ contract: named, file, extrapolates: { a: [0] } }, [train, far], 'x')).to.throw(
      /input "b" feature 0 value 100/,
    );
  });

  it('rescales data on a large scale to [0, 1] and leaves token ids alone', () => {
    const big = contractOf([f32([2, 1], [0, 255])], undefined, none);
    expect(rescaleToOtherRange([f32([2, 1], [0, 255])], undefined, none, big).target).to.deep.equal([0, 1]);
    const ids: PreprocessingState = { steps: [{ kind: 'vocabulary', options: {}, state: {} }] };
    expect(rescaleToOtherRange([f32([1, 2], [3, 4])], undefined, ids, undefined).rescaled).to.deep.equal([]);
  });
});

describe('input contract in probes.json and in the scenario', () => {
  const probes = (contractJson: unknown) =>
    JSON.stringify({
      scenario: 'x',
      sourceHash: 'a'.repeat(64),
      tfjs: '4.22.0',
      backend: 'cpu',
      node: 'v20',
      platform: 'linux-x64',
      recorded: 'now',
      inputs: [[1, 2]],
      ...(contractJson === undefined ? {} : { contract: contractJson }),
    });

  it('a probes.json without a contract (recorded before contracts) still parses', () => {
    expect(parseProbesFile(probes(undefined), file, 'x').contract).to.equal(undefined);
    expect(parseProbesFile(probes(contract), file, 'x').contract).to.deep.equal(contract);
  });

  it('a broken contract names the file and the field', () => {
    const bad = (c: unknown) => () => parseProbesFile(probes({ inputs: [c] }), file, 'x');
    expect(bad({ ...contract.inputs[0], min: [0] })).to.throw(
      'goldens/x/probes.json: contract.inputs[0].min must have 2 value(s) (per-feature ranges of shape [2]), found 1; restore it with git or re-record',
    );
    expect(bad({ ...contract.inputs[0], min: [0, 40] })).to.throw(/contract\.inputs\[0\]\.min\[1\] must not exceed max\[1\] \(40 > 30\)/);
    expect(bad({ ...contract.inputs[0], dtype: 'float64' })).to.throw(
      /goldens\/x\/probes\.json: contract\.inputs\[0\]\.dtype must be valid/,
    );
  });

  it("a scenario's extrapolates field is checked, naming the file and the field", () => {
    const scenario = {
      name: 'x',
      description: 'd',
      seed: 1,
      data: () => ({}),
      model: () => ({}),
      train: { epochs: 1, batchSize: 1, loss: 'meanSquaredError' },
    };
    for (const ok of [true, [0, 2], { sensors: [1], site: true }])
      expect(() => validateScenario({ ...scenario, extrapolates: ok }, 'x.scenario.ts')).not.to.throw();
    expect(() => validateScenario({ ...scenario, extrapolates: 'yes' }, 'x.scenario.ts')).to.throw(
      /x\.scenario\.ts: invalid scenario:\n {2}- extrapolates must be true, a list of feature indices/,
    );
  });
});
