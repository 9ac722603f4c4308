// The names of bundle files, and the one rule every bundle file name must follow.

export const MODEL_JSON = 'model.json';
export const PREPROCESSING_JSON = 'preprocessing.json';
export const MANIFEST_JSON = 'manifest.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Characters in a bundle file name (a path inside the bundle). */
export const MAX_BUNDLE_PATH_LENGTH = 200;
const SAFE_BUNDLE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * A bundle file name (manifest key, weight path in model.json): segments of letters, digits, ".",
 * "_" and "-", no "." or ".." segment. One set that means the same file on disk, in memory and as
 * a URL path (nothing to percent-encode, no "?" or "#", no drive letters or backslashes).
 */
export function isSafeBundlePath(p: string): boolean {
  if (typeof p !== 'string' || p.length === 0 || p.length > MAX_BUNDLE_PATH_LENGTH || !SAFE_BUNDLE_PATH.test(p)) return false;
  return p.split('/').every((seg) => seg !== '.' && seg !== '..');
}
