// Type errors are reported as one failing test rather than gating `npm test`: a scenario with a
// typo must still show the harness's own message naming its file and field, and the others run.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

describe('type check (tsc --noEmit, strict)', () => {
  it('has no type errors in harness/, scenarios/ and scripts/', async function () {
    this.timeout(120_000);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const output = await new Promise<string>((resolve) => {
      execFile(process.execPath, [tsc, '--noEmit', '-p', root], { cwd: root }, (err, stdout, stderr) => resolve(err ? `${stdout}${stderr}` : ''));
    });
    expect(output, output).to.equal('');
  });
});
