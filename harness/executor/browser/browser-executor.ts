// The executor for the browser backends: one page per backend in headless Chromium, reached through
// BrowserPage in data only. Bundles are verified here in Node and exactly those bytes go to the page;
// preprocessing stays in Node; the scenario file is bundled for the page when the model needs it.
import { bundleFromArtifacts } from '../../bundle/save-bundle.ts';
import { MODEL_JSON, parseJson, PREPROCESSING_JSON, verifyBundle, type BundleFiles } from '../../bundle/bundle-files.ts';
import type { PreprocessingState } from '../../preprocessing/pipeline.ts';
import { restorePipeline } from '../../preprocessing/restore-pipeline.ts';
import { inStep } from '../../runtime/step.ts';
import type { BrowserBackendName } from '../../runtime/backends.ts';
import type { TrainedScenario } from '../../scenario/define-scenario.ts';
import { NotApplicable } from '../../types/errors.ts';
import type { TensorData } from '../../types/tensor-data.ts';
import type { Executor, Fingerprint, LoadedModel, LoadOptions, ModelHandle, PredictOptions, TrainRequest } from '../executor.ts';
import { asNotApplicable } from '../tf-model-ops.ts';
import { browserBackends } from './browser-backends.ts';
import type { BrowserPage } from './browser-page.ts';
import { trainTargets } from './page-train-data.ts';
import { NOT_APPLICABLE_PREFIX, type ModelInfo } from './page/page-api.ts';
import { artifactsFromWire, wireFromBundle } from './wire-artifacts.ts';

export interface BrowserExecutorOptions {
  backend: BrowserBackendName;
  page: BrowserPage;
  tfjsVersion: string;
  /** The file of a scenario, by name: bundled for the page when its code must run there. */
  scenarioFile(name: string): string | undefined;
}

/** Page errors arrive as plain messages; the ones that mean "cannot run here" become NotApplicable. */
function fromPage(err: unknown, what: string): unknown {
  const message = (err as Error)?.message ?? String(err);
  if (message.startsWith(NOT_APPLICABLE_PREFIX)) return new NotApplicable(message.slice(NOT_APPLICABLE_PREFIX.length));
  if (message.startsWith('not applicable in the browser')) return new NotApplicable(message);
  return asNotApplicable(err, what);
}

const kindOf = (info: ModelInfo): Pick<ModelInfo, 'kind'> => (info.kind ? { kind: info.kind } : {});

export class BrowserExecutor implements Executor {
  private readonly page: BrowserPage;
  private readonly known = new Set<number>();
  constructor(private readonly o: BrowserExecutorOptions) {
    this.page = o.page;
  }

  get backend(): BrowserBackendName {
    return this.o.backend;
  }
  get tfjsVersion(): string {
    return this.o.tfjsVersion;
  }
  /** The page itself, for tests that drive it below the executor. */
  get browserPage(): BrowserPage {
    return this.page;
  }

