// Hosts a front end must not outlive. A host blocked in a loop cannot run its own signal handlers, so
// the parent kills its hosts on the way out: at exit and on SIGINT, SIGTERM and SIGHUP.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let guarded = false;

function guardExit(): void {
  if (guarded) return;
  guarded = true;
  const killAll = () => {
    for (const c of live) c.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(code);
    });
  }
}

/** Kills the child when this process exits or is interrupted, until `forget` is called. */
export function track(child: ChildProcess): void {
  guardExit();
  live.add(child);
}

export function forget(child: ChildProcess): void {
  live.delete(child);
}
