import { expect } from 'chai';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadRuntime, activateBackend } from '../runtime/load-runtime.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import { fitPipeline } from '../preprocessing/pipeline.ts';
import { sha256, utf8, type BundleFiles } from './bundle-files.ts';
import { readBundleDir, writeBundleDir } from './bundle-dir.ts';
import { formatNames, formats } from './formats.ts';
import { createBundle } from './save-bundle.ts';

const scenario = { name: 'unit' } as TrainedScenario;
const runtime = await loadRuntime();
const { tf } = runtime;

describe('bundles and formats', () => {
  let files: BundleFiles;
  let expected: Float32Array;
  const input = () =>
    tf.tensor2d([
      [0.5, -1, 2],
      [3, 0, -0.25],
    ]);

  before(async () => {
    await activateBackend(runtime, 'cpu');
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [3], units: 2, kernelInitializer: 'ones', biasInitializer: 'ones' })],
    });
    model.setWeights([
      tf.tensor2d([
        [0.1, 0.2],
        [0.3, 0.4],
        [0.5, 0.6],
      ]),
      tf.tensor1d([0.01, -0.02]),
    ]);
    expected = (model.predict(input()) as import('@tensorflow/tfjs').Tensor).dataSync() as Float32Array;
    files = await createBundle({
      tf,
      model,
      preprocessing: fitPipeline([{ kind: 'standardScaler', options: {} }], [[1, 2, 3]]),
      scenario: 'unit',
      backend: 'cpu',
    });
    model.dispose();
  });

  for (const format of formatNames) {
    it(`${format}: loads what was saved, with the same predictions and preprocessing`, async () => {
      const loaded = await formats[format].load(files, { tf, scenario, where: 'unit' });
      const got = (loaded.model.predict(input()) as import('@tensorflow/tfjs').Tensor).dataSync();
      expect(Array.from(got)).to.deep.equal(Array.from(expected));
      expect(loaded.preprocessing.steps[0]!.kind).to.equal('standardScaler');
      loaded.model.dispose();
    });

    it(`${format}: refuses a weights file changed by one byte, naming the file`, async () => {
      const tampered = new Map(files);
      const weights = Uint8Array.from(files.get('weights.bin')!);
      weights[3] = weights[3]! ^ 1;
      tampered.set('weights.bin', weights);
      try {
        await formats[format].load(tampered, { tf, scenario, where: 'unit' });
        expect.fail('expected a checksum error');
      } catch (err) {
        expect((err as Error).message).to.match(/weights\.bin: checksum mismatch/);
      }
    });
  }

  for (const format of formatNames)
    it(`${format}: refuses weight paths that leave the bundle directory`, async () => {
      const modelJson = JSON.parse(new TextDecoder().decode(files.get('model.json')!));
      modelJson.weightsManifest[0].paths = ['../weights.bin'];
      const evil = new Map(files);
      evil.set('model.json', utf8(JSON.stringify(modelJson)));
      const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')!));
      manifest.files['model.json'] = { sha256: sha256(evil.get('model.json')!), bytes: evil.get('model.json')!.byteLength };
      evil.set('manifest.json', utf8(JSON.stringify(manifest)));
      try {
        await formats[format].load(evil, { tf, scenario, where: 'unit' });
        expect.fail('expected the path to be refused');
      } catch (err) {
        expect((err as Error).message).to.match(/weight path "\.\.\/weights\.bin" must stay inside the bundle/);
      }
    });

  it('refuses a bundle file that links outside the bundle, and wrong sizes before reading', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-'));
    try {
      await writeBundleDir(dir, files);
      const outside = path.join(dir, '..', `outside-${path.basename(dir)}.bin`);
      await writeFile(outside, await readFile(path.join(dir, 'weights.bin')));
      await rm(path.join(dir, 'weights.bin'));
      await symlink(outside, path.join(dir, 'weights.bin'));
      let message = '';
      await readBundleDir(dir).catch((e: Error) => {
        message = e.message;
      });
      expect(message).to.match(/weights\.bin: links outside the bundle directory/);
      await rm(path.join(dir, 'weights.bin'));
      await writeFile(path.join(dir, 'weights.bin'), new Uint8Array(4));
      await readBundleDir(dir).catch((e: Error) => {
        message = e.message;
      });
      expect(message).to.match(/weights\.bin: size 4 bytes must be \d+ as in manifest\.json/);
      await rm(outside);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bundle whose weights do not cover every variable of the model', async () => {
    const modelJson = JSON.parse(new TextDecoder().decode(files.get('model.json')!));
    const bias = modelJson.weightsManifest[0].weights.pop();
    expect(bias.name).to.match(/bias/);
    const short = new Map(files);
    short.set('model.json', utf8(JSON.stringify(modelJson)));
    short.set('weights.bin', files.get('weights.bin')!.slice(0, 24));
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')!));
    for (const n of ['model.json', 'weights.bin']) manifest.files[n] = { sha256: sha256(short.get(n)!), bytes: short.get(n)!.byteLength };
    short.set('manifest.json', utf8(JSON.stringify(manifest)));
    let message = '';
    await formats.memory.load(short, { tf, scenario, where: 'unit' }).catch((e: Error) => {
      message = e.message;
    });
    expect(message).to.match(/unit: loading the model failed: .*bias/i);
  });
});