  private async attempt<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await inStep(`${what} (${this.backend} page)`, fn);
    } catch (err) {
      throw fromPage(err, what);
    }
  }

  /** URL of the scenario bundled for the page, or undefined when nothing of it must run there. */
  private async scenarioUrl(scenario: TrainedScenario, needed: boolean): Promise<string | undefined> {
    if (!needed) return undefined;
    const file = this.o.scenarioFile(scenario.name);
    if (!file)
      throw new Error(
        `${scenario.name}: the browser executor does not know the scenario's file; the host must report it (hostExecutors().useScenario)`,
      );
    return this.attempt('bundle scenario for the page', () => this.page.serveScenario(file));
  }

  private handle(info: ModelInfo): ModelHandle {
    this.known.add(info.id);
    // kind: 'graph' marks a graph model (the seam's ModelHandle.kind); absent for layers models.
    return { id: info.id, inputNames: info.inputNames, outputNames: info.outputNames, stateful: info.stateful, ...kindOf(info) };
  }

  async fingerprint(): Promise<Fingerprint> {
    const f = await this.page.fingerprint();
    const spec = browserBackends[this.backend];
    // The GPU renderer decides a GPU backend's bits; the JavaScript and wasm backends depend on the browser build only.
    const renderer =
      spec.tf === 'webgl'
        ? f.webgl?.renderer
        : spec.tf === 'webgpu' && f.webgpu
          ? `${f.webgpu.vendor} ${f.webgpu.architecture} ${f.webgpu.description}`.trim()
          : undefined;
    return { browser: `Chromium ${f.browser}`, ...(renderer ? { renderer } : {}) };
  }

  async load(files: BundleFiles, o: LoadOptions): Promise<LoadedModel> {
    if (o.format === 'file')
      throw new NotApplicable('format file is not applicable in a browser: a page has no file system; use memory or http');
    verifyBundle(files, o.where);
    const preprocessing = restorePipeline(
      parseJson<PreprocessingState>(files, PREPROCESSING_JSON, o.where),
      `${o.where}/${PREPROCESSING_JSON}`,
    );
    const url = await this.scenarioUrl(
      o.scenario,
      Boolean(o.scenario.customObjects) || (o.customObjects?.mode ?? 'scenario') !== 'scenario',
    );
    const options = {
      where: o.where,
      scenarioName: o.scenario.name,
      ...(url ? { scenarioUrl: url } : {}),
      ...(o.customObjects ? { customObjects: o.customObjects } : {}),
    };
    if (o.format === 'http') {
      const dir = this.page.serveFiles(files);
      try {
        return {
          model: this.handle(await this.attempt(`load bundle (${o.format})`, () => this.page.loadBundle(`${dir}${MODEL_JSON}`, options))),
          preprocessing,
        };
      } finally {
        this.page.unserve(dir);
      }
    }
    const wire = wireFromBundle(files, o.where);
    return {
      model: this.handle(await this.attempt(`load bundle (${o.format})`, () => this.page.loadBundle(wire, options))),
      preprocessing,
    };
  }

  predict(h: ModelHandle, inputs: TensorData[], o: PredictOptions = {}) {
    return this.attempt('predict', () => this.page.predict(h.id, inputs, o));
  }

  async train(r: TrainRequest): Promise<ModelHandle> {
    const url = (await this.scenarioUrl(r.scenario, true))!;
    const inputs = r.names ? Object.fromEntries(r.names.map((n, i) => [n, r.x[i]!])) : r.x;
    const targets = trainTargets(r.y, `${r.scenario.name}: data().train.y`);
    return this.handle(await this.attempt('training (fit)', () => this.page.train(url, { inputs, targets, seed: r.seed, ...r.train })));
  }

  async save(h: ModelHandle, preprocessing: PreprocessingState, scenario: string): Promise<BundleFiles> {
    const a = artifactsFromWire(await this.attempt('save', () => this.page.save(h.id)));
    return bundleFromArtifacts(a as unknown as Parameters<typeof bundleFromArtifacts>[0], {
      preprocessing,
      scenario,
      backend: this.backend,
      tfjs: this.tfjsVersion,
    });
  }

  perturbLargestWeight(h: ModelHandle, relative: number): Promise<string> {
    return this.attempt('perturb a weight', () => this.page.perturbLargestWeight(h.id, relative));
  }

  layerOutputs(h: ModelHandle, inputs: TensorData[], batchSize?: number) {
    return this.attempt('layer outputs', () => this.page.layerOutputs(h.id, inputs, batchSize));
  }

  async customClasses(scenario: TrainedScenario) {
    if (!scenario.customObjects) return [];
    const url = (await this.scenarioUrl(scenario, true))!;
    return this.attempt('custom classes', () => this.page.customClasses(url));
  }

  async dispose(h: ModelHandle): Promise<void> {
    if (!this.known.delete(h.id)) return;
    await this.page.dispose(h.id);
  }

  numTensors(): Promise<number> {
    return this.page.numTensors();
  }
  heldTensors(h: ModelHandle): Promise<number> {
    return this.page.heldTensors(h.id);
  }
  /** Closes the page: the backend and its tensors go with it. */
  close(): Promise<void> {
    return this.page.close();
  }
}
