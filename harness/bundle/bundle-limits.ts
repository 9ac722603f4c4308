// Caps on what a bundle may hold, checked (lstat, Content-Length, byteLength) before a byte is read
// or hashed: a bundle is data from strangers. Sized from what tfjs layers models are.
import { MANIFEST_JSON, MODEL_JSON, PREPROCESSING_JSON } from './bundle-names.ts';

/** manifest.json lists a handful of files with a hash each; 1 MiB is thousands of entries. */
export const MAX_MANIFEST_JSON_BYTES = 1 << 20;
/** model.json is topology + weight specs; layers models of hundreds of layers stay under 1 MiB. */
export const MAX_MODEL_JSON_BYTES = 8 << 20;
/** preprocessing.json: fitted scalers and vocabularies; a million-token vocabulary is ~20 MiB. */
export const MAX_PREPROCESSING_JSON_BYTES = 64 << 20;
/** A weight shard (or any other bundle file): the converter writes 4 MiB shards, tfjs-repro one weights.bin. */
export const MAX_WEIGHT_SHARD_BYTES = 256 << 20;
/** All files of one bundle together, unless TFJS_REPRO_MAX_BUNDLE_BYTES says otherwise. */
export const DEFAULT_MAX_BUNDLE_BYTES = 1 << 30;
export const MAX_BUNDLE_BYTES_ENV = 'TFJS_REPRO_MAX_BUNDLE_BYTES';
/** Files a manifest may list: 1 GiB of 4 MiB converter shards is 256. */
export const MAX_BUNDLE_FILES = 1024;
/** Nesting depth of any bundle JSON; real model.json files nest about 10 deep. */
export const MAX_JSON_DEPTH = 64;

const MiB = (n: number) => `${n} bytes (${(n / (1 << 20)).toFixed(n < 1 << 20 ? 3 : 0)} MiB)`;

/** The cap of one bundle file, by name; every file that is not JSON is treated as a weight shard. */
export function fileCap(name: string): { cap: number; constant: string } {
  if (name === MANIFEST_JSON) return { cap: MAX_MANIFEST_JSON_BYTES, constant: 'MAX_MANIFEST_JSON_BYTES' };
  if (name === MODEL_JSON) return { cap: MAX_MODEL_JSON_BYTES, constant: 'MAX_MODEL_JSON_BYTES' };
  if (name === PREPROCESSING_JSON) return { cap: MAX_PREPROCESSING_JSON_BYTES, constant: 'MAX_PREPROCESSING_JSON_BYTES' };
  return { cap: MAX_WEIGHT_SHARD_BYTES, constant: 'MAX_WEIGHT_SHARD_BYTES' };
}

/** Throws `<where>/<name>: size N bytes is over the cap ...` when a file is larger than its cap. */
export function checkFileSize(where: string, name: string, size: number): void {
  const { cap, constant } = fileCap(name);
  if (size > cap) {
    throw new Error(
      `${where}/${name}: size ${MiB(size)} is over the cap of ${MiB(cap)} for this file (${constant}); refusing to read it. A bundle this large is not a tfjs-repro bundle, or shard the weights`,
    );
  }
}

/** The total cap, from TFJS_REPRO_MAX_BUNDLE_BYTES (a positive integer of bytes) or the default. */
export function maxBundleBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_BUNDLE_BYTES_ENV];
  if (raw === undefined || raw === '') return DEFAULT_MAX_BUNDLE_BYTES;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n <= 0)
    throw new Error(`${MAX_BUNDLE_BYTES_ENV}: must be a positive integer of bytes; got "${raw}"`);
  return n;
}

/** Throws when the files of one bundle add up to more than the total cap. */
export function checkTotalSize(where: string, sizes: Iterable<number>, cap = maxBundleBytes()): void {
  let total = 0;
  for (const s of sizes) total += s;
  if (total > cap) {
    throw new Error(
      `${where}/${MANIFEST_JSON}: the bundle's files add up to ${MiB(total)}, over the cap of ${MiB(cap)}; refusing to read them. Raise ${MAX_BUNDLE_BYTES_ENV} if the model really is this large`,
    );
  }
}
