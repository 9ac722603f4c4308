// Run in a fresh process: Node prints each deprecation once per process, and this mocha worker may have
// loaded tfjs-node (and the patch) already.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const script = `
import util from 'node:util';
import { patchUtilForTfjsNode } from ${JSON.stringify(new URL('./node-util-compat.ts', import.meta.url).href)};
patchUtilForTfjsNode();
console.log(JSON.stringify([util.isArray([]), util.isArray({}), util.isNullOrUndefined(null), util.isNullOrUndefined(undefined), util.isNullOrUndefined(0)]));
`;

describe('the util functions tfjs-node calls on every native op', () => {
  it('exist on every Node line, keep their meaning and print no DeprecationWarning', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).to.deep.equal([true, false, true, true, false]);
    expect(stderr).to.equal('');
  });
});
