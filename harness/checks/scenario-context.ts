// Shared, memoized work for one scenario on one runtime: the golden (read once), the golden
// bundle's predictions per configuration, and one training run per backend.
import path from 'node:path';
import { readBundleDir } from '../bundle/bundle-dir.ts';
import type { FormatName } from '../bundle/formats.ts';
import type { CustomObjectsChoice, Executor, LoadedModel } from '../executor/executor.ts';
import type { ExecutorSet } from '../executor/in-process-executor.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { GoldenStore } from '../golden/golden-store.ts';
import type { OutputsFile, ProbesFile } from '../golden/golden-schema.ts';
import { decodeTensor } from '../golden/tensor-codec.ts';
import type { LoadedScenario } from '../scenario/discover-scenarios.ts';
import type { BackendName } from '../runtime/backends.ts';
import { inStep } from '../runtime/step.ts';
import type { ContractCheck } from './input-contract.ts';
import { NotApplicable, predict, trainScenario, type Predictions, type Trained } from './model-ops.ts';

export class GoldenUnusable extends Error {}

export function recordCommand(scenario: string, update = 'missing'): string {
  return `npx tfjs-repro record ${scenario}${update === 'missing' ? '' : ` --update ${update}`}`;
}

export interface GoldenLoadOptions {
  scenario?: TrainedScenario;
  customObjects?: CustomObjectsChoice;
  format?: FormatName;
}

export class ScenarioContext {
  private memo = new Map<string, Promise<unknown>>();
  /** Tensors held on purpose by memoized trained models; hygiene checks do not count them as leaks. */
  retainedTensors = 0;
  constructor(
    readonly runtime: ExecutorSet,
    readonly store: GoldenStore,
    readonly scenario: LoadedScenario,
  ) {}

  executor(backend: BackendName): Executor {
    return this.runtime.executor(backend);
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
    }
    return p;
  }

  /** The golden's probes, refusing a missing or stale golden with the command that fixes it. */
  probes(): Promise<ProbesFile> {
    return this.once('probes', () =>
      inStep('read golden', async () => {
        const name = this.scenario.name;
        const status = await this.store.status(name, this.scenario.sourceHash);
        if (status === 'missing')
          throw new GoldenUnusable(`golden for "${name}" is missing (${this.store.dir(name)}); record it with: ${recordCommand(name)}`);
        if (status === 'stale')
          throw new GoldenUnusable(
            `golden for "${name}" is stale: ${this.scenario.file} changed since it was recorded; if the change is intended, re-record with: ${recordCommand(name, 'changed')}`,
          );
        return this.store.readProbes(name);
      }),
    );
  }

  expected(backend: string): Promise<{ file: OutputsFile; outputs: Predictions }> {
    return this.once(`expected:${backend}`, async () => {
      await this.probes();
      const file = await this.store.readOutputs(this.scenario.name, backend);
      if (!file) {
        throw new GoldenUnusable(
          `golden for "${this.scenario.name}" has no outputs for backend ${backend} (${this.store.outputsFile(this.scenario.name, backend)}); record them with: ${recordCommand(this.scenario.name, 'changed')}`,
        );
      }
      const where = this.store.outputsFile(this.scenario.name, backend);
      const outputs = Object.fromEntries(Object.entries(file.outputs).map(([k, t]) => [k, decodeTensor(t, `${where}: outputs.${k}`)]));
      return { file, outputs };
    });
  }

  /** The golden's input contract with the scenario's extrapolation; undefined for a golden recorded before contracts. */
  contractCheck(probes: ProbesFile): ContractCheck | undefined {
    if (!probes.contract) return undefined;
    const file = path.relative(process.cwd(), path.join(this.store.dir(this.scenario.name), 'probes.json'));
    return { contract: probes.contract, extrapolates: this.scenario.definition.extrapolates, file };
  }

  /** Loads the golden bundle through a format on a backend and predicts the probes. */
  replayPredictions(backend: BackendName, format: FormatName): Promise<Predictions> {
    return this.once(`replay:${backend}:${format}`, async () => {
      const probes = await this.probes();
      const contract = this.contractCheck(probes);
      return this.withGolden(
        backend,
        (l) => predict(this.executor(backend), l.model, l.preprocessing, probes.inputs, this.scenario.definition, { contract }),
        { format },
      );
    });
  }

  /** Runs fn on a freshly loaded golden bundle and always disposes the model afterwards. */
  async withGolden<T>(backend: BackendName, fn: (loaded: LoadedModel) => Promise<T> | T, o: GoldenLoadOptions = {}): Promise<T> {
    const loaded = await this.loadGolden(backend, o);
    try {
      return await fn(loaded);
    } finally {
      await this.executor(backend).dispose(loaded.model);
    }
  }

  /** The golden bundle loaded on a backend; the caller disposes the model. */
  async loadGolden(backend: BackendName, o: GoldenLoadOptions = {}): Promise<LoadedModel> {
    const dir = this.store.bundleDir(this.scenario.name);
    const { files } = await inStep(`read bundle ${dir}`, () => readBundleDir(dir));
    return this.executor(backend).load(files, {
      format: o.format ?? 'memory',
      scenario: o.scenario ?? this.scenario.definition,
      where: dir,
      ...(o.customObjects ? { customObjects: o.customObjects } : {}),
    });
  }

  /** One seeded training run per backend, shared by retrain and roundtrip. */
  trained(backend: BackendName): Promise<Trained & { predictions: Predictions }> {
    return this.once(`trained:${backend}`, async () => {
      const exec = this.executor(backend);
      const before = await exec.numTensors();
      let trained: Trained;
      try {
        trained = await trainScenario(exec, this.scenario.definition);
      } catch (err) {
        // A fit that fails inside tfjs (a missing kernel) can strand tensors tfjs kept for itself;
        // they cannot be freed from outside, so they are reported here rather than as a leak.
        const stranded = (await exec.numTensors()) - before;
        if (stranded > 0 && err instanceof NotApplicable) {
          this.retainedTensors += stranded;
          err.message += ` (the failed fit stranded ${stranded} tensor(s) inside tfjs)`;
        }
        throw err;
      }
      const predictions = await predict(exec, trained.model, trained.preprocessing, trained.probes, this.scenario.definition);
      // Only the model's own tensors are kept on purpose; anything more that training left behind
      // shows as a leak of the first check that asked for this training run.
      this.retainedTensors += Math.min(await exec.heldTensors(trained.model), (await exec.numTensors()) - before);
      return { ...trained, predictions };
    });
  }

  async dispose(): Promise<void> {
    for (const [key, p] of this.memo) {
      if (!key.startsWith('trained:')) continue;
      const t = await (p as Promise<Trained>).catch(() => undefined);
      if (t) await this.executor(key.slice('trained:'.length) as BackendName).dispose(t.model);
    }
    this.memo.clear();
    this.retainedTensors = 0;
  }
}
