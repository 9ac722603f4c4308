import { createHash } from 'node:crypto';

/** A bundle as bytes by file name: model.json, weight shards, preprocessing.json, manifest.json. */
export type BundleFiles = Map<string, Uint8Array>;
export const MODEL_JSON = 'model.json';
export const PREPROCESSING_JSON = 'preprocessing.json';
export const MANIFEST_JSON = 'manifest.json';
export const WEIGHTS_BIN = 'weights.bin';

export interface ManifestEntry { sha256: string; bytes: number }
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

/** A weight path from model.json must name a file inside the bundle: no `..`, no absolute path. */
export function isSafeBundlePath(p: string): boolean {
  if (p.length === 0 || p.startsWith('/') || p.includes('\\') || /^[a-z]+:/i.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

export function parseJson<T>(files: BundleFiles, name: string, where: string): T {
  const bytes = files.get(name);
  if (!bytes) throw new Error(`${where}: ${name} is missing from the bundle; re-create the bundle (npx tfjs-repro record)`);
  try {
    return JSON.parse(fromUtf8(bytes)) as T;
  } catch (err) {
    throw new Error(`${where}/${name}: must be valid JSON (${(err as Error).message})`);
  }
}

/** Checks every file against the manifest's size and SHA-256; names the first file that differs. */
export function verifyBundle(files: BundleFiles, where: string): BundleManifest {
  const manifest = parseJson<BundleManifest>(files, MANIFEST_JSON, where);
  if (!manifest.files || typeof manifest.files !== 'object') {
    throw new Error(`${where}/${MANIFEST_JSON}: files must be an object of {sha256, bytes}; re-create the bundle`);
  }
  for (const [name, entry] of Object.entries(manifest.files)) {
    if (!isSafeBundlePath(name)) throw new Error(`${where}/${MANIFEST_JSON}: files key "${name}" must be a path inside the bundle`);
    const bytes = files.get(name);
    if (!bytes) throw new Error(`${where}/${name}: listed in ${MANIFEST_JSON} but missing`);
    if (bytes.byteLength !== entry.bytes) {
      throw new Error(`${where}/${name}: size ${bytes.byteLength} bytes must be ${entry.bytes} as in ${MANIFEST_JSON}; the file was truncated or changed`);
    }
    const actual = sha256(bytes);
    if (actual !== entry.sha256) {
      throw new Error(`${where}/${name}: checksum mismatch (sha256 ${actual.slice(0, 12)}…, manifest says ${entry.sha256.slice(0, 12)}…); the file was modified after the bundle was written. Restore it (git checkout) or re-record on purpose.`);
    }
  }
  for (const name of files.keys()) {
    if (name !== MANIFEST_JSON && !manifest.files[name]) throw new Error(`${where}/${name}: not listed in ${MANIFEST_JSON}; remove it or re-create the bundle`);
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
