// Through loadRuntime, as hosts load tfjs-node, in a fresh process: Node warns about each deprecation once
// per process, and this mocha worker may have loaded tfjs-node already. Warnings are counted through the
// 'warning' event, which fires whatever NODE_NO_WARNINGS says.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REQUIRE_ENV, requiredBackendsFromEnv } from '../checks/plan.ts';

const script = `
import util from 'node:util';
import { activateBackend, loadRuntime } from ${JSON.stringify(new URL('./load-runtime.ts', import.meta.url).href)};
const warnings = [];
process.on('warning', (w) => warnings.push(w.code ?? w.name));
const runtime = await loadRuntime({ backends: ['tensorflow'] });
const native = runtime.backends.tensorflow;
let concat = null;
if (native.usable) {
  await activateBackend(runtime, 'tensorflow');
  const tf = runtime.tf;
  // concat calls both util.isNullOrUndefined and util.isArray inside tfjs-node.
  concat = Array.from(tf.concat([tf.ones([1]), tf.zeros([1])]).dataSync());
}
await new Promise(setImmediate);
const meaning = [util.isArray([]), util.isArray({}), util.isNullOrUndefined(null), util.isNullOrUndefined(undefined), util.isNullOrUndefined(0)];
console.log(JSON.stringify({ usable: native.usable, reason: native.reason ?? '', concat, warnings, meaning }));
`;

describe('the util functions tfjs-node calls on native ops (Node 24 removed one, Node 22 warns on both)', () => {
  it('work on tensorflow through loadRuntime, keep their meaning and raise no warning', async function () {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 60_000,
    });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!);
    if (!r.usable) {
      if (requiredBackendsFromEnv().includes('tensorflow')) throw new Error(`${REQUIRE_ENV} requires tensorflow: ${r.reason}`);
      this.test!.title += ` (skipped: the tensorflow backend is not usable: ${r.reason})`;
      this.skip();
    }
    expect(r.concat).to.deep.equal([1, 0]);
    expect(r.warnings).to.deep.equal([]);
    expect(r.meaning).to.deep.equal([true, false, true, true, false]);
  });
});
