// Writes what failing comparisons obtained, for one scenario × backend job, beside the run's results
// (never into goldens/), and removes a file left by an earlier run once the comparisons pass again.
import os from 'node:os';
import path from 'node:path';
import { obtainedPath, readObtained, removeObtained, writeObtained, type ObtainedFile } from '../golden/obtained-outputs.ts';
import { encodeTensor } from '../golden/tensor-codec.ts';
import type { BackendName } from '../runtime/backends.ts';
import type { Predictions } from './model-ops.ts';
import type { CheckOutcome } from './outcome.ts';
import type { ScenarioContext } from './scenario-context.ts';

/** Checks whose failure leaves obtained outputs: they compare predictions with recorded ones. */
export const obtainingChecks: readonly string[] = ['replay', 'agreement', 'reference'];

/** How to fix a failure from its obtained file, for the failure message. */
function advice(check: string, scenario: string): string {
  if (check === 'replay') return `review with: npx tfjs-repro review ${scenario}; accept with: npx tfjs-repro accept ${scenario}`;
  return `${check} compares with another backend or framework, so accepting a golden does not fix it; read the difference with: npx tfjs-repro review ${scenario}`;
}

export class ObtainedSink {
  private written = new Map<string, ObtainedFile>();
  private failed = new Map<string, boolean>();
  constructor(
    readonly results: string,
    readonly ctx: ScenarioContext,
  ) {}

  /**
   * Writes the predictions of a failing check (the first failure of a backend in this job writes; later
   * ones are added to its `checks`), and says where in the outcome. A write that fails is said in the
   * reason and fails nothing else.
   */
  async record(
    check: string,
    backend: BackendName,
    format: string,
    actual: Predictions,
  ): Promise<Pick<CheckOutcome, 'obtained' | 'reason'>> {
    const name = this.ctx.scenario.name;
    try {
      let file = this.written.get(backend);
      if (file) file = { ...file, checks: [...new Set([...file.checks, check])] };
      else {
        const fingerprint = await this.ctx.executor(backend).fingerprint();
        file = {
          scenario: name,
          sourceHash: this.ctx.scenario.sourceHash,
          tfjs: this.ctx.runtime.version,
          backend,
          node: process.version,
          platform: `${os.platform()}-${os.arch()}`,
          recorded: new Date().toISOString(),
          ...(Object.keys(fingerprint).length ? { fingerprint } : {}),
          outputs: Object.fromEntries(Object.entries(actual).map(([k, t]) => [k, encodeTensor(t)])),
          format,
          checks: [check],
        };
      }
      this.written.set(backend, file);
      const rel = path.relative(process.cwd(), await writeObtained(this.results, file));
      return { obtained: rel, reason: `obtained outputs written to ${rel}; ${advice(check, name)}` };
    } catch (err) {
      const where = path.relative(process.cwd(), obtainedPath(this.results, name, backend));
      return { reason: `the obtained outputs could not be written to ${where}: ${(err as Error).message}` };
    }
  }

  /** Notes that a comparing check ran on a backend, and whether it failed. */
  ran(check: string, backend: string, failed: boolean): void {
    if (obtainingChecks.includes(check)) this.failed.set(backend, (this.failed.get(backend) ?? false) || failed);
  }

  /**
   * Removes the obtained files of backends whose comparisons all passed in this job: they are out of
   * date. Only files obtained on this tfjs version: a cross-version run must not delete another's.
   */
  async finish(): Promise<void> {
    const name = this.ctx.scenario.name;
    for (const [backend, failed] of this.failed) {
      if (failed) continue;
      const previous = await readObtained(this.results, name, backend).catch(() => undefined);
      if (previous?.tfjs === this.ctx.runtime.version) await removeObtained(this.results, name, backend).catch(() => undefined);
    }
  }
}
