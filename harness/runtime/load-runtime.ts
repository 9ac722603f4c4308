// The only module that loads tfjs. A runtime is one tfjs installation (the project's own,
// or another version installed side by side) with the backends that could be registered.
import { createRequire } from 'node:module';
import path from 'node:path';
import { patchUtilForTfjsNode } from './node-util-compat.mjs';
import { backends, browserBackendNames, nodeBackendNames, type BackendName, type NodeBackendName } from './backends.ts';
import type { Tf } from './tf-types.ts';

export interface BackendStatus {
  usable: boolean;
  reason?: string;
}
export interface Runtime {
  /** Label used in configurations, e.g. "tfjs@4.22.0". */
  name: string;
  version: string;
  tf: Tf;
  backends: Record<BackendName, BackendStatus>;
}
export interface LoadRuntimeOptions {
  /** Directory whose node_modules holds the tfjs installation; defaults to this project. */
  root?: string;
  /**
   * The Node backends to register (default: all). A host started for `-b cpu` need not pay for loading
   * libtensorflow (about 0.5 s of CPU) or compiling wasm; the others are reported not usable, saying why.
   */
  backends?: readonly NodeBackendName[];
}

const cache = new Map<string, Promise<Runtime>>();
/** Per runtime, the Node backends not registered yet (left out by the selection it was loaded with). */
const unloaded = new WeakMap<Runtime, Set<NodeBackendName>>();
export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

function quietly<T>(fn: () => T): T {
  // tfjs prints an advert for tfjs-node when it loads on Node without it; it is noise in test output.
  const warn = console.warn;
  const log = console.log;
  console.warn = () => undefined;
  console.log = () => undefined;
  // Each tfjs package names a source map of 1 to 3 MB (9 MB in all), which Node reads and parses as the
  // package loads whenever source maps are on, as tsx turns them on: CPU in every host, for stack
  // frames inside tfjs's own sources. Scenario files load later, with source maps on again.
  const maps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return fn();
  } finally {
    console.warn = warn;
    console.log = log;
    process.setSourceMapsEnabled(maps);
  }
}

function register(tf: Tf, req: ReturnType<typeof createRequire>, name: NodeBackendName): BackendStatus {
  try {
    quietly(() => backends[name].register(req));
    if (!tf.findBackendFactory(name)) throw new Error(`backend "${name}" did not register with tfjs ${tf.version.tfjs}`);
    return { usable: true };
  } catch (err) {
    const first = String((err as Error).message ?? err).split('\n')[0];
    return { usable: false, reason: `${first}; to fix: ${backends[name].fix}` };
  }
}

const notLoaded = (name: NodeBackendName, selected: readonly NodeBackendName[]): BackendStatus => ({
  usable: false,
  reason: `not loaded in this process, which was started for ${selected.join(', ')}; select it with -b ${name}`,
});

async function load(root: string, selected: readonly NodeBackendName[]): Promise<Runtime> {
  // libtensorflow logs INFO lines (oneDNN, CPU features) to stderr on load; keep warnings and errors.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // oneDNN picks kernels by the CPU's instruction set, so its round-off differs between machines;
  // without it, libtensorflow's results do not depend on which x86-64 CPU CI happens to get.
  process.env.TF_ENABLE_ONEDNN_OPTS ??= '0';
  // One libtensorflow thread per process: hosts already run one per core (--jobs), and on these tiny
  // models a thread pool only adds hand-offs. Measured: every tensorflow check gives bit-identical
  // results with 1 thread and with the default pool, and the run is 8% faster (README "Speed").
  process.env.TF_NUM_INTRAOP_THREADS ??= '1';
  process.env.TF_NUM_INTEROP_THREADS ??= '1';
  patchUtilForTfjsNode();
  const req = createRequire(path.join(root, 'package.json'));
  const tf = quietly(() => req('@tensorflow/tfjs') as Tf);
  const status = {} as Record<BackendName, BackendStatus>;
  for (const name of nodeBackendNames) status[name] = selected.includes(name) ? register(tf, req, name) : notLoaded(name, selected);
  // A browser backend runs in a Chromium page, not in this tfjs; a host probes it when it is selected.
  for (const name of browserBackendNames)
    status[name] = { usable: false, reason: `${name} runs in a browser page, not in the Node runtime; select it with -b ${name}` };
  tf.enableProdMode();
  // Some releases register wasm with the highest priority but leave it uninitialized, so the first
  // tf call would fail; start every runtime on the reference backend instead.
  await quietly(() => tf.setBackend('cpu'));
  await tf.ready();
  const runtime = { name: `tfjs@${tf.version.tfjs}`, version: tf.version.tfjs, tf, backends: status };
  unloaded.set(runtime, new Set(nodeBackendNames.filter((n) => !selected.includes(n))));
  return runtime;
}

export async function loadRuntime(options: LoadRuntimeOptions = {}): Promise<Runtime> {
  const root = path.resolve(options.root ?? projectRoot);
  // cpu ships with tfjs and is the reference backend: always there.
  const selected = [...new Set<NodeBackendName>(['cpu', ...(options.backends ?? nodeBackendNames)])];
  let loading = cache.get(root);
  if (!loading) {
    loading = load(root, selected);
    cache.set(root, loading);
  }
  const runtime = await loading;
  // A later caller in the same process may want a backend an earlier one left out.
  const left = unloaded.get(runtime)!;
  for (const name of selected.filter((n) => left.delete(n)))
    runtime.backends[name] = register(runtime.tf, createRequire(path.join(root, 'package.json')), name);
  return runtime;
}

/** Makes `backend` the active backend of the runtime; throws with the reason when it is unusable. */
export async function activateBackend(runtime: Runtime, backend: BackendName): Promise<void> {
  const status = runtime.backends[backend];
  if (!status.usable) throw new Error(`backend ${backend} is not usable: ${status.reason}`);
  if (runtime.tf.getBackend() === backend) return;
  const ok = await quietly(() => runtime.tf.setBackend(backend));
  if (!ok) throw new Error(`backend ${backend} failed to initialize in ${runtime.name}`);
  await runtime.tf.ready();
}
