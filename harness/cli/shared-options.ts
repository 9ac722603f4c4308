import os from 'node:os';
import path from 'node:path';
import type { Argv } from 'yargs';
import { loadConfig } from '../config/load-config.ts';
import { formatNames, parseFormatName, type FormatName } from '../bundle/formats.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { HostPool, type Pool } from '../host/host-pool.ts';
import { bothSettled, DEFAULT_TIMEOUT_MS, discoverInHost, parseTimeoutSeconds, type Discovered } from '../host/run-jobs.ts';
import { parseShard } from '../checks/plan.ts';
import { countScenarioFiles } from '../scenario/discover-scenarios.ts';
import { backendNames, isBrowserBackend, isNodeBackend, parseBackendName, type BackendName } from '../runtime/backends.ts';

export interface CommonArgs {
  scenario?: string[];
  backend?: string | string[];
  format?: string | string[];
  json: boolean;
  scenarios: string;
  goldens: string;
}
export interface PoolArgs {
  jobs?: number;
  timeout?: number;
  'runtime-root'?: string;
}

export function commonOptions<T>(y: Argv<T>) {
  return dirOptions(
    y
      .positional('scenario', { type: 'string', array: true, describe: 'scenario names to include (default: all)' })
      // Not `array: true`: an array option would swallow the scenario names that follow it.
      .option('backend', { alias: 'b', type: 'string', describe: `backends (${backendNames.join(', ')}); comma-separated or repeated` })
      .option('format', { alias: 'f', type: 'string', describe: `save formats (${formatNames.join(', ')})` })
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' }),
  );
}

/** --scenarios and --goldens, defaulting to the directories of tfjs-repro.config.json (else ./scenarios, ./goldens). */
export function dirOptions<T>(y: Argv<T>) {
  const config = loadConfig();
  const rel = (dir: string) => path.relative(process.cwd(), dir) || '.';
  return y
    .option('scenarios', { type: 'string', default: rel(config.scenariosDir), describe: 'directory of *.scenario.ts files' })
    .option('goldens', { type: 'string', default: rel(config.goldensDir), describe: 'directory of recorded goldens' });
}

/** Options of commands that run scenario code in hosts (child processes with time limits). */
export function poolOptions<T>(y: Argv<T>) {
  return y
    .option('jobs', {
      alias: 'j',
      type: 'number',
      default: os.availableParallelism(),
      defaultDescription: 'the number of cores',
      describe: 'how many scenario × backend jobs run at once, each in its own host process',
    })
    .option('timeout', {
      type: 'number',
      describe: `time limit of one scenario × backend job, in seconds (default: the scenario's timeoutMs, else ${DEFAULT_TIMEOUT_MS / 1000})`,
    });
}

/** --timeout in milliseconds, refusing what is not a positive number of seconds. */
export function timeoutMs(a: PoolArgs): number | undefined {
  if (a.timeout === undefined) return undefined;
  return parseTimeoutSeconds(a.timeout, '--timeout');
}

let shared: HostPool | undefined;
/** In-process callers (tests) share one pool across commands; each command's close() leaves it open. */
export function setSharedPool(pool: HostPool | undefined): void {
  shared = pool;
}

export function makePool(a: PoolArgs & { backend?: string | string[] }): Pool {
  const jobs = a.jobs ?? os.availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 4 * os.availableParallelism()) {
    throw new Error(`--jobs must be an integer from 1 to ${4 * os.availableParallelism()}; got ${a.jobs}`);
  }
  const s = shared;
  if (s && !a['runtime-root'])
    return { runtime: () => s.runtime(), run: (t, o) => s.run(t, o), warm: (n) => s.warm(n), close: async () => undefined };
  // Hosts open a browser page only for the browser backends selected (each starts Chromium), and load
  // only the Node backends selected (all when none is).
  const selection = split(a.backend) ?? loadConfig().backends;
  const browserBackends = (selection ?? []).filter(isBrowserBackend);
  return new HostPool({
    jobs,
    ...(a['runtime-root'] ? { runtimeRoot: a['runtime-root'] } : {}),
    ...(browserBackends.length ? { browserBackends } : {}),
    ...(selection ? { nodeBackends: selection.filter(isNodeBackend) } : {}),
  });
}

function split(values: string | string[] | undefined): string[] | undefined {
  const list = (values === undefined ? [] : [values].flat())
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return list?.length ? list : undefined;
}

export function selectedBackends(a: CommonArgs): BackendName[] | undefined {
  return split(a.backend)?.map((b) => parseBackendName(b, '--backend')) ?? loadConfig().backends;
}
export function selectedFormats(a: CommonArgs): FormatName[] | undefined {
  return split(a.format)?.map((f) => parseFormatName(f, '--format'));
}

/** Imports the scenario files in a host (an import can hang); names that match no file are an error. */
export async function discover(a: CommonArgs & PoolArgs, pool?: Pool): Promise<Discovered> {
  const own = pool ?? makePool({ ...a, jobs: 1 });
  try {
    const wanted = split(a.scenario);
    const dir = path.resolve(a.scenarios);
    const discovery = await discoverInHost(own, dir, wanted, timeoutMs(a));
    const found = new Set([...discovery.scenarios, ...discovery.broken].map((s) => s.name));
    const unknown = wanted?.filter((w) => !found.has(w)) ?? [];
    if (unknown.length) {
      const all = await discoverInHost(own, dir, undefined, timeoutMs(a));
      throw new Error(
        `scenario ${unknown.map((u) => `"${u}"`).join(', ')} not found in ${a.scenarios}/; known: ${all.scenarios.map((s) => s.name).join(', ')}`,
      );
    }
    return discovery;
  } finally {
    if (!pool) await own.close();
  }
}

/**
 * The runtime and the scenarios, found at the same time: the first job host loads tfjs while discovery
 * imports the scenario files. When the plan will hold several jobs, the job hosts it needs (up to
 * --jobs) start at once and the first of them discovers once it has loaded tfjs, instead of a host of
 * its own (README "Speed"). `byBackend`: false for record, whose one task per scenario covers every backend.
 */
export async function runtimeAndScenarios(a: CommonArgs & PoolArgs & { shard?: string }, pool: Pool, byBackend = true) {
  const expected = expectedJobs(a, byBackend);
  const loading = pool.runtime();
  if (expected > 1) pool.warm(expected);
  const [runtime, discovery] = await bothSettled(loading, discover(a, pool));
  return { runtime, discovery };
}

/** Tasks the plan will likely hold, before discovery: scenario files (or names) × backends, in this shard. */
export function expectedJobs(a: CommonArgs & { shard?: string }, byBackend = true): number {
  const files = split(a.scenario)?.length ?? countScenarioFiles(path.resolve(a.scenarios)); // 0 if missing: discovery says so
  const backends = byBackend ? (selectedBackends(a)?.length ?? 2) : 1; // cpu and wasm are always usable
  const total = files * backends;
  if (!a.shard) return total;
  // Jobs are dealt round robin: shard i of n gets jobs i-1, i-1+n, ... (plan.ts).
  const { index, count } = parseShard(a.shard);
  return Math.max(0, Math.ceil((total - (index - 1)) / count));
}

export const storeFor = (a: CommonArgs) => new GoldenStore(path.resolve(a.goldens));
