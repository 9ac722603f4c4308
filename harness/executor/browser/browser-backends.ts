// The browser backends: which tfjs backend each runs in the page, with which flags (set before the
// backend starts, hence a fresh page per backend).
import type { WebglFlags } from './page/page-api.ts';
import { openPage, type OpenPageOptions } from './launch-browser.ts';
import type { BrowserPage } from './browser-page.ts';

interface BrowserBackendSpec {
  tf: 'webgl' | 'webgpu' | 'cpu' | 'wasm';
  flags: WebglFlags;
  what: string;
  /** Job time limits (the default or the scenario's, not --timeout) are multiplied by this here. */
  timeLimitFactor?: number;
}

export const browserBackends = {
  webgl: { tf: 'webgl', flags: {}, what: 'WebGL 2 as the browser provides it' },
  'webgl-f16': { tf: 'webgl', flags: { WEBGL_FORCE_F16_TEXTURES: true }, what: 'WebGL with half-float textures only, as on many phones' },
  'webgl-unpacked': { tf: 'webgl', flags: { WEBGL_PACK: false }, what: 'WebGL without packed textures' },
  // SwiftShader (a CPU emulating the GPU, as in CI) dispatches every WebGPU op through Vulkan: training
  // stateful-lstm in the page took 427 s and text-gru 239 s on a loaded 2-core machine (cpu: under 10 s).
  webgpu: { tf: 'webgpu', flags: {}, what: 'WebGPU', timeLimitFactor: 10 },
  'browser-cpu': { tf: 'cpu', flags: {}, what: "tfjs's JavaScript cpu backend in the page" },
  'browser-wasm': { tf: 'wasm', flags: {}, what: "tfjs's wasm backend in the page" },
} satisfies Record<string, BrowserBackendSpec>;

export type BrowserBackendName = keyof typeof browserBackends;
export const browserBackendNames = Object.keys(browserBackends) as BrowserBackendName[];
export const isBrowserBackend = (name: string): name is BrowserBackendName => Object.hasOwn(browserBackends, name);

/** How much longer than on cpu a job may take on this backend by default (1 for the others). */
export const timeLimitFactor = (backend: string): number =>
  isBrowserBackend(backend) ? ((browserBackends[backend] as BrowserBackendSpec).timeLimitFactor ?? 1) : 1;

export type BackendPageOutcome = { usable: true; page: BrowserPage } | { usable: false; reason: string };

/** A fresh page running the backend, or the reason it cannot run (the page is then closed). */
export async function openBackendPage(name: BrowserBackendName, options: OpenPageOptions = {}): Promise<BackendPageOutcome> {
  const spec: BrowserBackendSpec = browserBackends[name];
  let page: BrowserPage;
  try {
    page = await openPage(options);
  } catch (err) {
    return { usable: false, reason: (err as Error).message };
  }
  const status = await page.setBackend(spec.tf, spec.flags).catch((err: Error) => ({ usable: false, reason: err.message }));
  if (status.usable) return { usable: true, page };
  await page.close();
  return { usable: false, reason: `${name}: ${status.reason}` };
}
