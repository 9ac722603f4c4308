// A host: the child process that imports scenario files and runs their jobs, one at a time,
// reporting the step it is in before each step starts so a parent can name a step that never ends.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runCheck } from '../checks/checks.ts';
import { ObtainedSink } from '../checks/obtained-sink.ts';
import { recordGolden } from '../checks/record-golden.ts';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { browserBackendsIn, hostExecutors } from '../executor/host-executors.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { onStep } from '../runtime/step.ts';
import { discoverScenarios, loadScenarioFile, type LoadedScenario } from '../scenario/discover-scenarios.ts';
import type { FromHost, Task, ToHost } from './protocol.ts';

const send = (m: FromHost) => process.send!(m);
// Scenario code may throw from a timer or leave a promise rejected: say what, before dying with it.
const fatal = (err: unknown) => {
  const message = String((err as Error)?.stack ?? err)
    .split('\n')
    .slice(0, 3)
    .join(' ');
  process.send!({ type: 'fatal', message } satisfies FromHost, () => process.exit(1));
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// A watchdog that needs no event loop: if the parent dies (even by SIGKILL), a host stuck in a loop
// would otherwise run on forever; a worker thread notices the new parent and kills this process.
new Worker(`setInterval(() => { if (process.ppid !== ${process.ppid}) process.kill(process.pid, 'SIGKILL'); }, 500);`, {
  eval: true,
}).unref();
const runtimeRoot = process.env.TFJS_REPRO_HOST_RUNTIME_ROOT;
// A light host only discovers scenario files: it needs no tfjs, which is most of a host's start-up.
const light = process.env.TFJS_REPRO_HOST_LIGHT === '1';
const runtime = light ? undefined : await loadRuntime(runtimeRoot ? { root: runtimeRoot } : {});
// Browser backends open only when asked for (the pool's selection, or the environment), as they start Chromium.
const env = process.env;
const executors = runtime
  ? await hostExecutors(runtime, {
      browserBackends: browserBackendsIn(env.TFJS_REPRO_HOST_BROWSER_BACKENDS, env.TFJS_REPRO_BACKENDS, env.TFJS_REPRO_REQUIRE_BACKENDS),
      ...(runtimeRoot ? { runtimeRoot } : {}),
    })
  : undefined;
const jobHost = () => {
  if (!executors) throw new Error('a discovery host runs no jobs');
  return executors;
};
// Scenario modules are cached by content (see loadScenarioFile), so reloading per task is cheap and current.
async function scenarioFile(file: string): Promise<LoadedScenario> {
  const s = await loadScenarioFile(path.resolve(file));
  jobHost().useScenario(s.name, s.file);
  return s;
}

async function perform(id: number, task: Task): Promise<void> {
  if (task.kind === 'discover') {
    const d = await discoverScenarios(task.dir, task.names ? (n) => task.names!.includes(n) : undefined, task.exclude);
    const scenarios = d.scenarios.map((s) => ({
      name: s.name,
      file: s.file,
      sourceHash: s.sourceHash,
      ...(s.definition.timeoutMs ? { timeoutMs: s.definition.timeoutMs } : {}),
    }));
    send({ type: 'discovered', id, scenarios, broken: d.broken });
    return;
  }
  const store = new GoldenStore(task.goldens);
  if (task.kind === 'record') {
    const scenario = await scenarioFile(task.file);
    const outcome = await recordGolden({
      runtime: jobHost(),
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
  const ctx = new ScenarioContext(jobHost(), store, scenario);
  const obtained = task.results ? new ObtainedSink(task.results, ctx) : undefined;
  try {
    const options = { ...task.property, ...(obtained ? { obtained } : {}) };
    for (const c of task.job.checks) send({ type: 'outcome', id, outcome: await runCheck(ctx, c.check, c.configuration, options) });
    await obtained?.finish();
  } finally {
    await ctx.dispose();
  }
}

process.on('message', (m: ToHost) => {
  onStep((step) => send({ type: 'step', id: m.id, step }));
  perform(m.id, m.task).then(
    () => send({ type: 'done', id: m.id }),
    (err: Error) => send({ type: 'error', id: m.id, message: err?.message ?? String(err) }),
  );
});
// The parent is gone: nothing left to report to. The browser must be closed, or playwright keeps the process alive.
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 10_000).unref();
  void (executors?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
send({
  type: 'ready',
  runtime: runtime && executors ? { name: runtime.name, version: runtime.version, backends: executors.backends } : null,
});
