// For the diagnose tests: what a user's app does with a golden bundle. It loads model.json and
// weights.bin with plain tfjs, predicts rows it prepared itself, and dumps them as JSON rows.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { Tensor } from '../runtime/tf-types.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Predicts the golden's probes, each row prepared by `prepare` from the raw row and the bundle's first preprocessing state. */
export async function appPredictions<S>(scenario: string, prepare: (row: number[], state: S) => number[]): Promise<number[][]> {
  const golden = (...p: string[]) => path.join(root, 'goldens', scenario, ...p);
  const { tf } = await loadRuntime();
  // The runtime is shared with other test files, which may have left another backend active.
  await tf.setBackend('cpu');
  const modelJson = JSON.parse(await readFile(golden('bundle', 'model.json'), 'utf8'));
  const weights = await readFile(golden('bundle', 'weights.bin'));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: new Uint8Array(weights).buffer,
    }),
  );
  const probes = JSON.parse(await readFile(golden('probes.json'), 'utf8')).inputs as number[][];
  const state = JSON.parse(await readFile(golden('bundle', 'preprocessing.json'), 'utf8')).steps[0].state as S;
  const x = tf.tensor2d(probes.map((r) => prepare(r, state)));
  const y = model.predict(x) as Tensor;
  const rows = (await y.array()) as number[][];
  tf.dispose([x, y]);
  model.dispose();
  return rows;
}
