import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lockGoldens } from './golden-lock.ts';
import { GoldenStore, type GoldenContent } from './golden-store.ts';

const HASH = 'a'.repeat(64);
function content(value: number, hash = HASH): GoldenContent {
  const prov = { scenario: 's', sourceHash: hash, tfjs: '4.22.0', backend: 'cpu', node: 'v20', platform: 'linux-x64', recorded: 'now' };
  return {
    bundle: new Map([['model.json', new TextEncoder().encode('{}')]]),
    probes: { ...prov, inputs: [[1, 2]] },
    outputs: { cpu: { ...prov, outputs: { output0: { shape: [1], dtype: 'float32', data: [value] } } } },
  };
}

describe('GoldenStore', () => {
  let root: string;
  let store: GoldenStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'golden-store-'));
    store = new GoldenStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes and reads back a golden, validated against its schema', async () => {
    await store.write('s', content(0.5));
    expect((await store.readProbes('s')).inputs).to.deep.equal([[1, 2]]);
    expect((await store.readOutputs('s', 'cpu'))!.outputs.output0!.data).to.deep.equal([0.5]);
    expect(await store.recordedBackends('s')).to.deep.equal(['cpu']);
  });

  it('reports ok, missing, stale and orphan', async () => {
    expect(await store.status('s', HASH)).to.equal('missing');
    await store.write('s', content(1));
    expect(await store.status('s', HASH)).to.equal('ok');
    expect(await store.status('s', 'b'.repeat(64))).to.equal('stale');
    expect(await store.status('s', undefined)).to.equal('orphan');
  });

  it('names the file and field of a golden that breaks its schema', async () => {
    await store.write('s', content(1));
    const file = store.outputsFile('s', 'cpu');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"float32"', '"float64"'));
    try {
      await store.readOutputs('s', 'cpu');
      expect.fail('expected a schema error');
    } catch (err) {
      expect((err as Error).message).to.match(/outputs\/cpu\.json: outputs\.output0\.dtype .*re-record/);
    }
    expect(await store.status('s', HASH)).to.equal('invalid');
  });

  it('replaces a golden whole: no temporary or old directory is left behind', async () => {
    await store.write('s', content(1));
    await store.write('s', content(2));
    expect((await store.readOutputs('s', 'cpu'))!.outputs.output0!.data).to.deep.equal([2]);
    expect(await readdir(root)).to.deep.equal(['s']);
  });

  it('recovers from a kill at any point of the swap: the old or the new golden, never a broken one', async () => {
    // Each command opens its own store, so each `new GoldenStore` below is the next command.
    await store.write('s', content(1));
    // Killed while writing the new one: the temporary directory is discarded, the old one stays.
    await writeFile(path.join(root, '.tmp-s-999999999-dead'), 'partial');
    expect(await new GoldenStore(root).list()).to.deep.equal(['s']);
    expect(await readdir(root)).to.deep.equal(['s']);
    // Killed between moving the old one aside and moving the new one in: the old one comes back,
    // even for a command that only asks for this scenario's status.
    await rename(path.join(root, 's'), path.join(root, '.old-s'));
    expect(await new GoldenStore(root).status('s', HASH)).to.equal('ok');
    expect((await new GoldenStore(root).readOutputs('s', 'cpu'))!.outputs.output0!.data).to.deep.equal([1]);
    // Killed after the new one moved in, before the old one was deleted: the new one stays.
    await new GoldenStore(root).write('s', content(2));
    await mkdir(path.join(root, '.old-s'));
    expect(await new GoldenStore(root).list()).to.deep.equal(['s']);
    expect((await new GoldenStore(root).readOutputs('s', 'cpu'))!.outputs.output0!.data).to.deep.equal([2]);
    expect(await readdir(root)).to.deep.equal(['s']);
  });

  it('removes an outputs file that a killed writer left half written', async () => {
    await store.write('s', content(1));
    const leftover = `${store.outputsFile('s', 'wasm')}.999999999-abcd.tmp`;
    await writeFile(leftover, '{"partial"');
    await new GoldenStore(root).list();
    expect(await readdir(path.join(root, 's', 'outputs'))).to.deep.equal(['cpu.json']);
  });

  it('leaves alone a temporary directory while a writer holds the goldens lock, removes it after', async () => {
    // Cleaning goes by the lock, not by whether a PID is alive: this test's own PID is alive throughout.
    const lock = (await lockGoldens(root))!;
    await mkdir(path.join(root, `.tmp-s-${process.pid}-abcd`));
    await new GoldenStore(root).recover();
    expect(await readdir(root)).to.include(`.tmp-s-${process.pid}-abcd`);
    await lock.release();
    await new GoldenStore(root).list();
    expect(await readdir(root)).to.deep.equal([]);
  });

  it('reads every committed golden as ok under the strict schema and consistency checks', async () => {
    const committed = new GoldenStore(path.join(import.meta.dirname, '..', '..', 'goldens'));
    for (const s of await committed.list()) {
      const hash = (await committed.readProbes(s)).sourceHash;
      expect(await committed.inspect(s, hash), s).to.deep.equal({ status: 'ok' });
    }
  });
});
