// Writes models/<name>/reference/keras.json, the reference file the `reference` and `savedmodel` checks
// read, from what scripts/keras/make_models.py predicted with Keras (reference-stateful-carry.json for a
// stateful model, the protocol the harness predicts with; reference.json otherwise). `tfjs-repro import`
// writes the same file for a user's model; this is its counterpart for the seed's own models, run after
// make_models.py changed a model's files (its hash is in dependsOn.model).
// Usage: npx tsx scripts/keras/write-reference.ts <name> [...]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeReference, type BridgePrediction } from '../../harness/import/reference-from-bridge.ts';
import type { Example } from '../../harness/types/example.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

for (const name of process.argv.slice(2)) {
  const modelPath = path.join('models', name);
  const dir = path.join(ROOT, modelPath);
  const carry = path.join(dir, 'reference-stateful-carry.json');
  const source = await readFile(carry).then(
    () => carry,
    () => path.join(dir, 'reference.json'),
  );
  const prediction = await readJson<BridgePrediction>(source);
  const probes = await readJson<Example[]>(path.join(dir, 'probes.json'));
  const file = await writeReference({ scenario: name, modelPath: dir, probes, prediction });
  console.log(`${path.relative(ROOT, file)}: from ${path.relative(ROOT, source)}`);
}
