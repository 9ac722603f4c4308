import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isSafeBundlePath, MANIFEST_JSON, verifyBundle, type BundleFiles, type BundleManifest } from './bundle-files.ts';

const MAX_MANIFEST_BYTES = 1 << 20;

export async function writeBundleDir(dir: string, files: BundleFiles): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of files) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), bytes);
  }
}

async function checkedFile(dir: string, realDir: string, name: string, bytes: number): Promise<string> {
  if (!isSafeBundlePath(name)) throw new Error(`${dir}/${MANIFEST_JSON}: file "${name}" must be a relative path inside the bundle (no "..", not absolute); refusing to read it`);
  const file = path.join(dir, name);
  const info = await lstat(file).catch(() => undefined);
  if (!info) throw new Error(`${dir}/${name}: listed in ${MANIFEST_JSON} but missing; restore it or re-record`);
  const real = await realpath(file);
  if (!real.startsWith(realDir + path.sep)) throw new Error(`${dir}/${name}: links outside the bundle directory; refusing to read it`);
  const size = info.isSymbolicLink() ? (await lstat(real)).size : info.size;
  // Sizes are checked before anything is read into memory.
  if (size !== bytes) throw new Error(`${dir}/${name}: size ${size} bytes must be ${bytes} as in ${MANIFEST_JSON}; the file was truncated or changed`);
  return file;
}

/** Reads a bundle directory, refusing unsafe paths and wrong sizes before reading, then verifies checksums. */
export async function readBundleDir(dir: string): Promise<{ files: BundleFiles; manifest: BundleManifest }> {
  const manifestPath = path.join(dir, MANIFEST_JSON);
  const info = await lstat(manifestPath).catch(() => undefined);
  if (!info) throw new Error(`${dir}: ${MANIFEST_JSON} is missing; this is not a tfjs-repro bundle (record it with npx tfjs-repro record)`);
  if (info.size > MAX_MANIFEST_BYTES) throw new Error(`${manifestPath}: must be under ${MAX_MANIFEST_BYTES} bytes`);
  const manifestBytes = await readFile(manifestPath);
  let listed: BundleManifest['files'];
  try {
    listed = (JSON.parse(manifestBytes.toString('utf8')) as BundleManifest).files;
  } catch (err) {
    throw new Error(`${manifestPath}: must be valid JSON (${(err as Error).message})`);
  }
  if (!listed || typeof listed !== 'object') throw new Error(`${manifestPath}: files must be an object of {sha256, bytes}`);
  const realDir = await realpath(dir);
  const files: BundleFiles = new Map([[MANIFEST_JSON, new Uint8Array(manifestBytes)]]);
  for (const [name, entry] of Object.entries(listed)) {
    const file = await checkedFile(dir, realDir, name, entry.bytes);
    files.set(name, new Uint8Array(await readFile(file)));
  }
  return { files, manifest: verifyBundle(files, dir) };
}
