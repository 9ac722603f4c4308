import { expect } from 'chai';
import { validateScenario } from '../scenario/validate-scenario.ts';
import { applyKnownDrift, cellsFromOutcomes, matrixMarkdown, type MatrixCell } from './matrix-report.ts';

const cell = (over: Partial<MatrixCell>): MatrixCell => ({
  scenario: 'rnn',
  version: '3.21.0',
  backend: 'cpu',
  check: 'retrain',
  status: 'fail',
  maxAbsError: 0.05,
  mismatches: 8,
  total: 8,
  ...over,
});
const drift = { rnn: [{ tfjs: '<4.0.0', check: 'retrain' as const, maxAbsError: 0.1, reason: 'orthogonal initializer changed' }] };

describe('known drift in the matrix', () => {
  it('marks a failing cell within the declared bound as expected, with the reason', () => {
    const [c] = applyKnownDrift([cell({})], drift);
    expect(c).to.include({ status: 'expected' });
    expect(c!.reason).to.match(/known drift on tfjs <4\.0\.0: orthogonal initializer changed/);
  });

  it('fails when the drift grows past the bound, or disappears', () => {
    expect(applyKnownDrift([cell({ maxAbsError: 0.2 })], drift)[0]).to.include({ status: 'fail' });
    const gone = applyKnownDrift([cell({ status: 'pass', maxAbsError: 0 })], drift)[0]!;
    expect(gone.status).to.equal('fail');
    expect(gone.reason).to.match(/no longer drifts; remove this knownDrift entry/);
  });

  it('leaves other versions, checks and scenarios alone', () => {
    const others = [cell({ version: '4.10.0' }), cell({ check: 'replay' }), cell({ scenario: 'other' })];
    expect(applyKnownDrift(others, drift).map((c) => c.status)).to.deep.equal(['fail', 'fail', 'fail']);
  });

  it('lists expected cells in their own section of matrix.md', () => {
    const md = matrixMarkdown({ versions: [], cells: applyKnownDrift([cell({})], drift) });
    expect(md).to.contain('| rnn · retrain | ≈ 5.0e-2 |').and.contain('### Known drift').and.contain('0 failed, 1 expected');
  });
});

describe('cross-version cells (matrix --cross)', () => {
  const directional = {
    rnn: [{ tfjs: '>=4.0.0', recordedWith: '3.x', check: 'replay' as const, maxAbsError: 0.1, reason: '3.x bundles load differently' }],
  };
  it('applies a known drift only to bundles saved by the versions it names', () => {
    const [from3, from4] = applyKnownDrift(
      [
        cell({ check: 'replay', recordedWith: '3.21.0', version: '4.22.0' }),
        cell({ check: 'replay', recordedWith: '4.10.0', version: '4.22.0' }),
      ],
      directional,
    );
    expect(from3).to.include({ status: 'expected' });
    expect(from3!.reason).to.match(/of bundles saved by 3\.x/);
    expect(from4).to.include({ status: 'fail' });
  });

  it('shows the saved-by × replayed-by grid per scenario and backend in matrix.md', () => {
    const cells = ['3.21.0', '4.22.0'].flatMap((by) =>
      ['3.21.0', '4.22.0'].map((v) => cell({ check: 'replay', recordedWith: by, version: v, status: 'pass', maxAbsError: 0 })),
    );
    const md = matrixMarkdown({ cross: true, versions: [], cells });
    expect(md).to.contain('| scenario · check · saved by | replayed by 3.21.0 · cpu | replayed by 4.22.0 · cpu |');
    expect(md).to.contain('| rnn · replay · saved by 3.21.0 | ✔ 0 | ✔ 0 |').and.contain('| rnn · replay · saved by 4.22.0 | ✔ 0 | ✔ 0 |');
  });

  it('makes a backend the replaying version cannot use not applicable, with the reason', () => {
    const [c] = cellsFromOutcomes(
      '3.21.0',
      [
        {
          scenario: 'rnn',
          configuration: { runtime: 'tfjs@3.21.0', backend: 'tensorflow', format: 'memory' },
          check: 'replay',
          status: 'fail',
          reason: 'backend tensorflow is not usable but TFJS_REPRO_REQUIRE_BACKENDS requires it: Cannot find module dist/index.js',
          durationMs: 0,
        },
      ],
      '4.22.0',
    );
    expect(c).to.include({ status: 'not-applicable', recordedWith: '4.22.0', version: '3.21.0' });
    expect(c!.reason).to.equal('tfjs 3.21.0: backend tensorflow is not usable: Cannot find module dist/index.js');
  });
});

describe('knownDrift.recordedWith in a scenario file', () => {
  const scenario = {
    name: 'rnn',
    description: 'x',
    seed: 1,
    data: () => ({ train: { x: [[1]], y: [[1]] }, probes: [[1]] }),
    model: () => undefined,
    train: { epochs: 1, batchSize: 1, loss: 'meanSquaredError' },
  };
  const drift = (recordedWith: string) => ({
    ...scenario,
    knownDrift: [{ tfjs: '>=4.0.0', recordedWith, check: 'replay', maxAbsError: 0.1, reason: 'r' }],
  });
  it('accepts a semver range and refuses anything else, naming the field', () => {
    expect(() => validateScenario(drift('3.x'), 'scenarios/rnn.scenario.ts')).to.not.throw();
    expect(() => validateScenario(drift('three'), 'scenarios/rnn.scenario.ts')).to.throw(
      /scenarios\/rnn\.scenario\.ts: .*knownDrift\.0\.recordedWith must be a semver range of the recording tfjs/s,
    );
  });
});
