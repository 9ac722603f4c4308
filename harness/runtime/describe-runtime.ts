// What `doctor` reports: package versions, each backend's usability, and where libtensorflow came from.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { nodeBackendNames, type BackendName } from './backends.ts';
import { activateBackend, projectRoot, type Runtime } from './load-runtime.ts';

export interface BackendReport {
  backend: BackendName;
  usable: boolean;
  reason?: string;
  detail?: string;
}
export interface RuntimeReport {
  node: string;
  platform: string;
  packages: Record<string, string | null>;
  backends: BackendReport[];
  libtensorflow?: { version: string; source: string };
}

const PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node'];

async function packageVersion(root: string, name: string): Promise<string | null> {
  try {
    const file = createRequire(path.join(root, 'package.json')).resolve(`${name}/package.json`);
    return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

async function libtensorflow(runtime: Runtime, root: string): Promise<RuntimeReport['libtensorflow']> {
  await activateBackend(runtime, 'tensorflow');
  const binding = (runtime.tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
  const pkg = path.dirname(createRequire(path.join(root, 'package.json')).resolve('@tensorflow/tfjs-node/package.json'));
  // setup:native leaves deps/SOURCE.txt naming the wheel; tfjs-node's own install leaves none.
  const source = await readFile(path.join(pkg, 'deps', 'SOURCE.txt'), 'utf8').then(
    (s) => s.trim(),
    () => 'libtensorflow downloaded by the @tensorflow/tfjs-node install step',
  );
  return { version: binding?.TF_Version ?? 'unknown', source };
}

export async function describeRuntime(runtime: Runtime, root = projectRoot): Promise<RuntimeReport> {
  const packages: Record<string, string | null> = {};
  for (const p of PACKAGES) packages[p] = await packageVersion(root, p);
  const backends: BackendReport[] = [];
  let lib: RuntimeReport['libtensorflow'];
  for (const backend of nodeBackendNames) {
    const status = runtime.backends[backend];
    const report: BackendReport = { backend, usable: status.usable, ...(status.reason ? { reason: status.reason } : {}) };
    if (status.usable) {
      try {
        await activateBackend(runtime, backend);
        // A backend that registers but cannot compute is not usable.
        const sum = runtime.tf.tidy(() => runtime.tf.matMul(runtime.tf.ones([2, 2]), runtime.tf.ones([2, 2])).dataSync());
        if (Array.from(sum).join() !== '2,2,2,2') throw new Error(`matMul gave ${Array.from(sum)}`);
        if (backend === 'tensorflow') {
          const found = await libtensorflow(runtime, root);
          lib = found;
          report.detail = `libtensorflow ${found?.version} (${found?.source})`;
        }
      } catch (err) {
        Object.assign(report, { usable: false, reason: `registered but failed to compute: ${(err as Error).message}` });
      }
    }
    backends.push(report);
  }
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages,
    backends,
    ...(lib ? { libtensorflow: lib } : {}),
  };
}
