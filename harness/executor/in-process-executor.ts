// The executor for backends that run in the host process itself: cpu, wasm and tensorflow.
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { formats } from '../bundle/formats.ts';
import { disposeAnyModel, heldGraphTensors, isGraphModel, type AnyModel } from '../bundle/graph-model.ts';
import { heldTensors, isStateful } from '../bundle/load-bundle.ts';
import { createBundle } from '../bundle/save-bundle.ts';
import type { BundleFiles } from '../bundle/bundle-files.ts';
import type { PreprocessingState } from '../preprocessing/pipeline.ts';
import type { BackendName } from '../runtime/backends.ts';
import { activateBackend, type Runtime } from '../runtime/load-runtime.ts';
import { inStep } from '../runtime/step.ts';
import type { LayersModel } from '../runtime/tf-types.ts';
import { NotApplicable } from '../types/errors.ts';
import type { TensorData } from '../types/tensor-data.ts';
import { customClassInfo, withCustomObjects } from './custom-objects.ts';
import type {
  Executor,
  Fingerprint,
  LoadOptions,
  ModelHandle,
  PredictOptions,
  SavedModelPredictOptions,
  TrainRequest,
} from './executor.ts';
import { perturbGraphWeight, predictGraph } from './graph-model-ops.ts';
import { layerOutputs, perturbLargestWeight, predictTensors, trainModel } from './tf-model-ops.ts';
import { predictNativeSavedModel } from './native-saved-model.ts';

let nextId = 1;

/** CPU features that select Eigen's code paths in libtensorflow (its bits can differ between them). */
async function cpuFeatures(): Promise<string> {
  const text = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const flags = new Set((/^flags\s*:(.*)$/m.exec(text)?.[1] ?? '').trim().split(/\s+/));
  const relevant = [
    'sse4_1',
    'sse4_2',
    'avx',
    'avx2',
    'fma',
    'f16c',
    'avx512f',
    'avx512bw',
    'avx512dq',
    'avx512vl',
    'avx512_vnni',
    'avx512_bf16',
    'amx_tile',
    'neon',
    'asimd',
  ];
  return `${os.arch()}:${relevant.filter((f) => flags.has(f)).join(',') || 'unknown'}`;
}

export class InProcessExecutor implements Executor {
  private models = new Map<number, AnyModel>();
  /** The scenario each loaded model belongs to, for messages. */
  private scenarios = new Map<number, string>();
  constructor(
    private readonly runtime: Runtime,
    readonly backend: BackendName,
  ) {}

  get tfjsVersion(): string {
    return this.runtime.version;
  }
  private get tf() {
    return this.runtime.tf;
  }
  private async ready(): Promise<void> {
    await activateBackend(this.runtime, this.backend);
  }

  private handle(model: AnyModel): ModelHandle {
    const id = nextId++;
    this.models.set(id, model);
    if (isGraphModel(model))
      return { id, inputNames: [...model.inputNodes], outputNames: [...model.outputNodes], stateful: false, kind: 'graph' };
    return { id, inputNames: [...model.inputNames], outputNames: [...model.outputNames], stateful: isStateful(model) };
  }
  private model(h: ModelHandle): AnyModel {
    const m = this.models.get(h.id);
    if (!m) throw new Error(`model ${h.id} is not loaded in the ${this.backend} executor (disposed already?)`);
    return m;
  }
  private layersModel(h: ModelHandle, what: string): LayersModel {
    const m = this.model(h);
    if (isGraphModel(m))
      throw new NotApplicable(
        `${what} needs a layers model; ${this.scenarios.get(h.id) ?? 'this one'} is a graph model, whose intermediate outputs tfjs does not expose`,
      );
    return m;
  }

  async fingerprint(): Promise<Fingerprint> {
    // Only the native backend's kernels depend on the CPU's instruction set (oneDNN is off).
    return this.backend === 'tensorflow' ? { cpu: await cpuFeatures() } : {};
  }

  async load(files: BundleFiles, o: LoadOptions) {
    await this.ready();
    const loaded = await inStep(`load bundle (${o.format})`, () =>
      withCustomObjects(this.tf, o.scenario, o.customObjects ?? { mode: 'scenario' }, (scenario) =>
        formats[o.format].load(files, { tf: this.tf, scenario, where: o.where }),
      ),
    );
    const model = this.handle(loaded.model);
    this.scenarios.set(model.id, o.scenario.name);
    return { model, preprocessing: loaded.preprocessing };
  }

  async predict(h: ModelHandle, inputs: TensorData[], o: PredictOptions = {}) {
    await this.ready();
    const m = this.model(h);
    return inStep('predict', () => (isGraphModel(m) ? predictGraph(this.tf, m, inputs, o) : predictTensors(this.tf, m, inputs, o)));
  }

  async train(r: TrainRequest): Promise<ModelHandle> {
    await this.ready();
    return this.handle(await trainModel(this.tf, r));
  }

  async save(h: ModelHandle, preprocessing: PreprocessingState, scenario: string): Promise<BundleFiles> {
    await this.ready();
    return createBundle({ tf: this.tf, model: this.model(h), preprocessing, scenario, backend: this.backend });
  }

  async perturbLargestWeight(h: ModelHandle, relative: number): Promise<string> {
    await this.ready();
    const m = this.model(h);
    if (!isGraphModel(m)) return perturbLargestWeight(this.tf, m, relative);
    // A graph model's weights are fixed at load: the handle gets a model rebuilt with the moved weight.
    const rebuilt = await perturbGraphWeight(this.tf, m, relative);
    this.models.set(h.id, rebuilt.model);
    m.dispose();
    return rebuilt.name;
  }

  async layerOutputs(h: ModelHandle, inputs: TensorData[], batchSize?: number) {
    await this.ready();
    return layerOutputs(this.tf, this.layersModel(h, 'explain'), inputs, batchSize);
  }

  async customClasses(scenario: LoadOptions['scenario']) {
    return customClassInfo(this.tf, scenario);
  }

  async dispose(h: ModelHandle): Promise<void> {
    const m = this.models.get(h.id);
    if (!m) return;
    this.models.delete(h.id);
    this.scenarios.delete(h.id);
    disposeAnyModel(this.tf, m);
  }

  async numTensors(): Promise<number> {
    return this.tf.memory().numTensors;
  }
  async heldTensors(h: ModelHandle): Promise<number> {
    const m = this.model(h);
    return isGraphModel(m) ? heldGraphTensors(m) : heldTensors(m);
  }
  async predictSavedModel(dir: string, inputs: TensorData[], o: SavedModelPredictOptions) {
    if (this.backend !== 'tensorflow')
      throw new Error(`tf.node.loadSavedModel exists only in @tensorflow/tfjs-node, not on ${this.backend}`);
    await this.ready();
    return inStep(`predict SavedModel ${dir}`, () => predictNativeSavedModel(this.runtime, dir, inputs, o));
  }
}

/** The executors of one runtime, one per backend, created on first use. */
export interface ExecutorSet {
  /** Label used in configurations, e.g. "tfjs@4.22.0". */
  name: string;
  version: string;
  /** Which backends can be used here, and why not. */
  backends: Runtime['backends'];
  executor(backend: BackendName): Executor;
}

export function inProcessExecutors(runtime: Runtime): ExecutorSet {
  const made = new Map<BackendName, Executor>();
  return {
    name: runtime.name,
    version: runtime.version,
    backends: runtime.backends,
    executor(backend) {
      let e = made.get(backend);
      if (!e) {
        e = new InProcessExecutor(runtime, backend);
        made.set(backend, e);
      }
      return e;
    },
  };
}
