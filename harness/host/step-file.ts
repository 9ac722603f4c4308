// Where a host keeps the step it is in, for its parent to read when it kills or loses the host. A file,
// not a message: a run enters about 55,000 steps, and one IPC message each cost the parent (deserialize,
// emit) and the host (serialize, write) about 2 s of CPU per `run` of the suite; the parent needs the step
// only when a job does not end by itself. One positional write per step, read only after the host is gone.
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The host side: records `step` of task `id` in place of the previous one. */
export function stepWriter(file: string): (id: number, step: string) => void {
  const fd = openSync(file, 'w');
  // The first line is the record: a shorter step leaves bytes of a longer one after its newline. JSON
  // keeps a step with a newline (a file name may hold one) whole, on one line.
  return (id, step) => void writeSync(fd, `${id}\t${JSON.stringify(step)}\n`, 0);
}

/** The step task `id` was in, from what the file held; undefined if it had entered none. */
export function stepOf(record: string | undefined, id: number): string | undefined {
  const m = /^(\d+)\t([^\n]*)\n/.exec(record ?? '');
  if (!m || Number(m[1]) !== id) return undefined;
  try {
    return JSON.parse(m[2]!) as string;
  } catch {
    return undefined;
  }
}

export const readStepFile = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

let dir: string | undefined;
let files = 0;
/**
 * A new step file's path for a host; the directory is this process's and is removed when it exits (a
 * host whose front end was killed removes its own file, and the directory once it is empty).
 */
export function newStepFile(): string {
  if (!dir) {
    const made = mkdtempSync(path.join(os.tmpdir(), 'tfjs-repro-steps-'));
    dir = made;
    process.once('exit', () => {
      try {
        rmSync(made, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // A Chromium still exiting; hosts also remove their own files.
      }
    });
  }
  return path.join(dir, `host-${++files}`);
}
