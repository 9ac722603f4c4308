// A test hook: with TFJS_REPRO_STOP_AT=<name>, the process kills itself (SIGKILL, no clean-up) when it
// reaches that named point of a golden write, so tests kill a writer at exact moments, not guessed delays.
export const STOP_ENV = 'TFJS_REPRO_STOP_AT';
export const stopPoints = [
  'write:locked',
  'write:bundle-written',
  'write:complete',
  'write:old-moved',
  'write:swapped',
  'write-outputs:written',
] as const;
export type StopPoint = (typeof stopPoints)[number];

export function stopPoint(name: StopPoint): void {
  if (process.env[STOP_ENV] === name) process.kill(process.pid, 'SIGKILL');
}
