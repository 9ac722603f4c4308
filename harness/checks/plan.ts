// Expands scenarios × backends × formats into checks that front ends run one by one.
import { formatNames, type FormatName } from '../bundle/formats.ts';
import type { GoldenStore } from '../golden/golden-store.ts';
import type { Discovery } from '../scenario/discover-scenarios.ts';
import { backendNames, referenceBackend, type BackendName } from '../runtime/backends.ts';
import type { Runtime } from '../runtime/load-runtime.ts';
import { runCheck } from './checks.ts';
import { faultNames } from './faults.ts';
import { propertyNames, type PropertyOptions } from './properties.ts';
import { checkNames, type CheckName, type CheckOutcome, type Configuration } from './outcome.ts';
import { ScenarioContext } from './scenario-context.ts';

export interface PlannedCheck {
  scenario: string;
  configuration: Configuration;
  check: CheckName | 'load';
  run(): Promise<CheckOutcome>;
}
export interface PlannedScenario { scenario: string; checks: PlannedCheck[]; dispose(): Promise<void> }
/** A backend left out of the run, reported once rather than once per check. */
export interface SkippedBackend { backend: BackendName; reason: string }
export interface RunPlan { scenarios: PlannedScenario[]; skipped: SkippedBackend[] }
export interface PlanOptions {
  runtime: Runtime;
  store: GoldenStore;
  discovery: Discovery;
  backends?: BackendName[];
  formats?: FormatName[];
  /** Backends that must be usable: a missing one fails instead of being skipped. */
  requireBackends?: BackendName[];
  /** Only these checks (exact names, e.g. "replay" or "property roundtrip"). */
  checks?: string[];
  /** Seed and path for properties, to replay a failure. */
  property?: PropertyOptions;
  /** Run only shard `index` (1-based) of `count`: whole scenario × backend groups, round robin. */
  shard?: Shard;
}

export const REQUIRE_ENV = 'TFJS_REPRO_REQUIRE_BACKENDS';
export interface Shard { index: number; count: number }

/** Every check name a plan can hold, for validating --check. */
export const allCheckNames: string[] = [...checkNames, ...faultNames.map((f) => `fault ${f}`), ...propertyNames.map((p) => `property ${p}`)];

export function parseChecks(names: string[]): string[] {
  const unknown = names.filter((n) => !allCheckNames.includes(n));
  if (unknown.length) throw new Error(`--check: ${unknown.map((u) => `"${u}"`).join(', ')} is not a check; known: ${allCheckNames.join(', ')}`);
  return names;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard must be i/n with 1 ≤ i ≤ n, e.g. 1/2; got "${text}"`);
  return { index, count };
}

const fixed = (o: Omit<CheckOutcome, 'durationMs'>): (() => Promise<CheckOutcome>) => async () => ({ ...o, durationMs: 0 });

export function planRun(o: PlanOptions): RunPlan {
  const required = new Set(o.requireBackends ?? []);
  // Unusable backends are skipped once, unless required (then every check fails with the reason).
  const skipped = (o.backends ?? backendNames)
    .filter((b) => !o.runtime.backends[b].usable && !required.has(b))
    .map((b) => ({ backend: b, reason: o.runtime.backends[b].reason ?? 'not usable' }));
  const backends = (o.backends ?? backendNames).filter((b) => !skipped.some((s) => s.backend === b));
  const formats = o.formats ?? formatNames;
  const plans: PlannedScenario[] = o.discovery.broken.map((b) => ({
    scenario: b.name,
    checks: [{
      scenario: b.name, configuration: { runtime: o.runtime.name, backend: '-' }, check: 'load' as const,
      run: fixed({ scenario: b.name, configuration: { runtime: o.runtime.name, backend: '-' }, check: 'load', status: 'fail', reason: b.error }),
    }],
    dispose: async () => undefined,
  }));
  for (const s of o.discovery.scenarios) {
    const ctx = new ScenarioContext(o.runtime, o.store, s);
    const checks: PlannedCheck[] = [];
    const add = (configuration: Configuration, check: CheckName, backend: BackendName) => {
      if (o.checks && !o.checks.includes(check)) return;
      const status = o.runtime.backends[backend];
      const run = status.usable
        ? () => runCheck(ctx, check, configuration, o.property)
        : fixed({
          scenario: s.name, configuration, check,
          status: 'fail',
          reason: `backend ${backend} is not usable but ${REQUIRE_ENV} requires it: ${status.reason}`,
        });
      checks.push({ scenario: s.name, configuration, check, run });
    };
    for (const backend of backends) {
      for (const format of formats) {
        const configuration = { runtime: o.runtime.name, backend, format };
        add(configuration, 'replay', backend);
        // Agreement compares with the reference backend, so the reference itself has nothing to agree with.
        if (backend !== referenceBackend) add(configuration, 'agreement', backend);
        add(configuration, 'roundtrip', backend);
      }
      // Retraining and fault injection do not involve a save format, so they run once per backend.
      add({ runtime: o.runtime.name, backend }, 'retrain', backend);
      for (const fault of faultNames) add({ runtime: o.runtime.name, backend }, `fault ${fault}`, backend);
      for (const property of propertyNames) add({ runtime: o.runtime.name, backend }, `property ${property}`, backend);
    }
    plans.push({ scenario: s.name, checks, dispose: () => ctx.dispose() });
  }
  if (!o.shard) return { scenarios: plans, skipped };
  // Whole scenario × backend groups go to one shard, so a training run is never repeated across shards.
  const { index, count } = o.shard;
  const groups = [...new Set(plans.flatMap((p) => p.checks.map((c) => `${c.scenario}\u0000${c.configuration.backend}`)))];
  const mine = new Set(groups.filter((_, i) => i % count === index - 1));
  const sharded = plans
    .map((p) => ({ ...p, checks: p.checks.filter((c) => mine.has(`${c.scenario}\u0000${c.configuration.backend}`)) }))
    .filter((p) => p.checks.length > 0);
  return { scenarios: sharded, skipped };
}

export function requiredBackendsFromEnv(env = process.env): BackendName[] {
  const raw = env[REQUIRE_ENV];
  if (!raw) return [];
  return raw.split(',').map((b) => b.trim()).filter(Boolean).map((b) => {
    if (!(backendNames as string[]).includes(b)) throw new Error(`${REQUIRE_ENV}: each entry must be one of ${backendNames.join(', ')}; got "${b}"`);
    return b as BackendName;
  });
}
