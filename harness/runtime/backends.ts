import type { createRequire } from 'node:module';

type Require = ReturnType<typeof createRequire>;
interface BackendSpec {
  /** Registers the backend with the runtime's tfjs; throws when it cannot be used here. */
  register(req: Require): void;
  /** How to make the backend usable when registration fails. */
  fix: string;
}

// Registry keyed by name, so the type of a backend name is the registry's keys.
export const backends = {
  cpu: { register: () => undefined, fix: 'cpu ships with @tensorflow/tfjs; run `npm ci`' },
  wasm: {
    register: (req: Require) => {
      req('@tensorflow/tfjs-backend-wasm');
    },
    fix: 'install @tensorflow/tfjs-backend-wasm at the same version as @tensorflow/tfjs (`npm ci`)',
  },
  tensorflow: {
    register: (req: Require) => {
      req('@tensorflow/tfjs-node');
    },
    fix: 'run `npm run setup:native` (it builds @tensorflow/tfjs-node from the TensorFlow wheel when its own download cannot work; README "Native backend")',
  },
} satisfies Record<string, BackendSpec>;

/** Backends tfjs runs in this Node process. */
export type NodeBackendName = keyof typeof backends;
export const nodeBackendNames = Object.keys(backends) as NodeBackendName[];
/**
 * Backends that run in a headless Chromium page (harness/executor/browser/browser-backends.ts says
 * which tfjs backend and flags each one uses). Their usability is probed by the host, not here.
 */
export const browserBackendNames = ['webgl', 'webgl-f16', 'webgl-unpacked', 'webgpu', 'browser-cpu', 'browser-wasm'] as const;
export type BrowserBackendName = (typeof browserBackendNames)[number];
export type BackendName = NodeBackendName | BrowserBackendName;
export const backendNames: BackendName[] = [...nodeBackendNames, ...browserBackendNames];
/**
 * What `run`, `record` and `npm test` use when no backend is selected: the browser backends are
 * opt-in (`-b webgl,...` or TFJS_REPRO_BACKENDS), since each starts Chromium and compiles shaders.
 */
export const defaultBackendNames: BackendName[] = nodeBackendNames;
export const referenceBackend: BackendName = 'cpu';

const webglTraining =
  'training on WebGL cannot match cpu within the retrain tolerance: tfjs uses Adam epsilon 1e-4 there (1e-7 elsewhere; tfjs issue 6980), ' +
  'measured max abs 3.0e-3 on scaler-regression; replay, agreement and roundtrip still cover this backend';
/** Backends whose training differs from cpu by design, with the reason `retrain` is not applicable there. */
export const retrainNotComparable: Partial<Record<BackendName, string>> = {
  webgl: webglTraining,
  'webgl-f16': webglTraining,
  'webgl-unpacked': webglTraining,
};

export function isBackendName(name: string): name is BackendName {
  return (backendNames as string[]).includes(name);
}
export const isNodeBackend = (name: string): name is NodeBackendName => (nodeBackendNames as string[]).includes(name);
export const isBrowserBackend = (name: string): name is BrowserBackendName => (browserBackendNames as readonly string[]).includes(name);

export function parseBackendName(name: string, where: string): BackendName {
  if (!isBackendName(name)) {
    throw new Error(`${where}: backend must be one of ${backendNames.join(', ')}; got "${name}"`);
  }
  return name;
}
