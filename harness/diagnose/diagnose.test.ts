// diagnose end to end, as a user meets it: predictions dumped from an app that loads the golden bundle
// with plain tfjs (skipping the scaler, or swapping two columns) must be named for what they are.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureCli } from '../cli/capture-cli.ts';
import { readBundleDir } from '../bundle/bundle-dir.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { Tensor } from '../runtime/tf-types.ts';
import { appPredictions } from './golden-app.fixture.ts';
import { quantizeBundle } from '../checks/quantize-weights.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const SCENARIO = 'scaler-regression';
const golden = (...p: string[]) => path.join(root, 'goldens', SCENARIO, ...p);

type Scaler = { mean: number[]; std: number[] };
const scalerApp = (prepare: (row: number[], scaler: Scaler) => number[]) => appPredictions<Scaler>(SCENARIO, prepare);

describe('diagnose (end to end)', function () {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-diagnose-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const diagnose = (file: string, ...extra: string[]) =>
    captureCli(['diagnose', SCENARIO, '--obtained', file, '-b', 'cpu', '--no-pairs', '--no-versions', ...extra], { CI: undefined });

  it('names dropped preprocessing first, bit-exact, from a plain JSON array of rows', async () => {
    const file = path.join(dir, 'raw.json');
    await writeFile(file, JSON.stringify(await scalerApp((r) => r)));
    const r = await diagnose(file);
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    const [, verdict, fix] = r.stdout.split('\n');
    expect(verdict).to.match(/^most likely: preprocessing dropped .* reproduces them exactly \(bit-exact\)$/);
    expect(fix).to.include("apply the persisted preprocessing (the bundle's preprocessing.json)");
  });

  it('names two swapped columns as a feature permutation', async () => {
    const file = path.join(dir, 'swapped.json');
    const swap = ([a, b, c, d]: number[]) => [c!, b!, a!, d!];
    await writeFile(file, JSON.stringify(await scalerApp((r, s) => swap(r).map((v, i) => (v - s.mean[i]!) / s.std[i]!))));
    const r = await diagnose(file);
    expect(r.code).to.equal(0);
    expect(r.stdout.split('\n')[1]).to.match(/^most likely: features permuted: column 0 and column 2 swapped — reproduces them/);
  });

  it('says the golden is met when the predictions are the golden ones', async () => {
    const r = await diagnose(golden('outputs', 'cpu.json'));
    expect(r.stdout.split('\n')[1]).to.equal("these are the golden bundle's own predictions on cpu: nothing known is wrong");
  });

  it('names another backend when the predictions are its golden ones, without the file saying so', async () => {
    const file = path.join(dir, 'wasm.json');
    const { backend: _, ...wasm } = JSON.parse(await readFile(golden('outputs', 'wasm.json'), 'utf8'));
    await writeFile(file, JSON.stringify(wasm));
    const r = await captureCli(['diagnose', SCENARIO, '--obtained', file, '-b', 'cpu,wasm', '--no-pairs', '--no-versions']);
    expect(r.stdout.split('\n')[1]).to.match(
      /^most likely: predicted on the wasm backend instead of cpu — reproduces them exactly \(bit-exact\)/,
    );
  });

  it('names quantized weights when the model was loaded from uint8 weights', async () => {
    const { tf } = await loadRuntime();
    await tf.setBackend('cpu');
    const files = quantizeBundle((await readBundleDir(golden('bundle'))).files, 'uint8');
    const modelJson = JSON.parse(new TextDecoder().decode(files.get('model.json')));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: new Uint8Array(files.get('weights.bin')!).buffer,
      }),
    );
    const probes = JSON.parse(await readFile(golden('probes.json'), 'utf8')).inputs as number[][];
    const s = JSON.parse(await readFile(golden('bundle', 'preprocessing.json'), 'utf8')).steps[0].state;
    const x = tf.tensor2d(probes.map((r) => r.map((v, i) => (v - s.mean[i]!) / s.std[i]!)));
    const y = model.predict(x) as Tensor;
    const file = path.join(dir, 'uint8.json');
    await writeFile(file, JSON.stringify(await y.array()));
    tf.dispose([x, y]);
    model.dispose();
    const r = await diagnose(file);
    expect(r.stdout.split('\n')[1]).to.match(/^most likely: weights quantized to uint8 .* reproduces them/);
  });

  it('refuses predictions of the wrong shape or with non-numbers, naming the file and field', async () => {
    const file = path.join(dir, 'bad.json');
    const rows = await scalerApp((r) => r);
    await writeFile(file, JSON.stringify(rows.slice(1)));
    let r = await diagnose(file);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`${file}: (root) must hold one row per probe (16, as output0 of the golden), found 15`);
    await writeFile(file, JSON.stringify([...rows.slice(1), ['x']]));
    r = await diagnose(file);
    expect(r.stderr).to.include(`${file}: [15][0] must be a number`);
    await writeFile(file, JSON.stringify({ outputs: { output7: { shape: [1], dtype: 'float32', data: [1] } } }));
    r = await diagnose(file);
    expect(r.stderr).to.include(`${file}: outputs.output7 must be one of the golden's outputs (output0)`);
  });
});
