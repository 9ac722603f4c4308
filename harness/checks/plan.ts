// Expands scenarios × backends × formats into jobs: one job is one scenario on one backend, the unit
// a host runs (and is killed for, when it passes its time limit) and the group `--shard` splits by.
import { formatNames, type FormatName } from '../bundle/formats.ts';
import { backendNames, defaultBackendNames, referenceBackend, type BackendName } from '../runtime/backends.ts';
import type { BackendStatus } from '../runtime/load-runtime.ts';
import { faultNames } from './faults.ts';
import { propertyNames } from './properties.ts';
import { quantizationNames } from './quantize-weights.ts';
import { checkNames, type CheckName, type CheckOutcome, type Configuration } from './outcome.ts';

/** What planning needs to know of a scenario, without running any of its code. */
export interface ScenarioMeta {
  name: string;
  file: string;
  sourceHash: string;
  timeoutMs?: number;
}
export interface BrokenMeta {
  name: string;
  file: string;
  error: string;
}
export interface PlannedCheck {
  check: CheckName;
  configuration: Configuration;
}
export interface Job {
  scenario: string;
  file: string;
  backend: BackendName;
  checks: PlannedCheck[];
  /** The scenario's own time limit, if it declares one. */
  timeoutMs?: number;
}
/** A backend left out of the run, reported once rather than once per check. */
export interface SkippedBackend {
  backend: BackendName;
  reason: string;
}
export interface RunPlan {
  jobs: Job[];
  /** Outcomes known without running anything: broken scenario files, required backends that are not usable. */
  fixed: CheckOutcome[];
  skipped: SkippedBackend[];
}
export interface PlanOptions {
  runtime: { name: string; backends: Record<BackendName, BackendStatus> };
  scenarios: ScenarioMeta[];
  broken?: BrokenMeta[];
  backends?: BackendName[];
  formats?: FormatName[];
  /** Backends that must be usable: a missing one fails instead of being skipped. */
  requireBackends?: BackendName[];
  /** Only these checks (exact names, e.g. "replay" or "property roundtrip"). */
  checks?: string[];
  /** Run only shard `index` (1-based) of `count`: whole scenario × backend jobs, round robin. */
  shard?: Shard;
}

export const REQUIRE_ENV = 'TFJS_REPRO_REQUIRE_BACKENDS';
export interface Shard {
  index: number;
  count: number;
}

/** Every check name a plan can hold, for validating --check. */
export const allCheckNames: string[] = [
  ...checkNames,
  ...faultNames.map((f) => `fault ${f}`),
  ...propertyNames.map((p) => `property ${p}`),
  ...quantizationNames.map((q) => `quantized ${q}`),
];

export function parseChecks(names: string[]): string[] {
  const unknown = names.filter((n) => !allCheckNames.includes(n));
  if (unknown.length)
    throw new Error(`--check: ${unknown.map((u) => `"${u}"`).join(', ')} is not a check; known: ${allCheckNames.join(', ')}`);
  return names;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard must be i/n with 1 ≤ i ≤ n, e.g. 1/2; got "${text}"`);
  return { index, count };
}

/** The checks of one scenario on one backend, in the order they run. */
function checksFor(runtime: string, backend: BackendName, formats: FormatName[], only?: string[]): PlannedCheck[] {
  const checks: PlannedCheck[] = [];
  const add = (configuration: Configuration, check: CheckName) => {
    if (!only || only.includes(check)) checks.push({ check, configuration });
  };
  for (const format of formats) {
    const configuration = { runtime, backend, format };
    add(configuration, 'replay');
    // Agreement compares with the reference backend, so the reference itself has nothing to agree with.
    if (backend !== referenceBackend) add(configuration, 'agreement');
    add(configuration, 'roundtrip');
  }
  // Retraining, faults and properties involve no save format, so they run once per backend.
  add({ runtime, backend }, 'retrain');
  // Against the framework that made a saved model; not applicable (with the reason) to trained ones.
  add({ runtime, backend }, 'reference');
  // The SavedModel itself on TensorFlow's kernels (tfjs-node only); not applicable (with the reason) elsewhere.
  add({ runtime, backend }, 'savedmodel');
  for (const fault of faultNames) add({ runtime, backend }, `fault ${fault}`);
  for (const property of propertyNames) add({ runtime, backend }, `property ${property}`);
  for (const q of quantizationNames) add({ runtime, backend }, `quantized ${q}`);
  return checks;
}

export function planRun(o: PlanOptions): RunPlan {
  const required = new Set(o.requireBackends ?? []);
  // A required backend runs even when it is not a default one (a browser backend named in CI).
  const wanted = o.backends ?? [...new Set([...defaultBackendNames, ...required])];
  // Unusable backends are skipped once, unless required (then every check fails with the reason).
  const skipped = wanted
    .filter((b) => !o.runtime.backends[b].usable && !required.has(b))
    .map((b) => ({ backend: b, reason: o.runtime.backends[b].reason ?? 'not usable' }));
  const backends = wanted.filter((b) => !skipped.some((s) => s.backend === b));
  const formats = o.formats ?? formatNames;
  const fixed: CheckOutcome[] = (o.broken ?? []).map((b) => ({
    scenario: b.name,
    configuration: { runtime: o.runtime.name, backend: '-' },
    check: 'load',
    status: 'fail',
    reason: b.error,
    durationMs: 0,
  }));
  let jobs: Job[] = [];
  for (const s of o.scenarios) {
    for (const backend of backends) {
      const checks = checksFor(o.runtime.name, backend, formats, o.checks);
      if (!checks.length) continue;
      const status = o.runtime.backends[backend];
      if (!status.usable) {
        const reason = `backend ${backend} is not usable but ${REQUIRE_ENV} requires it: ${status.reason}`;
        fixed.push(...checks.map((c): CheckOutcome => ({ scenario: s.name, ...c, status: 'fail', reason, durationMs: 0 })));
        continue;
      }
      jobs.push({ scenario: s.name, file: s.file, backend, checks, ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}) });
    }
  }
  if (o.shard) {
    // Whole scenario × backend jobs go to one shard, so a training run is never repeated across shards.
    const { index, count } = o.shard;
    const groups = [
      ...new Set([
        ...jobs.map((j) => `${j.scenario}\u0000${j.backend}`),
        ...fixed.map((f) => `${f.scenario}\u0000${f.configuration.backend}`),
      ]),
    ];
    const mine = new Set(groups.filter((_, i) => i % count === index - 1));
    jobs = jobs.filter((j) => mine.has(`${j.scenario}\u0000${j.backend}`));
    return { jobs, fixed: fixed.filter((f) => mine.has(`${f.scenario}\u0000${f.configuration.backend}`)), skipped };
  }
  return { jobs, fixed, skipped };
}

export function requiredBackendsFromEnv(env = process.env): BackendName[] {
  const raw = env[REQUIRE_ENV];
  if (!raw) return [];
  return raw
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => {
      if (!(backendNames as string[]).includes(b))
        throw new Error(`${REQUIRE_ENV}: each entry must be one of ${backendNames.join(', ')}; got "${b}"`);
      return b as BackendName;
    });
}
