// Which queued task a free host takes. A host JIT-compiles the code of every backend it runs: measured
// with --trace-opt, one host running cpu, wasm and tensorflow spends 8.4 s of V8's helper-thread CPU
// on TurboFan, against 3.8, 2.9 and 3.7 s for one backend alone. At --jobs 2 both cores pay for that,
// so hosts that split the backends compile less. Measured gain is small (README "Speed"): five
// interleaved pairs of `run --jobs 2`, median 27.7 s against 28.5 s, 4 of 5 pairs faster, since much
// of the compiling (tfjs-core, layers, the harness) is common to every backend.
import type { Task } from './protocol.ts';

/** What a host keeps warm for a task: its backend. Tasks without one (record) come after the jobs a host prefers; a queue of them alone keeps its order. */
export const affinityKey = (task: Task): string | undefined => (task.kind === 'checks' ? task.job.backend : undefined);

/**
 * The index of the task a free host takes, given each queued task's key in queue order (longest first):
 * the first whose backend this host has run; else the first whose backend no other host has run; else
 * the first. So each backend stays on the hosts that have run it until they run out of its jobs, and a
 * host with nothing of its own takes the longest job left, whatever its backend, keeping the tail short.
 */
export function nextTask(keys: ReadonlyArray<string | undefined>, mine: ReadonlySet<string>, others: ReadonlySet<string>): number {
  const own = keys.findIndex((k) => k !== undefined && mine.has(k));
  if (own >= 0) return own;
  const unclaimed = keys.findIndex((k) => k !== undefined && !others.has(k));
  return unclaimed >= 0 ? unclaimed : 0;
}
