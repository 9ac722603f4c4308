// The parent side of hosts: a pool of child processes, each running one task at a time. A task that
// passes its time limit gets its host killed (an infinite loop blocks the host's event loop, so only
// the parent can stop it) and is reported with the step it was in; the next task gets a fresh host.
import { affinityKey, nextTask } from './host-affinity.ts';
import { formatSeconds, startHost, type HostProcess, type HostStartOptions } from './host-process.ts';
import { forget } from './live-hosts.ts';
import { readStepFile, stepOf } from './step-file.ts';
import type { FromHost, RuntimeInfo, Task } from './protocol.ts';

export interface HostPoolOptions extends HostStartOptions {
  /** How many hosts run at once (`--jobs`). */
  jobs: number;
}
/** How a task ended: finished (or failed with an error), or stopped because its host was killed or died. */
export type TaskEnd =
  | { ended: 'done' }
  | { ended: 'error'; message: string }
  | { ended: 'timeout' | 'crash'; step: string; elapsedMs: number; message: string };
export interface TaskOptions {
  timeoutMs: number;
  onMessage?: (m: FromHost) => void;
}

interface Host extends HostProcess {
  busy: boolean;
  /** Set once it has run a job: from then on it discovers nothing (see run). */
  used?: boolean;
  /** The backends it has run jobs on: it keeps their compiled code warm (host-affinity.ts). */
  ran: Set<string>;
}
interface Queued {
  task: Task;
  options: TaskOptions;
  resolve: (end: TaskEnd) => void;
}

let nextTaskId = 1;
/** setTimeout's limit: a longer timer fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** What front ends use of a pool. */
export type Pool = Pick<HostPool, 'runtime' | 'run' | 'close' | 'warm'>;

export class HostPool {
  private hosts: Host[] = [];
  private queue: Queued[] = [];
  private dispatching = false;
  private closed = false;
  private info?: Promise<RuntimeInfo>;
  /** A discovery host whose last discovery left nothing running: the next discovery reuses it. */
  private spare?: Host;
  constructor(private readonly o: HostPoolOptions) {
    if (!Number.isInteger(o.jobs) || o.jobs < 1) throw new Error(`--jobs must be a positive integer; got ${o.jobs}`);
  }

  /** The runtime as a host sees it: tfjs version and which backends are usable. */
  runtime(): Promise<RuntimeInfo> {
    this.info ??= this.spawn().ready;
    return this.info;
  }

  private spawn(light = false): Host {
    // The same object, not a copy: startHost's listeners record fatal and lastStep on it.
    const host: Host = Object.assign(startHost(this.o, light), { busy: false, ran: new Set<string>() });
    // A host that dies while idle leaves the pool at once; the next task gets a new one.
    host.child.once('exit', () => {
      this.hosts = this.hosts.filter((h) => h !== host);
      if (this.spare === host) this.spare = undefined;
    });
    if (!light) this.hosts.push(host);
    return host;
  }

  /** Starts up to `count` hosts (at most --jobs) ahead of the tasks, so their start-up overlaps other work. */
  warm(count = this.o.jobs): void {
    try {
      while (!this.closed && this.hosts.length < Math.min(count, this.o.jobs)) this.spawn();
    } catch {
      // A fork that fails (EAGAIN) leaves the tasks to the hosts that did start, as dispatch does.
    }
  }

  /** Runs a task on a free host; resolves when it ends, however it ends. Never rejects. */
  run(task: Task, options: TaskOptions): Promise<TaskEnd> {
    if (this.closed) return Promise.resolve({ ended: 'error', message: 'the host pool is closed' });
    // Discovery imports every scenario file, in a host that runs no job afterwards if the files left
    // something running, so their leftovers (a timer that throws) are never blamed on a job: a job host
    // that has run nothing yet (below), or a host of its own that loads no tfjs, kept for the next
    // discovery only when the files left nothing running (in-process CLI calls, test suites).
    if (task.kind === 'discover') {
      // With one job at a time, or when the caller started a second job host (several jobs ahead), a job
      // host that has run no job yet discovers too, once it has loaded tfjs: a host of its own costs
      // about 0.45 s of CPU and starts no job sooner, as the job hosts are still loading tfjs. Only with
      // one job host starting and a core to spare does a host of its own discover alongside it. The job
      // host keeps running jobs only if the files left nothing running, as a spare does.
      const fresh = !this.spare && (this.o.jobs === 1 || this.hosts.length > 1) ? this.hosts.find((h) => !h.busy && !h.used) : undefined;
      const host = this.spare ?? fresh ?? this.spawn(true);
      if (fresh) fresh.busy = true;
      this.spare = undefined;
      let reusable = false;
      const onMessage = (m: FromHost) => {
        if (m.type === 'discovered') reusable = m.reusable;
        options.onMessage?.(m);
      };
      return this.execute(host, { task, options: { ...options, onMessage }, resolve: () => undefined }).then((end) => {
        const keep = end.ended === 'done' && reusable && !this.closed && host.child.exitCode === null && !host.child.killed;
        if (fresh) {
          fresh.busy = false;
          if (!keep) this.retire(fresh);
          this.dispatch();
        } else if (keep && !this.spare) this.spare = host;
        else this.retire(host);
        return end;
      });
    }
    return new Promise((resolve) => {
      this.queue.push({ task, options, resolve });
      // Once the caller has queued all it has in this turn: a host's first pick depends on what is queued.
      if (this.dispatching) return;
      this.dispatching = true;
      queueMicrotask(() => {
        this.dispatching = false;
        this.dispatch();
      });
    });
  }

