// Reference outputs: what the framework that made a saved model (Keras, TensorFlow) predicted on the
// scenario's probes through the same preprocessing, in the golden tensor codec. They live in the
// model's directory (`models/<name>/reference/<framework>.json`), which only `import` writes; `record`
// rewrites goldens/<name>/ whole and would drop them there.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parseGoldenFile, tensorJsonSchema } from '../golden/golden-schema.ts';
import { decodeTensor } from '../golden/tensor-codec.ts';
import type { Example } from '../types/example.ts';
import type { Predictions } from '../types/tensor-data.ts';

export const referenceFrameworks = ['keras', 'tensorflow-python'] as const;
export type ReferenceFramework = (typeof referenceFrameworks)[number];

export const referenceFileSchema = z
  .object({
    scenario: z.string(),
    framework: z.enum(referenceFrameworks),
    /** How the rows were predicted: stateless, or stateful with the state carried from row to row. */
    protocol: z.enum(['stateless', 'stateful-carry', 'stateful-reset']),
    provenance: z.record(z.string(), z.string()),
    /** sha256 of what the outputs depend on (not of the scenario source). */
    dependsOn: z.object({ probes: z.string(), preprocessing: z.string(), model: z.string() }).strict(),
    outputs: z.record(z.string(), tensorJsonSchema),
  })
  .strict();
export type ReferenceFile = z.infer<typeof referenceFileSchema>;

export const referenceFile = (modelPath: string, framework: ReferenceFramework): string =>
  path.join(modelPath, 'reference', `${framework}.json`);

export const sha256Text = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');
/** The probes' hash as the reference file records it: the raw rows as JSON. */
export const probesHash = (probes: Example[]): string => sha256Text(JSON.stringify(probes));

/** The first reference file of the model directory, decoded; undefined when there is none. */
export async function readReference(modelPath: string): Promise<{ file: string; ref: ReferenceFile; outputs: Predictions } | undefined> {
  for (const framework of referenceFrameworks) {
    const file = referenceFile(modelPath, framework);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const ref = parseGoldenFile(referenceFileSchema, text, file);
    const outputs = Object.fromEntries(Object.entries(ref.outputs).map(([k, t]) => [k, decodeTensor(t, `${file}: outputs.${k}`)]));
    return { file, ref, outputs };
  }
  return undefined;
}

// known-findings.json declares what a check may find (savedmodel-check.ts); it says nothing of the predictions.
const notModelFiles = /^(tfjs|reference)\/|^(probes|preprocessing|reference[\w-]*|known-findings)\.json$|\.(joblib|pkl|pickle)$/;

/** sha256 over the source artifact in the model directory (.h5, .keras, SavedModel, custom_objects.py), by relative path. */
export async function modelHash(modelPath: string): Promise<string> {
  const entries = await readdir(modelPath, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(modelPath, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => !notModelFiles.test(f))
    .sort();
  const h = createHash('sha256');
  for (const f of files) h.update(`${f}\u0000`).update(await readFile(path.join(modelPath, f)));
  return h.digest('hex');
}
