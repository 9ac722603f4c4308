import { createHash } from 'node:crypto';
import { checkFileSize, checkTotalSize } from './bundle-limits.ts';
import { MANIFEST_JSON, MODEL_JSON, PREPROCESSING_JSON } from './bundle-names.ts';
import { manifestSchema, parseBundleJson } from './bundle-schema.ts';

export { isSafeBundlePath, MANIFEST_JSON, MAX_BUNDLE_PATH_LENGTH, MODEL_JSON, PREPROCESSING_JSON, WEIGHTS_BIN } from './bundle-names.ts';

/** A bundle as bytes by file name: model.json, weight shards, preprocessing.json, manifest.json. */
export type BundleFiles = Map<string, Uint8Array>;

export interface ManifestEntry {
  sha256: string;
  bytes: number;
}
export interface BundleManifest {
  scenario: string;
  tfjs: string;
  backend: string;
  created: string;
  files: Record<string, ManifestEntry>;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const fromUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export function parseJson<T>(files: BundleFiles, name: string, where: string): T {
  const bytes = files.get(name);
  if (!bytes) throw new Error(`${where}: ${name} is missing from the bundle; re-create the bundle (npx tfjs-repro record)`);
  checkFileSize(where, name, bytes.byteLength);
  try {
    return JSON.parse(fromUtf8(bytes)) as T;
  } catch (err) {
    throw new Error(`${where}/${name}: must be valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/** Parses manifest.json bytes against its schema and the size caps, before any listed file is read. */
export function parseManifest(bytes: Uint8Array, where: string): BundleManifest {
  checkFileSize(where, MANIFEST_JSON, bytes.byteLength);
  const manifest = parseBundleJson(manifestSchema, bytes, MANIFEST_JSON, where);
  for (const name of Object.keys(manifest.files)) {
    if (name === MANIFEST_JSON)
      throw new Error(`${where}/${MANIFEST_JSON}: files must not list ${MANIFEST_JSON} itself; re-create the bundle`);
    checkFileSize(where, name, manifest.files[name]!.bytes);
  }
  for (const required of [MODEL_JSON, PREPROCESSING_JSON]) {
    if (!Object.hasOwn(manifest.files, required))
      throw new Error(`${where}/${MANIFEST_JSON}: files must list ${required}; every bundle has one, re-create the bundle`);
  }
  checkTotalSize(
    where,
    Object.values(manifest.files).map((e) => e.bytes),
  );
  return manifest;
}

/** Checks every file against the manifest's size and SHA-256; names the first file that differs. */
export function verifyBundle(files: BundleFiles, where: string): BundleManifest {
  const manifestBytes = files.get(MANIFEST_JSON);
  if (!manifestBytes)
    throw new Error(`${where}: ${MANIFEST_JSON} is missing from the bundle; re-create the bundle (npx tfjs-repro record)`);
  const manifest = parseManifest(manifestBytes, where);
  for (const name of files.keys()) {
    if (name !== MANIFEST_JSON && !Object.hasOwn(manifest.files, name))
      throw new Error(`${where}/${name}: not listed in ${MANIFEST_JSON}; remove it or re-create the bundle`);
  }
  for (const [name, entry] of Object.entries(manifest.files)) {
    const bytes = files.get(name);
    if (!bytes) throw new Error(`${where}/${name}: listed in ${MANIFEST_JSON} but missing`);
    if (bytes.byteLength !== entry.bytes) {
      throw new Error(
        `${where}/${name}: size ${bytes.byteLength} bytes must be ${entry.bytes} as in ${MANIFEST_JSON}; the file was truncated or changed`,
      );
    }
    const actual = sha256(bytes);
    if (actual !== entry.sha256) {
      throw new Error(
        `${where}/${name}: checksum mismatch (sha256 ${actual.slice(0, 12)}…, manifest says ${entry.sha256.slice(0, 12)}…); the file was modified after the bundle was written. Restore it (git checkout) or re-record on purpose.`,
      );
    }
  }
  return manifest;
}

export function buildManifest(files: BundleFiles, info: Omit<BundleManifest, 'files' | 'created'>): BundleManifest {
  const entries: Record<string, ManifestEntry> = {};
  for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name !== MANIFEST_JSON) entries[name] = { sha256: sha256(bytes), bytes: bytes.byteLength };
  }
  return { ...info, created: new Date().toISOString(), files: entries };
}
