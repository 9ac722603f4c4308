// A load that fails after tfjs decoded the weights frees them, so hygiene does not blame the scenario.
import { expect } from 'chai';
import { activateBackend, loadRuntime } from '../runtime/load-runtime.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import { sha256, utf8, type BundleFiles } from './bundle-files.ts';
import { formatNames, formats } from './formats.ts';
import { createBundle } from './save-bundle.ts';

const runtime = await loadRuntime();
const { tf } = runtime;
const scenario = { name: 'leaks' } as TrainedScenario;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

type ModelJson = {
  modelTopology: { config: { layers: { class_name: string }[] } };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
};

/** The bundle with model.json (and optionally weights.bin) edited, manifest re-hashed: only the intended defect remains. */
function edited(files: BundleFiles, edit: (j: ModelJson) => void, weights?: Uint8Array): BundleFiles {
  const json = JSON.parse(text(files.get('model.json')!)) as ModelJson;
  edit(json);
  const out = new Map(files).set('model.json', utf8(JSON.stringify(json)));
  if (weights) out.set('weights.bin', weights);
  const manifest = JSON.parse(text(files.get('manifest.json')!));
  for (const n of ['model.json', 'weights.bin']) manifest.files[n] = { sha256: sha256(out.get(n)!), bytes: out.get(n)!.byteLength };
  return out.set('manifest.json', utf8(JSON.stringify(manifest)));
}

describe('bundle leak hardening: a failed load frees what it decoded (cpu)', () => {
  let files: BundleFiles;
  before(async () => {
    await activateBackend(runtime, 'cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 }), tf.layers.dense({ units: 1 })] });
    files = await createBundle({ tf, model, preprocessing: { steps: [] }, scenario: 'leaks', backend: 'cpu' });
    model.dispose();
  });

  const cases: [string, (f: BundleFiles) => BundleFiles, RegExp][] = [
    // The last weight (the second bias, 1 float) dropped from model.json and the shard: strict load misses it.
    [
      'strict load with a weight missing',
      (f) =>
        edited(
          f,
          (j) => {
            j.weightsManifest[0]!.weights.pop();
          },
          f.get('weights.bin')!.slice(0, -4),
        ),
      /weights are not set/,
    ],
    [
      'a kernel with the wrong shape',
      (f) =>
        edited(f, (j) => {
          j.weightsManifest[0]!.weights[0]!.shape = [2, 3];
        }),
      /Shape mismatch/,
    ],
    [
      'a bias stored as int32',
      (f) =>
        edited(f, (j) => {
          j.weightsManifest[0]!.weights[1]!.dtype = 'int32';
        }),
      /dtype/,
    ],
    [
      'a weight named for no variable',
      (f) =>
        edited(f, (j) => {
          j.weightsManifest[0]!.weights[1]!.name = 'elsewhere/bias';
        }),
      /no target variable/,
    ],
    [
      'an unknown layer class',
      (f) =>
        edited(f, (j) => {
          j.modelTopology.config.layers[1]!.class_name = 'NoSuchLayer';
        }),
      /NoSuchLayer/,
    ],
  ];
  for (const [what, make, expected] of cases) {
    for (const format of formatNames) {
      it(`${format}: ${what} is refused naming model.json, with tf.memory().numTensors and the variables as before`, async () => {
        const bad = make(files);
        const tensors = tf.memory().numTensors;
        const variables = Object.keys(
          (tf.engine() as unknown as { state: { registeredVariables: object } }).state.registeredVariables,
        ).length;
        let message = 'ACCEPTED: the load resolved';
        try {
          const loaded = await formats[format].load(bad, { tf, scenario, where: 'leaks' });
          loaded.model.dispose();
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message).to.match(expected);
        expect(message).to.match(/model\.json/);
        expect(tf.memory().numTensors - tensors, `tensors left behind by the failed load (${message})`).to.equal(0);
        expect(
          Object.keys((tf.engine() as unknown as { state: { registeredVariables: object } }).state.registeredVariables).length - variables,
          'variables left registered',
        ).to.equal(0);
      });
    }
  }

  it("a successful load keeps exactly the model's weights, and disposing it frees them", async () => {
    const tensors = tf.memory().numTensors;
    const loaded = await formats.memory.load(files, { tf, scenario, where: 'leaks' });
    expect(tf.memory().numTensors - tensors).to.equal(loaded.model.weights.length);
    loaded.model.dispose();
    expect(tf.memory().numTensors).to.equal(tensors);
  });
});
