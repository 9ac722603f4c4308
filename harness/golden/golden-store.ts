// goldens/<scenario>/{bundle/, probes.json, outputs/<backend>.json}. A golden is written into a
// temporary directory and swapped in with renames, under the goldens lock (golden-lock.ts); a kill at
// any point leaves the old or the new, and only a command holding the lock finishes or undoes a swap.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stopPoint } from './stop-point.ts';
import { lockGoldens, type GoldenLock } from './golden-lock.ts';
import { goldenConsistencyProblem } from './golden-consistency.ts';
import { parseOutputsFile, parseProbesFile, type OutputsFile, type ProbesFile } from './golden-schema.ts';
import { GoldenFileError } from './strict-json-parse.ts';

export interface GoldenContent {
  bundle: Map<string, Uint8Array>;
  probes: ProbesFile;
  outputs: Record<string, OutputsFile>;
}
export type GoldenStatus = 'ok' | 'missing' | 'stale' | 'orphan' | 'invalid';
/** A golden's status; an invalid one also names the file (relative to the working directory) and the field. */
export interface GoldenInspection {
  status: GoldenStatus;
  error?: string;
  file?: string;
  field?: string;
}

const TMP = '.tmp-';
const OLD = '.old-';
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
const rel = (file: string) => path.relative(process.cwd(), file);
async function readText(file: string): Promise<string> {
  // A FIFO or a device would block the read forever: only regular files are read.
  const info = await stat(file).catch(() => undefined);
  if (info && !info.isFile()) {
    throw new GoldenFileError(
      rel(file),
      '(file)',
      `${rel(file)}: must be a regular file (found a FIFO, a device or a directory); restore it with git or re-record`,
    );
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new GoldenFileError(
      rel(file),
      '(file)',
      `${rel(file)}: cannot be read (${(err as { code?: string }).code ?? (err as Error).message}); restore it with git or re-record`,
    );
  }
}
// A read-only checkout cannot be locked, nor can anything in it be left half swapped by this user.
const READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

export interface GoldenStoreOptions {
  /** When a dead writer's lock may be taken over (golden-lock's LOCK_STALE_MS unless a test shortens it). */
  lockStaleMs?: number;
}

export class GoldenStore {
  private recovered?: Promise<void>;
  constructor(
    readonly root: string,
    private readonly o: GoldenStoreOptions = {},
  ) {}

  /** Every read starts by waiting for a writer's swap to end and cleaning up after a killed one. */
  private ready(): Promise<void> {
    this.recovered ??= this.settle();
    return this.recovered;
  }

  private async settle(dirtyOnly = true): Promise<void> {
    if (!(await exists(this.root))) return;
    // Nothing left by a writer (live or dead): no need to queue for the lock.
    if (dirtyOnly && !(await this.dirty())) return;
    const lock = await lockGoldens(this.root, true, this.o.lockStaleMs).catch((err: { code?: string }) => {
      if (READ_ONLY.has(err.code ?? '')) return undefined;
      throw err;
    });
    if (!lock) return;
    try {
      await this.recoverLocked();
    } finally {
      await lock.release();
    }
  }

  dir(scenario: string): string {
    return path.join(this.root, scenario);
  }
  outputsFile(scenario: string, backend: string): string {
    return path.join(this.dir(scenario), 'outputs', `${backend}.json`);
  }

  /** Finishes or undoes a swap that a killed `record` left half done; does nothing while a writer holds the lock. */
  async recover(): Promise<void> {
    if (!(await exists(this.root))) return;
    const lock = await lockGoldens(this.root, false, this.o.lockStaleMs);
    if (!lock) return;
    try {
      await this.recoverLocked();
    } finally {
      await lock.release();
    }
  }

  /** Whether a writer (live or dead) left a temporary file or an old directory. */
  private async dirty(): Promise<boolean> {
    for (const e of await readdir(this.root).catch(() => [] as string[])) {
      if (e.startsWith(TMP) || e.startsWith(OLD)) return true;
      if (
        !e.startsWith('.') &&
        (await readdir(path.join(this.root, e, 'outputs')).catch(() => [] as string[])).some((f) => f.endsWith('.tmp'))
      )
        return true;
    }
    return false;
  }

  /** Under the lock no writer is live, so every temporary file and old directory is a dead writer's. */
  private async recoverLocked(): Promise<void> {
    for (const e of await readdir(this.root).catch(() => [] as string[])) {
      if (e.startsWith(TMP)) await rm(path.join(this.root, e), { recursive: true, force: true });
      if (!e.startsWith('.')) {
        const outputs = path.join(this.root, e, 'outputs');
        for (const f of await readdir(outputs).catch(() => [] as string[])) {
          if (f.endsWith('.tmp')) await rm(path.join(outputs, f), { force: true });
        }
      }
      if (e.startsWith(OLD)) {
        const name = e.slice(OLD.length);
        if (await exists(this.dir(name))) await rm(path.join(this.root, e), { recursive: true, force: true });
        else await rename(path.join(this.root, e), this.dir(name));
      }
    }
  }

