// One lock per goldens root (proper-lockfile: an atomic mkdir of <root>/.lock, refreshed while held).
// Writers hold it for a whole write, from temporary directory to swap; recovery runs only under it, so
// a temporary or old directory seen while holding it belongs to a writer that died.
import lockfile from 'proper-lockfile';
import path from 'node:path';

/**
 * A lock whose holder was SIGKILLed is taken over once its mtime is this old. The holder refreshes it
 * every LOCK_UPDATE_MS, so a live writer's lock is never older than that plus a blocked event loop;
 * writes are file I/O only (no tfjs work), so 5 s leaves a wide margin while a killed `record` delays
 * the next command by at most ~5 s. (proper-lockfile's minimum is 2 s, its default 10 s.) Tests that kill
 * a writer pass a shorter time (`staleMs`, down to LOCK_STALE_MIN_MS) so they do not wait the full 5 s.
 */
export const LOCK_STALE_MS = 5000;
/** proper-lockfile's floor: a shorter stale time is taken as this. */
export const LOCK_STALE_MIN_MS = 2000;
export const LOCK_UPDATE_MS = 1000;
export const LOCK_DIR = '.lock';

export interface GoldenLock {
  /** Throws if the lock was lost (e.g. the event loop blocked past the stale time), before a step that needs it. */
  assertHeld(): void;
  release(): Promise<void>;
}

/** Takes the root's lock, waiting for another holder (or for its lock to go stale); undefined if `wait` is false and it is held. */
export async function lockGoldens(root: string, wait = true, staleMs = LOCK_STALE_MS): Promise<GoldenLock | undefined> {
  let lost: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(root, {
      lockfilePath: path.join(root, LOCK_DIR),
      realpath: false,
      stale: staleMs,
      update: LOCK_UPDATE_MS,
      // Up to ~30 s: other writers' swaps take milliseconds; a dead writer's lock goes stale in 5 s.
      retries: wait ? { retries: 150, minTimeout: 10, maxTimeout: 200, factor: 1.5 } : 0,
      onCompromised: (err) => {
        lost = err;
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED' && !wait) return undefined;
    if ((err as { code?: string }).code === 'ELOCKED')
      throw new Error(
        `${root}: another tfjs-repro command has held the goldens lock (${LOCK_DIR}) for over 30 s; wait for it to finish, or delete ${path.join(root, LOCK_DIR)} if no command is running`,
        { cause: err },
      );
    throw err;
  }
  return {
    assertHeld() {
      if (lost) throw new Error(`${root}: the goldens lock was lost (${lost.message}); nothing was swapped in, run the command again`);
    },
    async release() {
      await release().catch(() => undefined);
    },
  };
}
