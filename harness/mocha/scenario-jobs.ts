// Starts the generated suite's work as early as possible: discovery and every scenario × backend job go
// to a pool of hosts when this module loads, before mocha runs any test. Directories and default
// backends come from tfjs-repro.config.json (harness/config); the environment overrides them:
// TFJS_REPRO_SCENARIOS, TFJS_REPRO_GOLDENS, TFJS_REPRO_RESULTS (directories), TFJS_REPRO_BACKENDS (a comma list),
// TFJS_REPRO_JOBS (hosts; default: every core), TFJS_REPRO_TIMEOUT (seconds per job).
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { planRun, requiredBackendsFromEnv, type Job } from '../checks/plan.ts';
import { applyTestTier, leftToNightly, suiteBackends, testTierFromEnv } from '../checks/apply-test-tier.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { HostPool } from '../host/host-pool.ts';
import { bothSettled, discoverInHost, runJob } from '../host/run-jobs.ts';
import { countScenarioFiles } from '../scenario/discover-scenarios.ts';
import { isBrowserBackend, isNodeBackend, parseBackendName } from '../runtime/backends.ts';
import { parseTimeoutSeconds } from '../host/run-jobs.ts';

const config = loadConfig();
const scenariosDir = path.resolve(process.env.TFJS_REPRO_SCENARIOS ?? config.scenariosDir);
const goldensDir = path.resolve(process.env.TFJS_REPRO_GOLDENS ?? config.goldensDir);
// Goldens named by the environment (a scratch copy) get their own results beside them.
const resultsDir = path.resolve(
  process.env.TFJS_REPRO_RESULTS ?? (process.env.TFJS_REPRO_GOLDENS ? path.join(path.dirname(goldensDir), 'results') : config.resultsDir),
);
const jobs = Number(process.env.TFJS_REPRO_JOBS || os.availableParallelism());
if (!Number.isInteger(jobs) || jobs < 1)
  throw new Error(`TFJS_REPRO_JOBS must be a positive integer (hosts running at once); got "${process.env.TFJS_REPRO_JOBS}"`);
export const limitMs = process.env.TFJS_REPRO_TIMEOUT
  ? parseTimeoutSeconds(process.env.TFJS_REPRO_TIMEOUT, 'TFJS_REPRO_TIMEOUT')
  : undefined;
// Without TFJS_REPRO_BACKENDS or the config's backends, the browser backends join the Node ones, cut to
// the tier (apply-test-tier.ts).
const required = requiredBackendsFromEnv();
const backends = process.env.TFJS_REPRO_BACKENDS?.split(',').map((b) => parseBackendName(b.trim(), 'TFJS_REPRO_BACKENDS')) ??
  config.backends ?? [...new Set([...suiteBackends(), ...required])];
const tier = testTierFromEnv();

export const pool = new HostPool({
  jobs,
  browserBackends: backends.filter(isBrowserBackend),
  nodeBackends: backends.filter(isNodeBackend),
});
// As the CLI does (runtimeAndScenarios): with several jobs ahead, the hosts start now and one discovers.
const expected = countScenarioFiles(scenariosDir) * backends.length;
const loading = pool.runtime();
if (expected > 1) pool.warm(expected);
export const [runtime, discovery] = await bothSettled(loading, discoverInHost(pool, scenariosDir, undefined, limitMs));
export const store = new GoldenStore(goldensDir);
export const plan = applyTestTier(
  planRun({ runtime, scenarios: discovery.scenarios, broken: discovery.broken, requireBackends: required, backends }),
  tier,
);
export const deferred = tier === 'test' ? leftToNightly(backends.filter((b) => runtime.backends[b].usable)) : [];
export const results = new Map<Job, Promise<CheckOutcome[]>>(
  plan.jobs.map((job) => [
    job,
    runJob(pool, job, { goldens: goldensDir, results: resultsDir, ...(limitMs ? { timeoutMs: limitMs } : {}) }),
  ]),
);
