// Side-by-side tfjs installations for cross-version runs, cached outside the project and reused.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface InstalledRuntime {
  version: string;
  root: string;
  /** The wasm backend's version, or null with the reason it is missing. */
  wasm: string | null;
  wasmReason?: string;
  /** The webgpu backend's version (served to browser pages), or null with the reason: none before tfjs 4.6.0. */
  webgpu?: string | null;
  webgpuReason?: string;
  reused: boolean;
}

export const cacheRoot = (): string => process.env.TFJS_REPRO_CACHE ?? path.join(os.homedir(), '.cache', 'tfjs-repro');

function npm(args: string[], cwd: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile('npm', args, { cwd, maxBuffer: 1 << 26 }, (err, stdout, stderr) => resolve({ ok: !err, stdout, stderr })),
  );
}

/** Installs @tensorflow/tfjs@version (and its wasm backend when that release exists) once. */
export async function installRuntime(version: string): Promise<InstalledRuntime> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`--tfjs/--with-tfjs: each version must be exact, like 4.22.0; got "${version}"`);
  const root = path.join(cacheRoot(), 'runtimes', `tfjs-${version}`);
  const marker = path.join(root, 'tfjs-repro-runtime.json');
  const done = await readFile(marker, 'utf8').then(
    (t) => JSON.parse(t) as Omit<InstalledRuntime, 'reused'>,
    () => undefined,
  );
  if (done) return { ...(done.webgpu === undefined ? await webgpuOfOldInstall(root, version) : {}), ...done, reused: true };
  const view = await npm(['view', `@tensorflow/tfjs@${version}`, 'version'], os.tmpdir());
  if (!view.ok || !view.stdout.trim())
    throw new Error(`tfjs ${version}: no such release on the npm registry (npm view @tensorflow/tfjs@${version})`);
  const wasmView = await npm(['view', `@tensorflow/tfjs-backend-wasm@${version}`, 'version'], os.tmpdir());
  const wasm = wasmView.ok && wasmView.stdout.trim() ? version : null;
  // Its releases follow tfjs from 4.6.0 (none for 4.9.0); the 3.x line has none.
  const webgpuView = await npm(['view', `@tensorflow/tfjs-backend-webgpu@${version}`, 'version'], os.tmpdir());
  const webgpu = webgpuView.ok && webgpuView.stdout.trim() ? version : null;
  const tmp = `${root}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const dependencies: Record<string, string> = {
    '@tensorflow/tfjs': version,
    ...(wasm ? { '@tensorflow/tfjs-backend-wasm': version } : {}),
    ...(webgpu ? { '@tensorflow/tfjs-backend-webgpu': version } : {}),
  };
  await writeFile(
    path.join(tmp, 'package.json'),
    JSON.stringify({ name: `tfjs-repro-runtime-${version}`, private: true, dependencies }, null, 1),
  );
  const install = await npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], tmp);
  if (!install.ok) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(`tfjs ${version}: npm install failed in ${tmp}: ${install.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  const info: Omit<InstalledRuntime, 'reused'> = {
    version,
    root,
    wasm,
    ...(wasm ? {} : { wasmReason: `@tensorflow/tfjs-backend-wasm has no ${version} release` }),
    webgpu,
    ...(webgpu ? {} : { webgpuReason: `@tensorflow/tfjs-backend-webgpu has no ${version} release` }),
  };
  await writeFile(path.join(tmp, 'tfjs-repro-runtime.json'), JSON.stringify(info, null, 1));
  await rm(root, { recursive: true, force: true });
  await rename(tmp, root);
  return { ...info, reused: false };
}

/** An install cached before the browser backends has no webgpu: why, and how to get it, without changing it. */
async function webgpuOfOldInstall(root: string, version: string): Promise<Pick<InstalledRuntime, 'webgpu' | 'webgpuReason'>> {
  const view = await npm(['view', `@tensorflow/tfjs-backend-webgpu@${version}`, 'version'], os.tmpdir());
  const reason =
    (view.ok && !view.stdout.trim()) || /E404|No match found/.test(view.stderr)
      ? `@tensorflow/tfjs-backend-webgpu has no ${version} release`
      : `the cached install ${root} predates the webgpu backend; delete it to reinstall with @tensorflow/tfjs-backend-webgpu`;
  return { webgpu: null, webgpuReason: reason };
}
