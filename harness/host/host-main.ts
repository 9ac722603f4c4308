// A host: the child process that imports scenario files and runs their jobs, one at a time,
// recording the step it is in before each step starts so a parent can name a step that never ends.
import { flushCompileCache } from 'node:module';
import { rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { onStep } from '../runtime/step.ts';
import { discoverScenarios } from '../scenario/discover-scenarios.ts';
import type { JobHost } from './host-jobs.ts';
import type { FromHost, Task, ToHost } from './protocol.ts';
import { stepWriter } from './step-file.ts';

const send = (m: FromHost) => process.send!(m);
// Scenario code may throw from a timer or leave a promise rejected: say what, before dying with it.
const fatal = (err: unknown) => {
  const message = String((err as Error)?.stack ?? err)
    .split('\n')
    .slice(0, 3)
    .join(' ');
  // With its parent gone (a send that failed with EPIPE brings us here), the send fails too: exit all
  // the same, through process.exit, so that the 'exit' listeners (its own files) still run.
  try {
    if (!process.connected) process.exit(1);
    process.send!({ type: 'fatal', message } satisfies FromHost, () => process.exit(1));
  } catch {
    process.exit(1);
  }
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// A watchdog that needs no event loop: if the parent dies (even by SIGKILL), a host stuck in a loop
// would otherwise run on forever; a worker thread notices the new parent and kills this process.
// It also removes this host's step file (below) and temporary directory (host-jobs.ts), which its parent would have removed.
const stepFile = process.env.TFJS_REPRO_HOST_STEP_FILE;
// The pool's pid, from before this host started: a parent that died while it was starting counts as gone.
const parentPid = Number(process.env.TFJS_REPRO_HOST_PARENT_PID) || process.ppid;
new Worker(
  `setInterval(() => { if (process.ppid !== ${parentPid}) { ${stepFile ? `try { const fs = process.getBuiltinModule('fs'); fs.rmSync(${JSON.stringify(stepFile)}, { force: true }); fs.rmSync(${JSON.stringify(`${stepFile}.tmp`)}, { recursive: true, force: true }); fs.rmdirSync(${JSON.stringify(path.dirname(stepFile))}); } catch {} ` : ''}process.kill(process.pid, 'SIGKILL'); } }, 500);`,
  { eval: true },
).unref();
// The step each task is in, where the parent reads it once this host has exited (step-file.ts).
const writeStep = stepFile ? stepWriter(stepFile) : () => undefined;
function removeOwnFiles(): void {
  if (!stepFile) return;
  try {
    rmSync(stepFile, { force: true });
    rmSync(`${stepFile}.tmp`, { recursive: true, force: true });
    // The directory is the front end's: only once it is gone, and only if empty.
    if (process.ppid !== parentPid) rmdirSync(path.dirname(stepFile));
  } catch {
    // Not empty (another host's files), or already removed.
  }
}
// A light host only discovers scenario files: it loads neither tfjs nor the checks (a dynamic import),
// which is most of a host's start-up; discovery runs often (every CLI command) and must be cheap.
const light = process.env.TFJS_REPRO_HOST_LIGHT === '1';
const jobs: JobHost | undefined = light ? undefined : await (await import('./host-jobs.ts')).startJobHost(process.env);
// Now tsx's CommonJS hooks (the pool started this host with its ESM hooks only, so that loading tfjs did
// not go through them): a scenario file in a package without "type": "module" is compiled as CommonJS,
// and its extensionless relative imports need them.
(await import('tsx/cjs/api')).register();

// What the host itself holds open (its IPC channel); anything more after a discovery was left by the
// scenario files it imported (a timer that may throw later), and the host is not reused. File system
// requests and handle closes still in flight are the loader's own and end by themselves.
const resources = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => !r.startsWith('FSReq') && r !== 'CloseReq')
    .sort()
    .join();
let baseline = '';

async function perform(id: number, task: Task): Promise<void> {
  if (task.kind === 'discover') {
    const d = await discoverScenarios(task.dir, task.names ? (n) => task.names!.includes(n) : undefined, task.exclude);
    const scenarios = d.scenarios.map((s) => ({
      name: s.name,
      file: s.file,
      sourceHash: s.sourceHash,
      ...(s.definition.timeoutMs ? { timeoutMs: s.definition.timeoutMs } : {}),
    }));
    send({ type: 'discovered', id, scenarios, broken: d.broken, reusable: resources() === baseline });
    return;
  }
  if (!jobs) throw new Error('a discovery host runs no jobs');
  await jobs.perform(id, task, send);
}

process.on('message', (m: ToHost) => {
  onStep((step) => writeStep(m.id, step));
  perform(m.id, m.task).then(
    () => send({ type: 'done', id: m.id }),
    (err: Error) => send({ type: 'error', id: m.id, message: err?.message ?? String(err) }),
  );
});
// The parent is gone: nothing left to report to. The browser must be closed, or playwright keeps the process alive.
// A host whose front end is gone removes its own files, however it ends (the watchdog does the same
// before its kill); with the front end alive they stay, for it to read the step once this host has exited.
process.on('exit', () => {
  if (process.ppid !== parentPid) removeOwnFiles();
});
// Its own files go too: a front end that was killed cannot remove them (the watchdog does the same).
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 10_000).unref();
  void (jobs?.close() ?? Promise.resolve()).finally(() => {
    removeOwnFiles();
    process.exit(0);
  });
});
baseline = resources();
// Hosts that start later (the second of --jobs 2) read what this one compiled; a host killed at its time limit writes nothing at exit.
flushCompileCache();
send({
  type: 'ready',
  runtime: jobs?.runtime ?? null,
});
