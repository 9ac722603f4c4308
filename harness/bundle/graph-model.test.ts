import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activateBackend, loadRuntime } from '../runtime/load-runtime.ts';
import type { GraphModel, Tensor } from '../runtime/tf-types.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import { fromUtf8, sha256, utf8, type BundleFiles } from './bundle-files.ts';
import { formatNames, formats } from './formats.ts';
import { isGraphModel } from './graph-model.ts';
import { importModelDir } from './import-model-dir.ts';
import { createBundle } from './save-bundle.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The converter's output for a small SavedModel (Dense(8, relu), Dense(3, softmax)), committed.
const CONVERTED = path.join(ROOT, 'models', 'tf-graph-dense', 'tfjs');
const scenario = { name: 'graph-unit' } as TrainedScenario;
const runtime = await loadRuntime();
const { tf } = runtime;

const rows = [
  [0.5, -1, 2, 0.25],
  [3, 0, -0.25, -1.5],
  [-0.75, 1.25, 0, 2],
];
function predictBits(model: GraphModel): Uint32Array {
  const x = tf.tensor2d(rows);
  const y = model.predict(x) as Tensor;
  const bits = new Uint32Array(Float32Array.from(y.dataSync() as Float32Array).buffer);
  tf.dispose([x, y]);
  return bits;
}
/** A bundle file replaced, with the manifest re-hashed so that only the content is wrong. */
function rehashed(files: BundleFiles, name: string, bytes: Uint8Array): BundleFiles {
  const out = new Map(files).set(name, bytes);
  const manifest = JSON.parse(fromUtf8(files.get('manifest.json')!));
  manifest.files[name] = { sha256: sha256(bytes), bytes: bytes.byteLength };
  return out.set('manifest.json', utf8(JSON.stringify(manifest)));
}

describe('graph model bundles (format "graph-model")', () => {
  let files: BundleFiles;
  let expected: Uint32Array;
  const load = async (format: (typeof formatNames)[number], bundle: BundleFiles) => {
    const { model } = await formats[format].load(bundle, { tf, scenario, where: 'graph-unit' });
    if (!isGraphModel(model)) throw new Error('loaded a layers model from a graph bundle');
    return model;
  };

  before(async () => {
    await activateBackend(runtime, 'cpu');
    files = await importModelDir(CONVERTED, 'graph-unit');
    const direct = await tf.loadGraphModel(`file://${path.join(CONVERTED, 'model.json')}`);
    expected = predictBits(direct);
    direct.dispose();
  });

  for (const format of formatNames) {
    it(`${format}: loads as a graph model, saves with format graph-model, and the re-saved bundle predicts bit for bit`, async () => {
      const tensors = tf.memory().numTensors;
      const model = await load(format, files);
      expect(Array.from(predictBits(model))).to.deep.equal(Array.from(expected));
      const saved = await createBundle({ tf, model, preprocessing: { steps: [] }, scenario: 'graph-unit', backend: 'cpu' });
      model.dispose();
      const json = JSON.parse(fromUtf8(saved.get('model.json')!));
      expect(json.format).to.equal('graph-model');
      expect(json.signature.inputs).to.have.property('features');
      // The weights travel unchanged: one shard of the converter, the same bytes in weights.bin.
      expect(sha256(saved.get('weights.bin')!)).to.equal(sha256(files.get('group1-shard1of1.bin')!));
      for (const again of formatNames) {
        const reloaded = await load(again, saved);
        expect(Array.from(predictBits(reloaded)), `${format} → ${again}`).to.deep.equal(Array.from(expected));
        reloaded.dispose();
      }
      expect(tf.memory().numTensors).to.equal(tensors);
    });

    it(`${format}: refuses a graph bundle whose weights.bin changed by one byte, naming the file`, async () => {
      const model = await load('memory', files);
      const saved = await createBundle({ tf, model, preprocessing: { steps: [] }, scenario: 'graph-unit', backend: 'cpu' });
      model.dispose();
      const weights = Uint8Array.from(saved.get('weights.bin')!);
      weights[5] = weights[5]! ^ 1;
      const tampered = new Map(saved).set('weights.bin', weights);
      let message = '';
      await load(format, tampered).catch((e: Error) => (message = e.message));
      expect(message).to.match(/weights\.bin: checksum mismatch/);
    });
  }

  it('refuses a graph whose constant has no weight, naming the node, and leaks nothing', async () => {
    const json = JSON.parse(fromUtf8(files.get('model.json')!));
    const group = json.weightsManifest[0];
    const dropped = group.weights.pop();
    const shard = files.get(group.paths[0])!;
    const bytes = dropped.shape.reduce((a: number, b: number) => a * b, 1) * 4;
    const short = rehashed(
      rehashed(files, 'model.json', utf8(JSON.stringify(json))),
      group.paths[0],
      shard.slice(0, shard.byteLength - bytes),
    );
    const tensors = tf.memory().numTensors;
    let message = '';
    await load('memory', short).catch((e: Error) => (message = e.message));
    expect(message).to.include(`node "${dropped.name}" is a constant of the graph but has no weight in weightsManifest`);
    expect(tf.memory().numTensors).to.equal(tensors);
  });

  it('refuses a graph topology whose nodes are not named ops, naming the field', async () => {
    const json = JSON.parse(fromUtf8(files.get('model.json')!));
    json.modelTopology.node[1].op = 7;
    let message = '';
    await load('memory', rehashed(files, 'model.json', utf8(JSON.stringify(json)))).catch((e: Error) => (message = e.message));
    expect(message).to.match(/model\.json: modelTopology\.node\.1\.op must be string, found number/);
  });
});