  async list(): Promise<string[]> {
    await this.ready();
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  async has(scenario: string): Promise<boolean> {
    await this.ready();
    const probes = path.join(this.dir(scenario), 'probes.json');
    if (await exists(probes)) return true;
    // Mid-swap (or a writer died mid-swap): wait for the lock, which finishes or undoes it.
    if (!(await exists(path.join(this.root, `${OLD}${scenario}`)))) return false;
    await this.settle(false);
    return exists(probes);
  }

  async readProbes(scenario: string): Promise<ProbesFile> {
    await this.ready();
    const file = path.join(this.dir(scenario), 'probes.json');
    return parseProbesFile(await readText(file), rel(file), scenario);
  }

  async readOutputs(scenario: string, backend: string): Promise<OutputsFile | undefined> {
    await this.ready();
    const file = this.outputsFile(scenario, backend);
    if (!(await exists(file))) return undefined;
    return parseOutputsFile(await readText(file), rel(file), scenario, backend);
  }

  async recordedBackends(scenario: string): Promise<string[]> {
    await this.ready();
    const names = await readdir(path.join(this.dir(scenario), 'outputs')).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -5))
      .sort();
  }

  bundleDir(scenario: string): string {
    return path.join(this.dir(scenario), 'bundle');
  }

  async status(scenario: string, sourceHash: string | undefined): Promise<GoldenStatus> {
    return (await this.inspect(scenario, sourceHash)).status;
  }

  /**
   * The status with, for an invalid golden, the error naming its file and field. Every outputs file is
   * read and checked, and the reference backend that recorded probes.json must have one.
   */
  async inspect(scenario: string, sourceHash: string | undefined): Promise<GoldenInspection> {
    // Readers take no lock, so a writer may swap the directory between reading probes.json and the
    // outputs: read again until the same directory was there before and after. The inode alone is not
    // enough (a file system may give a new directory the inode of one just removed); a rename also
    // sets the directory's ctime. Writers that swap without pause could tear every read, so the reader
    // retries for up to 50 rounds (a golden nobody writes is stable at the first).
    const identity = () =>
      stat(this.dir(scenario)).then(
        (s) => `${s.ino}:${s.ctimeMs}`,
        () => undefined,
      );
    for (let attempt = 0; ; attempt++) {
      const before = await identity();
      const result = await this.inspectOnce(scenario, sourceHash);
      if (attempt >= 49 || (await identity()) === before) return result;
    }
  }

  private async inspectOnce(scenario: string, sourceHash: string | undefined): Promise<GoldenInspection> {
    await this.ready();
    if (sourceHash === undefined) return { status: 'orphan' };
    if (!(await this.has(scenario))) return { status: 'missing' };
    try {
      const probes = await this.readProbes(scenario);
      const outputs: Record<string, OutputsFile> = {};
      for (const b of await this.recordedBackends(scenario)) outputs[b] = (await this.readOutputs(scenario, b))!;
      const problem = goldenConsistencyProblem(probes, outputs);
      if (problem) {
        const file = rel(problem.backend ? this.outputsFile(scenario, problem.backend) : path.join(this.dir(scenario), 'outputs'));
        return {
          status: 'invalid',
          file,
          field: problem.field,
          error: `${file}: ${problem.field === '(file)' ? '' : `${problem.field} `}${problem.message}`,
        };
      }
      const stale = probes.sourceHash !== sourceHash || Object.values(outputs).some((o) => o.sourceHash !== sourceHash);
      return { status: stale ? 'stale' : 'ok' };
    } catch (err) {
      const e = err as Error;
      return { status: 'invalid', error: e.message, ...(e instanceof GoldenFileError ? { file: e.file, field: e.field } : {}) };
    }
  }

  /** Adds or replaces one backend's outputs (write then rename under the lock: atomic for a single file). */
  async writeOutputs(scenario: string, backend: string, file: OutputsFile): Promise<void> {
    await this.ready();
    const target = this.outputsFile(scenario, backend);
    const tmp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    await this.locked(async (lock) => {
      await writeFile(tmp, JSON.stringify(file, null, 1) + '\n');
      stopPoint('write-outputs:written');
      lock.assertHeld();
      await rename(tmp, target);
    }, tmp);
  }

  async write(scenario: string, content: GoldenContent): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await this.ready();
    const tmp = path.join(this.root, `${TMP}${scenario}-${process.pid}-${randomBytes(4).toString('hex')}`);
    const json = (v: unknown) => JSON.stringify(v, null, 1) + '\n';
    await this.locked(async (lock) => {
      stopPoint('write:locked');
      await mkdir(path.join(tmp, 'bundle'), { recursive: true });
      await mkdir(path.join(tmp, 'outputs'), { recursive: true });
      for (const [name, bytes] of content.bundle) await writeFile(path.join(tmp, 'bundle', name), bytes);
      stopPoint('write:bundle-written');
      await writeFile(path.join(tmp, 'probes.json'), json(content.probes));
      for (const [backend, file] of Object.entries(content.outputs))
        await writeFile(path.join(tmp, 'outputs', `${backend}.json`), json(file));
      const target = this.dir(scenario);
      const old = path.join(this.root, `${OLD}${scenario}`);
      stopPoint('write:complete');
      lock.assertHeld();
      if (await exists(target)) await rename(target, old);
      stopPoint('write:old-moved');
      await rename(tmp, target);
      stopPoint('write:swapped');
      await rm(old, { recursive: true, force: true });
    }, tmp);
  }

  /** Runs `body` holding the lock; a failed body leaves no temporary file behind. */
  private async locked(body: (lock: GoldenLock) => Promise<void>, tmp: string): Promise<void> {
    const lock = (await lockGoldens(this.root, true, this.o.lockStaleMs))!;
    try {
      await body(lock);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    } finally {
      await lock.release();
    }
  }
}
