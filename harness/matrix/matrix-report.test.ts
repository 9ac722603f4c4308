import { expect } from 'chai';
import { applyKnownDrift, matrixMarkdown, type MatrixCell } from './matrix-report.ts';

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
