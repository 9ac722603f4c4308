// What `npm test` runs on the browser backends: replay, agreement and the faults of every scenario,
// the cheap checks that catch a browser that predicts differently. The whole set (roundtrip, retrain,
// properties) runs in `run -b ...` and in the nightly tier (TFJS_REPRO_TIER=nightly), as each of them
// loads or trains the model again in a page, and shaders compile per page.
import { backendNames, browserBackendNames, defaultBackendNames, isBrowserBackend, type BackendName } from '../runtime/backends.ts';
import type { Job, PlannedCheck, RunPlan } from './plan.ts';

export const TIER_ENV = 'TFJS_REPRO_TIER';
export const testTiers = ['test', 'nightly'] as const;
export type TestTier = (typeof testTiers)[number];

/**
 * Checks left to the nightly tier on one backend, with the reason. WebGPU on SwiftShader (a CPU
 * emulating the GPU, as on this CI) dispatches every op through Vulkan: measured 2.5–3.5 s per
 * stateful-lstm prediction and 25 s for its faults, against 0.1 s on webgl.
 */
const nightlyOnly: Partial<Record<BackendName, { checks: RegExp; reason: string }>> = {
  webgpu: {
    checks: /^fault /,
    reason: 'webgpu on SwiftShader takes 2.5–3.5 s per LSTM prediction (25 s for the stateful-lstm faults alone)',
  },
};

export function testTierFromEnv(env = process.env): TestTier {
  const raw = env[TIER_ENV] || 'test';
  if (!(testTiers as readonly string[]).includes(raw))
    throw new Error(`${TIER_ENV} must be one of ${testTiers.join(', ')} (unset means test); got "${raw}"`);
  return raw as TestTier;
}

/** The backends `npm test` plans when TFJS_REPRO_BACKENDS names none: the Node ones and every browser one. */
export const suiteBackends = (): BackendName[] => [...defaultBackendNames, ...browserBackendNames].filter((b) => backendNames.includes(b));

/** Whether a check of the test tier runs on a backend; browser backends keep replay, agreement and faults. */
export function inTestTier(backend: BackendName, c: PlannedCheck): boolean {
  if (!isBrowserBackend(backend)) return true;
  // A page has no file system: the file format is not applicable there, so it is not planned at all.
  if (c.configuration.format === 'file') return false;
  if (nightlyOnly[backend]?.checks.test(c.check)) return false;
  return c.check === 'replay' || c.check === 'agreement' || c.check.startsWith('fault ');
}

/** What the test tier leaves to the nightly one, per browser backend, for the suite to say once. */
export function leftToNightly(backends: BackendName[]): { backend: BackendName; reason: string }[] {
  return backends.filter(isBrowserBackend).map((backend) => {
    const extra = nightlyOnly[backend];
    return {
      backend,
      reason: `roundtrip, retrain and properties${extra ? ' and the faults' : ''} run in the nightly tier (\`npm run test:nightly\`) and in \`tfjs-repro run -b ${backend}\`${extra ? `, as ${extra.reason}` : ''}`,
    };
  });
}

/** The plan cut to a tier: unchanged for nightly; for test, browser backends keep their cheap checks. */
export function applyTestTier(plan: RunPlan, tier: TestTier): RunPlan {
  if (tier === 'nightly') return plan;
  const keep = (backend: BackendName, c: PlannedCheck) => inTestTier(backend, c);
  const jobs: Job[] = plan.jobs
    .map((j) => ({ ...j, checks: j.checks.filter((c) => keep(j.backend, c)) }))
    .filter((j) => j.checks.length > 0);
  const fixed = plan.fixed.filter((o) => {
    const b = o.configuration.backend;
    return o.check === 'load' || b === '-' || !isBrowserBackend(b) || keep(b, { check: o.check, configuration: o.configuration });
  });
  return { ...plan, jobs, fixed };
}
