import { expect } from 'chai';
import { validateScenario } from './validate-scenario.ts';

const valid = {
  name: 'ok-model',
  description: 'd',
  seed: 1,
  data: () => ({ train: { x: [], y: [] }, probes: [] }),
  model: () => null,
  train: { epochs: 1, batchSize: 1, loss: 'meanSquaredError' },
};

describe('validateScenario', () => {
  it('accepts a complete scenario, with or without preprocessing', () => {
    expect(validateScenario(valid, 'scenarios/ok-model.scenario.ts')).to.equal(valid);
    const withSteps = { ...valid, preprocessing: [{ kind: 'standardScaler', options: {} }] };
    expect(validateScenario(withSteps, 'scenarios/ok-model.scenario.ts')).to.equal(withSteps);
    const perInput = { ...valid, preprocessing: { a: [{ kind: 'minMaxScaler', options: {} }] } };
    expect(validateScenario(perInput, 'scenarios/ok-model.scenario.ts')).to.equal(perInput);
  });

  it('names the file and every wrong or missing field', () => {
    const broken = { ...valid, seed: 1.5, train: { batchSize: 1, loss: 'mse' } };
    expect(() => validateScenario(broken, 'scenarios/x.scenario.ts')).to.throw(
      /^scenarios\/x\.scenario\.ts: invalid scenario:\n {2}- seed must be an integer\n {2}- train\.epochs is required/,
    );
  });

  it('names an unknown field, which is usually a typo', () => {
    expect(() => validateScenario({ ...valid, epochs: 3 }, 'f.ts')).to.throw(/f\.ts: .*unknown field\(s\) "epochs"/s);
  });

  it('says how to export a scenario when the default export is missing', () => {
    expect(() => validateScenario(undefined, 'f.ts')).to.throw(/f\.ts: default export is missing; write `export default defineScenario/);
  });

  it('accepts a saved model without model() and train, and names a wrong modelPath and a stray train', () => {
    const { model: _m, train: _t, ...common } = valid;
    expect(validateScenario({ ...common, source: 'saved', modelPath: 'models/my-model' }, 'f.ts')).to.include({ source: 'saved' });
    expect(() => validateScenario({ ...common, source: 'saved', modelPath: 'x' }, 'f.ts')).to.throw(
      /f\.ts: .*modelPath must be "models\/<name>"/s,
    );
    expect(() => validateScenario({ ...valid, source: 'saved', modelPath: 'models/m' }, 'f.ts')).to.throw(
      /unknown field\(s\) "model", "train"/,
    );
  });
});

describe('validateScenario: options of steps, losses and backends', () => {
  it('requires vocabulary maxLength, names unknown losses and backends', () => {
    const broken = {
      ...valid,
      preprocessing: [{ kind: 'vocabulary', options: {} }],
      train: { ...valid.train, loss: 'meanSquaredErr' },
      tolerance: { backends: { wsam: { retrain: { atol: 1 } } } },
    };
    let message = '';
    try {
      validateScenario(broken, 'f.ts');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.match(/preprocessing\.0\.options\.maxLength is required/);
    expect(message).to.match(/train\.loss must be one of meanSquaredError/);
    expect(message).to.match(/tolerance\.backends.*wsam/);
  });
});