  private dispatch(): void {
    if (this.closed) {
      for (const q of this.queue.splice(0)) q.resolve({ ended: 'error', message: 'the host pool is closed' });
      return;
    }
    while (this.queue.length) {
      let host = this.hosts.find((h) => !h.busy);
      if (!host && this.hosts.length < this.o.jobs) {
        // dispatch runs from a microtask and from promise callbacks: a fork that throws must not escape.
        try {
          host = this.spawn();
        } catch (err) {
          // Hosts already running take the queue as they free up; with none, nothing would.
          if (this.hosts.length) return;
          for (const q of this.queue.splice(0)) q.resolve({ ended: 'error', message: `could not start a host: ${(err as Error).message}` });
          return;
        }
      }
      if (!host) return;
      const others = new Set(this.hosts.flatMap((h) => (h === host ? [] : [...h.ran])));
      const keys = this.queue.map((q) => affinityKey(q.task));
      const [next] = this.queue.splice(nextTask(keys, host.ran, others), 1) as [Queued];
      const key = affinityKey(next.task);
      if (key) host.ran.add(key);
      host.busy = true;
      host.used = true;
      void this.execute(host, next).then((end) => {
        host.busy = false;
        next.resolve(end);
        this.dispatch();
      });
    }
  }

  private async execute(host: Host, q: Queued): Promise<TaskEnd> {
    try {
      await host.ready;
    } catch (err) {
      this.retire(host);
      return { ended: 'error', message: (err as Error).message };
    }
    const id = nextTaskId++;
    const start = performance.now();
    // Read once the host is gone, so never half-written.
    const step = () => stepOf(host.lastStep, id) ?? 'starting';
    return new Promise<TaskEnd>((resolve) => {
      const finish = (end: TaskEnd) => {
        clearTimeout(timer);
        host.child.off('message', onMessage);
        host.child.off('exit', onExit);
        resolve(end);
      };
      const onMessage = (m: FromHost) => {
        if (m.type === 'ready' || m.type === 'fatal' || m.id !== id) return;
        q.options.onMessage?.(m);
        if (m.type === 'done') finish({ ended: 'done' });
        if (m.type === 'error') finish({ ended: 'error', message: m.message });
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.retire(host);
        finish({
          ended: 'crash',
          step: step(),
          elapsedMs: Math.round(performance.now() - start),
          message: `the host process died (code ${code}, signal ${signal}) in step ${step()}${host.fatal ? `: ${host.fatal}` : ''}`,
        });
      };
      const timer = setTimeout(() => {
        // A result still on its way must not turn the time limit into 'done'.
        host.child.off('message', onMessage);
        host.child.off('exit', onExit);
        const elapsedMs = Math.round(performance.now() - start);
        const report = () => {
          clearTimeout(stuck);
          finish({
            ended: 'timeout',
            step: step(),
            elapsedMs,
            message: `timed out after ${formatSeconds(q.options.timeoutMs)} in step "${step()}"`,
          });
        };
        // The step is read at exit; a host that a native call keeps from dying is read as it is after 1 s.
        const stuck = setTimeout(() => {
          host.child.off('exit', report);
          host.lastStep ??= readStepFile(host.stepFile);
          report();
        }, 1000);
        host.child.once('exit', report);
        host.child.kill('SIGKILL');
        this.retire(host);
      }, q.options.timeoutMs);
      host.child.on('message', onMessage);
      host.child.once('exit', onExit);
      host.child.send({ type: 'task', id, task: q.task }, (err) => {
        if (err) onExit(host.child.exitCode, `send failed: ${err.message}`);
      });
    });
  }

  private retire(host: Host): void {
    this.hosts = this.hosts.filter((h) => h !== host);
    if (host.child.exitCode === null && host.child.signalCode === null) host.child.kill('SIGKILL');
    forget(host.child);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.spare) this.retire(this.spare);
    this.spare = undefined;
    const exits = this.hosts.map(
      (h) =>
        new Promise<void>((r) => {
          if (h.child.exitCode !== null || h.child.signalCode !== null) return r();
          // Waiting for an unref'd child does not keep the loop alive: from Node 22 the CLI would
          // end with its top-level await unsettled (exit code 13).
          h.child.ref();
          h.child.once('exit', () => r());
          if (h.child.connected) h.child.disconnect();
          else h.child.kill('SIGKILL');
        }),
    );
    this.hosts = [];
    await Promise.all(exits);
  }
}

export { formatSeconds };
