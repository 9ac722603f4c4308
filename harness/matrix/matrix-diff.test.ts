import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { diffMatrices, formatMatrixChanges, readMatrixFile } from './matrix-diff.ts';
import type { MatrixCell, MatrixResult } from './matrix-report.ts';

const cell = (over: Partial<MatrixCell>): MatrixCell => ({
  scenario: 'rnn',
  recordedWith: '3.21.0',
  version: '4.22.0',
  backend: 'cpu',
  check: 'replay',
  status: 'pass',
  maxAbsError: 0,
  ...over,
});
const matrix = (...cells: MatrixCell[]): MatrixResult => ({ cross: true, versions: [], cells });

describe('diff of two matrix.json files', () => {
  it('names cells added, removed, newly failing, fixed, and drift grown or shrunk', () => {
    const before = matrix(
      cell({}),
      cell({ scenario: 'gone' }),
      cell({ scenario: 'breaks' }),
      cell({ scenario: 'heals', status: 'fail', maxAbsError: 0.5 }),
      cell({ scenario: 'grows', maxAbsError: 1e-7 }),
      cell({ scenario: 'shrinks', maxAbsError: 1e-6 }),
    );
    const after = matrix(
      cell({}),
      cell({ scenario: 'new' }),
      cell({ scenario: 'breaks', status: 'fail', maxAbsError: 0.1 }),
      cell({ scenario: 'heals', maxAbsError: 0 }),
      cell({ scenario: 'grows', maxAbsError: 3e-7 }),
      cell({ scenario: 'shrinks', maxAbsError: 1e-7 }),
    );
    const kinds = Object.fromEntries(diffMatrices(before, after).map((c) => [c.id.split(' ')[0], c.kind]));
    expect(kinds).to.deep.equal({
      gone: 'removed',
      new: 'added',
      breaks: 'newly failing',
      heals: 'fixed',
      grows: 'drift grown',
      shrinks: 'drift shrunk',
    });
    expect(formatMatrixChanges(diffMatrices(before, after))).to.match(
      /newly failing \(1\):\n {2}✘ breaks · saved by 3\.21\.0 › 4\.22\.0 · cpu › replay: pass → fail {2}max abs error 0 → 1\.00e-1/,
    );
  });

  it('tells cells apart by the version that saved the bundle', () => {
    const changes = diffMatrices(matrix(cell({})), matrix(cell({}), cell({ recordedWith: '4.10.0', status: 'fail' })));
    expect(changes).to.have.length(1);
    expect(changes[0]).to.include({ kind: 'newly failing', id: 'rnn · saved by 4.10.0 › 4.22.0 · cpu › replay' });
  });

  it('lines up a plain matrix written before cells carried recordedWith with one that has it', () => {
    const old = { versions: [], cells: [cell({ recordedWith: undefined })] };
    expect(diffMatrices(old, { versions: [], cells: [cell({})] })).to.deep.equal([]);
  });

  it('reports no changes for identical matrices, and reads only matrix files as matrices', async () => {
    expect(formatMatrixChanges(diffMatrices(matrix(cell({})), matrix(cell({}))))).to.equal('no changes\n');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-mdiff-'));
    try {
      await writeFile(path.join(dir, 'm.json'), JSON.stringify(matrix(cell({}))));
      await writeFile(path.join(dir, 'r.json'), JSON.stringify({ outcomes: [] }));
      expect(await readMatrixFile(path.join(dir, 'm.json'))).to.have.property('cells');
      expect(await readMatrixFile(path.join(dir, 'r.json'))).to.equal(undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
