import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { isSafeBundlePath, MANIFEST_JSON, parseManifest, verifyBundle, type BundleFiles, type BundleManifest } from './bundle-files.ts';
import { checkFileSize, MAX_BUNDLE_FILES } from './bundle-limits.ts';
import { checkModelJson } from './load-bundle.ts';

export async function writeBundleDir(dir: string, files: BundleFiles): Promise<void> {
  const dirs = new Set([dir, ...[...files.keys()].map((name) => path.dirname(path.join(dir, name)))]);
  for (const d of dirs) await mkdir(d, { recursive: true });
  // Our own bytes, to distinct files: written in parallel (a bundle is written for every file-format load).
  await Promise.all([...files].map(([name, bytes]) => writeFile(path.join(dir, name), bytes)));
}

const kindOf = (s: Stats): string =>
  s.isSymbolicLink()
    ? 'symbolic link'
    : s.isDirectory()
      ? 'directory'
      : s.isFIFO()
        ? 'FIFO'
        : s.isSocket()
          ? 'socket'
          : s.isCharacterDevice() || s.isBlockDevice()
            ? 'device'
            : 'special file';

// O_NOFOLLOW: a symlink swapped in after lstat fails to open; O_NONBLOCK: a FIFO swapped in cannot block the open.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads one file of a bundle directory, refusing before a byte is read: a name outside the safe set,
 * a symlink anywhere on the way (even one that stays inside), anything but a regular file, a size over
 * the file's cap, or (when the manifest gives one) a size other than the manifest's.
 */
export async function readBundleFile(dir: string, name: string, expectedBytes?: number, listedIn = MANIFEST_JSON): Promise<Uint8Array> {
  if (!isSafeBundlePath(name))
    throw new Error(
      `${dir}/${listedIn}: file "${name.slice(0, 200)}" must be a relative path inside the bundle (no "..", not absolute); refusing to read it`,
    );
  const segments = name.split('/');
  for (let i = 1; i < segments.length; i++) {
    const sub = path.join(dir, ...segments.slice(0, i));
    const info = await lstat(sub).catch(() => undefined);
    if (info && !info.isDirectory())
      throw new Error(
        `${dir}/${name}: ${segments.slice(0, i).join('/')} is a ${kindOf(info)}, must be a directory of the bundle; refusing to read it`,
      );
  }
  const file = path.join(dir, name);
  const info = await lstat(file).catch(() => undefined);
  if (!info) throw new Error(`${dir}/${name}: listed in ${listedIn} but missing; restore it or re-record`);
  if (info.isSymbolicLink()) {
    const [real, realDir] = await Promise.all([realpath(file).catch(() => ''), realpath(dir)]);
    const where = real.startsWith(realDir + path.sep)
      ? `to ${path.relative(realDir, real)} inside the bundle`
      : 'outside the bundle directory';
    throw new Error(`${dir}/${name}: links ${where}; bundles hold no symbolic links, even ones that stay inside: copy the real file in`);
  }
  if (!info.isFile())
    throw new Error(
      `${dir}/${name}: must be a regular file, found a ${kindOf(info)}; bundles hold no links or special files, copy the real file in`,
    );
  checkFileSize(dir, name, info.size);
  if (expectedBytes !== undefined && info.size !== expectedBytes) {
    throw new Error(
      `${dir}/${name}: size ${info.size} bytes must be ${expectedBytes} as in ${MANIFEST_JSON}; the file was truncated or changed`,
    );
  }
  const handle = await open(file, READ_FLAGS).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${dir}/${name}: cannot be opened as a regular file (${err.code}); it changed while being read`);
  });
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.ino !== info.ino || st.size !== info.size)
      throw new Error(`${dir}/${name}: changed while being read; read the bundle again`);
    const bytes = new Uint8Array(st.size);
    let offset = 0;
    while (offset < bytes.byteLength) {
      const { bytesRead } = await handle.read(bytes, offset, bytes.byteLength - offset, offset);
      if (bytesRead === 0) throw new Error(`${dir}/${name}: shrank while being read; read the bundle again`);
      offset += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Reads a bundle directory, refusing unsafe names, links, special files and wrong sizes before reading,
 * then verifies checksums and checks model.json against its schema and shards.
 */
export async function readBundleDir(dir: string): Promise<{ files: BundleFiles; manifest: BundleManifest }> {
  const info = await lstat(path.join(dir, MANIFEST_JSON)).catch(() => undefined);
  if (!info) throw new Error(`${dir}: ${MANIFEST_JSON} is missing; this is not a tfjs-repro bundle (record it with npx tfjs-repro record)`);
  const manifestBytes = await readBundleFile(dir, MANIFEST_JSON);
  const listed = parseManifest(manifestBytes, dir);
  const files: BundleFiles = new Map([[MANIFEST_JSON, manifestBytes]]);
  for (const [name, entry] of Object.entries(listed.files)) files.set(name, await readBundleFile(dir, name, entry.bytes));
  // A file the manifest does not list would be ignored here but refused by every load: refuse it now.
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries.slice(0, MAX_BUNDLE_FILES + 8)) {
    const name = path
      .relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
      .split(path.sep)
      .join('/');
    if (!e.isDirectory() && name !== MANIFEST_JSON && !Object.hasOwn(listed.files, name))
      throw new Error(`${dir}/${name}: not listed in ${MANIFEST_JSON}; remove it or re-create the bundle`);
  }
  const manifest = verifyBundle(files, dir);
  checkModelJson(files, dir);
  return { files, manifest };
}
