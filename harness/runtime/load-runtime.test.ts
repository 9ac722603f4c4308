// A runtime loads only the Node backends it is asked for: a host started for `-b cpu` must not pay for
// libtensorflow. Run in a fresh process, since this one (a mocha worker) has loaded every backend already.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const script = `
import { createRequire } from 'node:module';
import { loadRuntime, activateBackend } from ${JSON.stringify(new URL('./load-runtime.ts', import.meta.url).href)};
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((f) => /tfjs-node[\\\\/]dist[\\\\/]index\\.js$/.test(f));
const first = await loadRuntime({ backends: ['wasm'] });
const before = { ...first.backends, tfjsNodeLoaded: loaded() };
let refused = '';
await activateBackend(first, 'tensorflow').catch((e) => (refused = e.message));
const second = await loadRuntime({ backends: ['tensorflow'] });
console.log(JSON.stringify({ before, refused, same: first === second, after: second.backends.tensorflow, tfjsNodeLoaded: loaded() }));
`;

describe('loadRuntime backend selection', () => {
  it('registers only the selected Node backends (cpu always), says how to select the others, and adds them when a later caller asks', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 60_000,
    });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(r.before.cpu).to.deep.equal({ usable: true });
    expect(r.before.wasm).to.deep.equal({ usable: true });
    expect(r.before.tensorflow.usable).to.equal(false);
    expect(r.before.tensorflow.reason).to.equal(
      'not loaded in this process, which was started for cpu, wasm; select it with -b tensorflow',
    );
    expect(r.before.tfjsNodeLoaded).to.equal(false);
    expect(r.refused).to.match(/^backend tensorflow is not usable: not loaded in this process/);
    expect(r.same).to.equal(true);
    expect(r.after).to.deep.equal({ usable: true });
    expect(r.tfjsNodeLoaded).to.equal(true);
  });
});
