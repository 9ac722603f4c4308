import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { reportFiles } from './run-reports.ts';

describe('run --junit / --html files', () => {
  it('default to results/, one file per shard', async () => {
    expect(await reportFiles({ junit: '', html: '' })).to.deep.equal({ junit: 'results/junit/run.xml', html: 'results/report.html' });
    expect(await reportFiles({ junit: '', html: '', shard: '2/3' })).to.deep.equal({
      junit: 'results/junit/run-shard-2-of-3.xml',
      html: 'results/report-shard-2-of-3.html',
    });
    expect(await reportFiles({})).to.deep.equal({});
  });

  it('refuse a directory before any work, naming a file to use instead', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-reports-'));
    try {
      await reportFiles({ junit: dir }).then(
        () => expect.fail('accepted a directory'),
        (err: Error) => expect(err.message).to.equal(`--junit ${dir}: is a directory; name a file, e.g. ${path.join(dir, 'run.xml')}`),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
