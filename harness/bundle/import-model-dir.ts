import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { PreprocessingState } from '../preprocessing/pipeline.ts';
import { buildManifest, MANIFEST_JSON, MODEL_JSON, PREPROCESSING_JSON, utf8, type BundleFiles } from './bundle-files.ts';
import { readBundleFile } from './bundle-dir.ts';
import { checkTotalSize } from './bundle-limits.ts';
import { modelJsonSchema, parseBundleJson } from './bundle-schema.ts';

/**
 * Turns a plain tfjs model directory, layers or graph (model.json + weight shards, as saved by tfjs-node's
 * `file://` handler or the converter) into a bundle, with the same file checks as a bundle load.
 */
export async function importModelDir(
  dir: string,
  scenario: string,
  preprocessing: PreprocessingState = { steps: [] },
): Promise<BundleFiles> {
  if (!(await lstat(path.join(dir, MODEL_JSON)).catch(() => undefined)))
    throw new Error(`${dir}: ${MODEL_JSON} is missing; this directory is not a tfjs model (model.json + weight shards, layers or graph)`);
  const modelBytes = await readBundleFile(dir, MODEL_JSON);
  const json = parseBundleJson(modelJsonSchema, modelBytes, MODEL_JSON, dir);
  const files: BundleFiles = new Map([[MODEL_JSON, modelBytes]]);
  for (const p of json.weightsManifest.flatMap((g) => g.paths)) files.set(p, await readBundleFile(dir, p, undefined, MODEL_JSON));
  checkTotalSize(
    dir,
    [...files.values()].map((b) => b.byteLength),
  );
  files.set(PREPROCESSING_JSON, utf8(JSON.stringify(preprocessing, null, 1)));
  const generatedBy = json.generatedBy ?? 'unknown';
  const manifest = buildManifest(files, { scenario, tfjs: generatedBy.replace(/^.*v(?=\d)/, ''), backend: 'imported' });
  files.set(MANIFEST_JSON, utf8(JSON.stringify(manifest, null, 2) + '\n'));
  return files;
}
