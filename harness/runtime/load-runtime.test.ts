// A runtime loads only the Node backends it is asked for: a host started for `-b cpu` must not pay for
// libtensorflow or wasm. Run in a fresh process, since this one (a mocha worker) has loaded every backend already.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const script = `
import { createRequire, findSourceMap } from 'node:module';
import { loadRuntime, activateBackend } from ${JSON.stringify(new URL('./load-runtime.ts', import.meta.url).href)};
const loaded = (name) => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/@tensorflow/' + name + '/'));
const mapsOn = process.sourceMapsEnabled;
const first = await loadRuntime({ backends: [] });
const core = Object.keys(createRequire(import.meta.url).cache).find((f) => f.includes('/@tensorflow/tfjs-core/dist/'));
const before = { ...first.backends, wasmLoaded: loaded('tfjs-backend-wasm'), tfjsNodeLoaded: loaded('tfjs-node') };
let refused = '';
await activateBackend(first, 'wasm').catch((e) => (refused = e.message));
const second = await loadRuntime({ backends: ['wasm'] });
console.log(JSON.stringify({ maps: [mapsOn, process.sourceMapsEnabled, findSourceMap(core) !== undefined], before, refused, same: first === second, after: second.backends, wasmLoaded: loaded('tfjs-backend-wasm'), tfjsNodeLoaded: loaded('tfjs-node') }));
`;

describe('loadRuntime in a fresh process', () => {
  /** What the child printed. */
  let r: {
    maps: boolean[];
    before: Record<string, unknown>;
    refused: string;
    same: boolean;
    after: { wasm: unknown; tensorflow: { usable: boolean } };
    wasmLoaded: boolean;
    tfjsNodeLoaded: boolean;
  };
  before(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 60_000,
    });
    r = JSON.parse(stdout.trim().split('\n').at(-1)!);
  });

  it('registers only the selected Node backends (cpu always), says how to select the others, and adds them when a later caller asks', () => {
    expect(r.before.cpu).to.deep.equal({ usable: true });
    for (const name of ['wasm', 'tensorflow'])
      expect(r.before[name]).to.deep.equal({
        usable: false,
        reason: `not loaded in this process, which was started for cpu; select it with -b ${name}`,
      });
    expect([r.before.wasmLoaded, r.before.tfjsNodeLoaded]).to.deep.equal([false, false]);
    expect(r.refused).to.match(/^backend wasm is not usable: not loaded in this process/);
    expect(r.same).to.equal(true);
    expect(r.after.wasm).to.deep.equal({ usable: true });
    expect(r.after.tensorflow.usable).to.equal(false);
    expect([r.wasmLoaded, r.tfjsNodeLoaded]).to.deep.equal([true, false]);
  });

  it("loads tfjs without its source maps (9 MB parsed in every host otherwise) and turns tsx's back on for scenario files", () => {
    // On before and after, and no map cached for tfjs-core.
    expect(r.maps).to.deep.equal([true, true, false]);
  });
});
