import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { PreprocessingState } from '../preprocessing/pipeline.ts';
import { buildManifest, isSafeBundlePath, MANIFEST_JSON, MODEL_JSON, PREPROCESSING_JSON, utf8, type BundleFiles } from './bundle-files.ts';

const MAX_MODEL_JSON_BYTES = 64 << 20;

/**
 * Turns a plain tfjs layers model directory (model.json + weight shards, as saved by tfjs-node's
 * `file://` handler or the converter) into a bundle, with the same path checks as a bundle load.
 */
export async function importModelDir(dir: string, scenario: string, preprocessing: PreprocessingState = { steps: [] }): Promise<BundleFiles> {
  const modelPath = path.join(dir, MODEL_JSON);
  const info = await lstat(modelPath).catch(() => undefined);
  if (!info?.isFile()) throw new Error(`${dir}: ${MODEL_JSON} must be a file; this directory is not a tfjs layers model`);
  if (info.size > MAX_MODEL_JSON_BYTES) throw new Error(`${modelPath}: must be under ${MAX_MODEL_JSON_BYTES} bytes`);
  const modelBytes = new Uint8Array(await readFile(modelPath));
  let json: { weightsManifest?: { paths: string[] }[] };
  try {
    json = JSON.parse(new TextDecoder().decode(modelBytes));
  } catch (err) {
    throw new Error(`${modelPath}: must be valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${modelPath}: weightsManifest must be an array`);
  const realDir = await realpath(dir);
  const files: BundleFiles = new Map([[MODEL_JSON, modelBytes]]);
  for (const p of json.weightsManifest.flatMap((g) => g.paths)) {
    if (!isSafeBundlePath(p)) throw new Error(`${modelPath}: weight path "${p}" must stay inside the model directory; refusing to read it`);
    const real = await realpath(path.join(dir, p)).catch(() => undefined);
    if (!real) throw new Error(`${dir}/${p}: weight shard named in ${MODEL_JSON} is missing`);
    if (!real.startsWith(realDir + path.sep)) throw new Error(`${dir}/${p}: links outside the model directory; refusing to read it`);
    files.set(p, new Uint8Array(await readFile(real)));
  }
  files.set(PREPROCESSING_JSON, utf8(JSON.stringify(preprocessing, null, 1)));
  const generatedBy = (json as { generatedBy?: string }).generatedBy ?? 'unknown';
  const manifest = buildManifest(files, { scenario, tfjs: generatedBy.replace(/^.*v(?=\d)/, ''), backend: 'imported' });
  files.set(MANIFEST_JSON, utf8(JSON.stringify(manifest, null, 2) + '\n'));
  return files;
}
