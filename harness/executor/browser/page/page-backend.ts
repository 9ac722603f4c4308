// Switching the page's backend, and what the page runs on. tfjs falls back quietly (e.g. WebGPU
// without an adapter leaves webgl active), so the active backend is checked after every switch.
import type { BackendStatus, PageFingerprint, WebglFlags } from './page-api.ts';
import { pageTf } from './page-tf.ts';

const SCRIPTS: Record<string, { file: string; pkg: string }> = {
  wasm: { file: 'tf-backend-wasm.min.js', pkg: '@tensorflow/tfjs-backend-wasm' },
  webgpu: { file: 'tf-backend-webgpu.min.js', pkg: '@tensorflow/tfjs-backend-webgpu' },
};

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`${src} could not be loaded`));
    document.head.append(s);
  });
}

type Adapter = { info?: Record<string, string>; requestAdapterInfo?(): Promise<Record<string, string>> };
type Quiet = () => Promise<unknown>;
/** tfjs warns on the console when a backend fails to start; the reason is returned instead. */
async function quietly(fn: Quiet): Promise<{ result?: unknown; warnings: string[] }> {
  const warnings: string[] = [];
  const { warn, error } = console;
  console.warn = (...a: unknown[]) => {
    warnings.push(a.map(String).join(' '));
  };
  console.error = console.warn;
  try {
    return { result: await fn(), warnings };
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

type Gpu = { requestAdapter(): Promise<Adapter | null> };
const navigatorGpu = (): Gpu | undefined => (navigator as unknown as { gpu?: Gpu }).gpu;

/** Why WebGPU cannot start here, in words tfjs's own fallback does not give. */
async function webgpuMissing(): Promise<string | undefined> {
  const gpu = navigatorGpu();
  if (!gpu)
    return 'navigator.gpu is undefined: WebGPU needs Chromium started with --enable-unsafe-webgpu (headless Linux) and a page served from http://127.0.0.1';
  return (await gpu.requestAdapter().catch(() => null)) ? undefined : 'navigator.gpu.requestAdapter() found no adapter on this machine';
}

export async function setBackend(name: string, flags: WebglFlags = {}): Promise<BackendStatus> {
  const tf = pageTf();
  const noGpu = name === 'webgpu' ? await webgpuMissing() : undefined;
  if (noGpu) return { usable: false, reason: noGpu };
  const script = SCRIPTS[name];
  if (script && !tf.findBackendFactory(name)) {
    try {
      await loadScript(`/tfjs/${script.file}`);
    } catch {
      return {
        usable: false,
        reason: `${script.pkg}/dist/${script.file} is not served: install ${script.pkg} at the runtime's tfjs version (${tf.version.tfjs})`,
      };
    }
  }
  if (name === 'wasm') (tf as unknown as { wasm: { setWasmPaths(p: string): void } }).wasm.setWasmPaths(`${location.origin}/tfjs/`);
  try {
    for (const [flag, value] of Object.entries(flags)) tf.env().set(flag, value);
  } catch (err) {
    return { usable: false, reason: `flags ${JSON.stringify(flags)}: ${(err as Error).message}` };
  }
  let outcome: Awaited<ReturnType<typeof quietly>>;
  try {
    outcome = await quietly(async () => {
      const ok = await tf.setBackend(name);
      await tf.ready();
      return ok;
    });
  } catch (err) {
    return { usable: false, reason: `tf.setBackend('${name}') failed: ${(err as Error).message}` };
  }
  const active = tf.getBackend();
  if (outcome.result !== true || active !== name) {
    const why = outcome.warnings.find((w) => w.length > 0) ?? 'no reason given';
    return { usable: false, reason: `tf.setBackend('${name}') left "${active}" active (tfjs fell back quietly): ${why.split('\n')[0]}` };
  }
  return { usable: true };
}

function webglInfo(): PageFingerprint['webgl'] {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const info = {
    vendor: String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR)),
    renderer: String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
    version: String(gl.getParameter(gl.VERSION)),
  };
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return info;
}

async function webgpuInfo(): Promise<PageFingerprint['webgpu']> {
  const adapter = await navigatorGpu()
    ?.requestAdapter()
    .catch(() => null);
  if (!adapter) return null;
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
  };
}

export async function fingerprint(): Promise<PageFingerprint> {
  const tf = pageTf();
  return {
    userAgent: navigator.userAgent,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    webgl: webglInfo(),
    webgpu: await webgpuInfo(),
  };
}
