// What a full host does beside discovery: load tfjs and the executors, record goldens and run checks.
// Imported only by full hosts, so a discovery host pays for none of it at start-up.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCheck } from '../checks/checks.ts';
import { ObtainedSink } from '../checks/obtained-sink.ts';
import { recordGolden } from '../checks/record-golden.ts';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { browserBackendsIn, hostExecutors, type HostExecutors } from '../executor/host-executors.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { isNodeBackend, type NodeBackendName } from '../runtime/backends.ts';
import { loadRuntime, type Runtime } from '../runtime/load-runtime.ts';
import { loadScenarioFile, type LoadedScenario } from '../scenario/discover-scenarios.ts';
import type { ChecksTask, FromHost, RecordTask, RuntimeInfo } from './protocol.ts';

export interface JobHost {
  runtime: RuntimeInfo;
  perform(id: number, task: ChecksTask | RecordTask, send: (m: FromHost) => void): Promise<void>;
  close(): Promise<void>;
}

export async function startJobHost(env: NodeJS.ProcessEnv): Promise<JobHost> {
  const runtimeRoot = env.TFJS_REPRO_HOST_RUNTIME_ROOT;
  // Only the Node backends the front end selected (all by default): libtensorflow alone is ~0.5 s of CPU.
  const selected = env.TFJS_REPRO_HOST_NODE_BACKENDS?.split(',').filter((b): b is NodeBackendName => isNodeBackend(b));
  const runtime: Runtime = await loadRuntime({
    ...(runtimeRoot ? { root: runtimeRoot } : {}),
    ...(selected ? { backends: selected } : {}),
  });
  // Browser backends open only when asked for (the pool's selection, or the environment), as they start Chromium.
  const browserBackends = browserBackendsIn(env.TFJS_REPRO_HOST_BROWSER_BACKENDS, env.TFJS_REPRO_BACKENDS, env.TFJS_REPRO_REQUIRE_BACKENDS);
  // playwright puts Chromium's profile in the temporary directory and removes it when the browser closes;
  // a host killed at a time limit, or by its watchdog, never closes it. So this host's temporary files go
  // to a directory the pool and the watchdog remove (tsx's cache, located at start-up, stays shared).
  if (browserBackends.length && env.TFJS_REPRO_HOST_TMP) {
    mkdirSync(env.TFJS_REPRO_HOST_TMP, { recursive: true });
    process.env.TMPDIR = env.TFJS_REPRO_HOST_TMP;
  }
  const executors: HostExecutors = await hostExecutors(runtime, {
    browserBackends,
    ...(runtimeRoot ? { runtimeRoot } : {}),
  });
  // Scenario modules are cached by content (see loadScenarioFile), so reloading per task is cheap and current.
  async function scenarioFile(file: string): Promise<LoadedScenario> {
    const s = await loadScenarioFile(path.resolve(file));
    executors.useScenario(s.name, s.file);
    return s;
  }
  return {
    runtime: { name: runtime.name, version: runtime.version, backends: executors.backends },
    close: () => executors.close(),
    async perform(id, task, send) {
      const store = new GoldenStore(task.goldens);
      if (task.kind === 'record') {
        const scenario = await scenarioFile(task.file);
        const outcome = await recordGolden({
          runtime: executors,
          store,
          scenario,
          update: task.update,
          ...(task.backends ? { backends: task.backends } : {}),
          ...(task.dropBackends ? { dropBackends: true } : {}),
        });
        send({ type: 'recorded', id, outcome });
        return;
      }
      const scenario = await scenarioFile(task.job.file);
      const ctx = new ScenarioContext(executors, store, scenario);
      const obtained = task.results ? new ObtainedSink(task.results, ctx) : undefined;
      try {
        const options = { ...task.property, ...(obtained ? { obtained } : {}) };
        for (const c of task.job.checks) send({ type: 'outcome', id, outcome: await runCheck(ctx, c.check, c.configuration, options) });
        await obtained?.finish();
      } finally {
        await ctx.dispose();
      }
    },
  };
}
