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
    register: (req: Require) => { req('@tensorflow/tfjs-backend-wasm'); },
    fix: 'install @tensorflow/tfjs-backend-wasm at the same version as @tensorflow/tfjs (`npm ci`)',
  },
  tensorflow: {
    register: (req: Require) => { req('@tensorflow/tfjs-node'); },
    fix: 'run `npm run setup:native` (it builds @tensorflow/tfjs-node from the TensorFlow wheel when its own download cannot work; README "Native backend")',
  },
} satisfies Record<string, BackendSpec>;

export type BackendName = keyof typeof backends;
export const backendNames = Object.keys(backends) as BackendName[];
export const referenceBackend: BackendName = 'cpu';

export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(backends, name);
}

export function parseBackendName(name: string, where: string): BackendName {
  if (!isBackendName(name)) {
    throw new Error(`${where}: backend must be one of ${backendNames.join(', ')}; got "${name}"`);
  }
  return name;
}
