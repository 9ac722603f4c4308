// Node's side of one browser page: typed calls into window.tfjsRepro that exchange data only.
// Tensors go as wire tensors (raw float32/int32 bytes), so nothing is rounded on the way.
import type { BrowserContext, Page } from 'playwright-core';
import path from 'node:path';
import type { Predictions, TensorData } from '../../types/tensor-data.ts';
import { bundleForPage } from './bundle-for-page.ts';
import type { PageServer } from './page-server.ts';
import type {
  BackendStatus,
  LoadBundleOptions,
  LoadModelOptions,
  ModelInfo,
  PageFingerprint,
  PredictOptions,
  TfjsReproPage,
  TrainOptions,
  WebglFlags,
  WireArtifacts,
} from './page/page-api.ts';
import { fromWire, toWire, type WireTensor } from './wire-tensor.ts';

export interface BrowserPageParts {
  page: Page;
  context: BrowserContext;
  server: PageServer;
  /** URLs off the page server that the page tried to reach (aborted). */
  blocked: string[];
  projectRoot: string;
  browserVersion: string;
}
export interface BrowserFingerprint extends PageFingerprint {
  browser: string;
}
/** Train options with tensors as data; see page-api.ts TrainOptions. */
export type TrainDataOptions = Omit<TrainOptions, 'inputs' | 'targets'> & {
  inputs: TensorData[] | Record<string, TensorData>;
  targets: TensorData[] | Record<string, TensorData>;
};

type Api = TfjsReproPage;
const wire = (t: TensorData[] | Record<string, TensorData>): WireTensor[] | Record<string, WireTensor> =>
  Array.isArray(t) ? t.map(toWire) : Object.fromEntries(Object.entries(t).map(([k, v]) => [k, toWire(v)]));

/** playwright prefixes the page's error with "page.evaluate: Error: " and a page stack; keep the message. */
function pageError(err: unknown): Error {
  const message = ((err as Error).message ?? String(err)).replace(/^page\.evaluate: (\w*Error: )?/, '').split('\n    at ')[0]!;
  return new Error(message.trim());
}

const scenarioBundles = new Map<string, Promise<string>>();
// One URL per scenario file and server: the page then imports (and evaluates) the module once.
const scenarioUrls = new WeakMap<PageServer, Map<string, Promise<string>>>();

export class BrowserPage {
  constructor(private readonly parts: BrowserPageParts) {}

  /** Calls window.tfjsRepro[name](...args) in the page. */
  private async call<K extends keyof Api>(name: K, ...args: Parameters<Api[K]>): Promise<Awaited<ReturnType<Api[K]>>> {
    try {
      return (await this.parts.page.evaluate(
        ([n, a]) => (window as unknown as { tfjsRepro: Record<string, (...x: unknown[]) => unknown> }).tfjsRepro[n]!(...a),
        [name, args] as [string, unknown[]],
      )) as Awaited<ReturnType<Api[K]>>;
    } catch (err) {
      throw pageError(err);
    }
  }

  get origin(): string {
    return this.parts.server.origin;
  }
  /** The underlying playwright page, for tests that probe the page itself. */
  get playwrightPage(): Page {
    return this.parts.page;
  }
  /** Requests refused by the server or aborted off it, since the server started. */
  refused(): string[] {
    return [...this.parts.server.refused, ...this.parts.blocked];
  }

  /** Serves exactly these bytes (a bundle verified in Node); returns the URL of the directory. */
  serveFiles(files: Map<string, Uint8Array>): string {
    return this.parts.server.serveFiles(files);
  }
  /** Stops serving files served with serveFiles (a bundle the page has loaded). */
  unserve(url: string): void {
    this.parts.server.unserve(url);
  }

  /** Bundles a scenario file for the page (once per file) and serves it; returns its URL. */
  async serveScenario(file: string): Promise<string> {
    const full = path.resolve(file);
    let code = scenarioBundles.get(full);
    if (!code) {
      code = bundleForPage(full, { root: this.parts.projectRoot }).catch((err: Error & { errors?: unknown[] }) => {
        scenarioBundles.delete(full);
        // Build errors (an import esbuild cannot resolve for a browser) make the scenario not applicable there.
        if (!err.errors?.length) throw err;
        throw new Error(
          `${path.relative(this.parts.projectRoot, full)}: not applicable in the browser: bundling it for the page failed: ${err.message.split('\n')[0]}`,
        );
      });
      scenarioBundles.set(full, code);
    }
    const server = this.parts.server;
    if (!scenarioUrls.has(server)) scenarioUrls.set(server, new Map());
    const urls = scenarioUrls.get(server)!;
    let url = urls.get(full);
    if (!url) {
      url = code.then((text) => `${server.serveFiles(new Map([['scenario.js', new TextEncoder().encode(text)]]))}scenario.js`);
      urls.set(full, url);
      url.catch(() => urls.delete(full));
    }
    return url;
  }

  setBackend(name: string, flags: WebglFlags = {}): Promise<BackendStatus> {
    return this.call('setBackend', name, flags);
  }
  loadModel(source: string | WireArtifacts, options: LoadModelOptions = {}): Promise<ModelInfo> {
    return this.call('loadModel', source, options);
  }

  async predict(id: number, inputs: TensorData[], options: PredictOptions = {}): Promise<Predictions> {
    const out = await this.call('predict', id, inputs.map(toWire), options);
    return Object.fromEntries(Object.entries(out).map(([k, w]) => [k, fromWire(w, k)]));
  }

  resetStates(id: number): Promise<void> {
    return this.call('resetStates', id);
  }
  dispose(id: number): Promise<void> {
    return this.call('dispose', id);
  }
  numTensors(): Promise<number> {
    return this.call('numTensors');
  }
  train(scenarioUrl: string, o: TrainDataOptions): Promise<ModelInfo> {
    return this.call('train', scenarioUrl, { ...o, inputs: wire(o.inputs), targets: wire(o.targets) });
  }
  save(id: number): Promise<WireArtifacts> {
    return this.call('save', id);
  }

  loadBundle(source: string | WireArtifacts, options: LoadBundleOptions): Promise<ModelInfo> {
    return this.call('loadBundle', source, options);
  }
  perturbLargestWeight(id: number, relative: number): Promise<string> {
    return this.call('perturbLargestWeight', id, relative);
  }
  async layerOutputs(
    id: number,
    inputs: TensorData[],
    batchSize?: number,
  ): Promise<{ names: string[]; classes: string[]; outputs: TensorData[] }> {
    const r = await this.call('layerOutputs', id, inputs.map(toWire), batchSize);
    return { names: r.names, classes: r.classes, outputs: r.outputs.map((w, i) => fromWire(w, `layer ${r.names[i]}`)) };
  }
  customClasses(scenarioUrl: string) {
    return this.call('customClasses', scenarioUrl);
  }
  heldTensors(id: number): Promise<number> {
    return this.call('heldTensors', id);
  }

  async fingerprint(): Promise<BrowserFingerprint> {
    return { browser: this.parts.browserVersion, ...(await this.call('fingerprint')) };
  }

  /** Closes the page (and its context): the backend and every tensor go with it. */
  close(): Promise<void> {
    return this.parts.context.close();
  }
}
