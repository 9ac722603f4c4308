// Starts the generated suite's work as early as possible: discovery and every scenario × backend job go
// to a pool of hosts when this module loads, before mocha runs any test. Configured by environment:
// TFJS_REPRO_SCENARIOS, TFJS_REPRO_GOLDENS (directories), TFJS_REPRO_BACKENDS (a comma list),
// TFJS_REPRO_JOBS (hosts; default: every core), TFJS_REPRO_TIMEOUT (seconds per job).
import os from 'node:os';
import path from 'node:path';
import { planRun, requiredBackendsFromEnv, type Job } from '../checks/plan.ts';
import { applyTestTier, leftToNightly, suiteBackends, testTierFromEnv } from '../checks/apply-test-tier.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { HostPool } from '../host/host-pool.ts';
import { discoverInHost, runJob } from '../host/run-jobs.ts';
import { isBrowserBackend, parseBackendName } from '../runtime/backends.ts';
import { parseTimeoutSeconds } from '../host/run-jobs.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const scenariosDir = path.resolve(process.env.TFJS_REPRO_SCENARIOS ?? path.join(root, 'scenarios'));
const goldensDir = path.resolve(process.env.TFJS_REPRO_GOLDENS ?? path.join(root, 'goldens'));
const jobs = Number(process.env.TFJS_REPRO_JOBS || os.availableParallelism());
if (!Number.isInteger(jobs) || jobs < 1)
  throw new Error(`TFJS_REPRO_JOBS must be a positive integer (hosts running at once); got "${process.env.TFJS_REPRO_JOBS}"`);
export const limitMs = process.env.TFJS_REPRO_TIMEOUT
  ? parseTimeoutSeconds(process.env.TFJS_REPRO_TIMEOUT, 'TFJS_REPRO_TIMEOUT')
  : undefined;
// Without TFJS_REPRO_BACKENDS, the browser backends join the Node ones, cut to the tier (apply-test-tier.ts).
const required = requiredBackendsFromEnv();
const backends = process.env.TFJS_REPRO_BACKENDS?.split(',').map((b) => parseBackendName(b.trim(), 'TFJS_REPRO_BACKENDS')) ?? [
  ...new Set([...suiteBackends(), ...required]),
];
const tier = testTierFromEnv();

export const pool = new HostPool({ jobs, browserBackends: backends.filter(isBrowserBackend) });
export const runtime = await pool.runtime();
export const store = new GoldenStore(goldensDir);
export const discovery = await discoverInHost(pool, scenariosDir, undefined, limitMs);
export const plan = applyTestTier(
  planRun({ runtime, scenarios: discovery.scenarios, broken: discovery.broken, requireBackends: required, backends }),
  tier,
);
export const deferred = tier === 'test' ? leftToNightly(backends.filter((b) => runtime.backends[b].usable)) : [];
export const results = new Map<Job, Promise<CheckOutcome[]>>(
  plan.jobs.map((job) => [job, runJob(pool, job, { goldens: goldensDir, ...(limitMs ? { timeoutMs: limitMs } : {}) })]),
);
