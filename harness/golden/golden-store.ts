// goldens/<scenario>/{bundle/, probes.json, outputs/<backend>.json}. A golden is written into a
// temporary directory and swapped in with renames; a kill at any point leaves the old or the new.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { outputsFileSchema, parseGoldenFile, probesFileSchema, type OutputsFile, type ProbesFile } from './golden-schema.ts';

export interface GoldenContent {
  bundle: Map<string, Uint8Array>;
  probes: ProbesFile;
  outputs: Record<string, OutputsFile>;
}
export type GoldenStatus = 'ok' | 'missing' | 'stale' | 'orphan' | 'invalid';

const TMP = '.tmp-';
const OLD = '.old-';
const exists = (p: string) => stat(p).then(() => true, () => false);
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try { process.kill(pid, 0); return true; } catch { return false; }
}

export class GoldenStore {
  private recovered?: Promise<void>;
  constructor(readonly root: string) {}

  /** Every read starts by finishing or undoing a swap that a killed `record` left behind. */
  private ready(): Promise<void> {
    this.recovered ??= this.recover();
    return this.recovered;
  }

  dir(scenario: string): string { return path.join(this.root, scenario); }
  outputsFile(scenario: string, backend: string): string { return path.join(this.dir(scenario), 'outputs', `${backend}.json`); }

  /** Finishes or undoes a swap that a killed `record` left half done. */
  async recover(): Promise<void> {
    const entries = await readdir(this.root).catch(() => [] as string[]);
    for (const e of entries) {
      // .tmp-<scenario>-<pid>-<random>: a directory that a live `record` is still writing stays.
      if (e.startsWith(TMP) && !isAlive(Number(/-(\d+)-[0-9a-f]+$/.exec(e)?.[1]))) await rm(path.join(this.root, e), { recursive: true, force: true });
      if (!e.startsWith('.')) {
        // An outputs/<backend>.json.<pid>-<random>.tmp left by a killed `record --update changed`.
        const outputs = path.join(this.root, e, 'outputs');
        for (const f of await readdir(outputs).catch(() => [] as string[])) {
          const pid = Number(/\.json\.(\d+)-[0-9a-f]+\.tmp$/.exec(f)?.[1]);
          if (pid && !isAlive(pid)) await rm(path.join(outputs, f), { force: true });
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
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  }

  async has(scenario: string): Promise<boolean> {
    await this.ready();
    return exists(path.join(this.dir(scenario), 'probes.json'));
  }

  async readProbes(scenario: string): Promise<ProbesFile> {
    await this.ready();
    const file = path.join(this.dir(scenario), 'probes.json');
    return parseGoldenFile(probesFileSchema, await readFile(file, 'utf8'), path.relative(process.cwd(), file)) as ProbesFile;
  }

  async readOutputs(scenario: string, backend: string): Promise<OutputsFile | undefined> {
    await this.ready();
    const file = this.outputsFile(scenario, backend);
    if (!(await exists(file))) return undefined;
    return parseGoldenFile(outputsFileSchema, await readFile(file, 'utf8'), path.relative(process.cwd(), file));
  }

  async recordedBackends(scenario: string): Promise<string[]> {
    await this.ready();
    const names = await readdir(path.join(this.dir(scenario), 'outputs')).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
  }

  bundleDir(scenario: string): string { return path.join(this.dir(scenario), 'bundle'); }

  async status(scenario: string, sourceHash: string | undefined): Promise<GoldenStatus> {
    return (await this.inspect(scenario, sourceHash)).status;
  }

  /** The status with, for an invalid golden, the error naming its file and field. */
  async inspect(scenario: string, sourceHash: string | undefined): Promise<{ status: GoldenStatus; error?: string }> {
    const status = await this.statusOrError(scenario, sourceHash);
    return typeof status === 'string' ? { status } : { status: 'invalid', error: status.error };
  }

  private async statusOrError(scenario: string, sourceHash: string | undefined): Promise<GoldenStatus | { error: string }> {
    await this.ready();
    if (sourceHash === undefined) return 'orphan';
    if (!(await this.has(scenario))) return 'missing';
    try {
      const probes = await this.readProbes(scenario);
      if (probes.sourceHash !== sourceHash) return 'stale';
      for (const b of await this.recordedBackends(scenario)) {
        if ((await this.readOutputs(scenario, b))?.sourceHash !== sourceHash) return 'stale';
      }
      return 'ok';
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  /** Adds or replaces one backend's outputs (write then rename: atomic for a single file). */
  async writeOutputs(scenario: string, backend: string, file: OutputsFile): Promise<void> {
    await this.ready();
    const target = this.outputsFile(scenario, backend);
    const tmp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, JSON.stringify(file, null, 1) + '\n');
    await rename(tmp, target);
  }

  async write(scenario: string, content: GoldenContent): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await this.ready();
    const tmp = path.join(this.root, `${TMP}${scenario}-${process.pid}-${randomBytes(4).toString('hex')}`);
    const json = (v: unknown) => JSON.stringify(v, null, 1) + '\n';
    await mkdir(path.join(tmp, 'bundle'), { recursive: true });
    await mkdir(path.join(tmp, 'outputs'), { recursive: true });
    for (const [name, bytes] of content.bundle) await writeFile(path.join(tmp, 'bundle', name), bytes);
    await writeFile(path.join(tmp, 'probes.json'), json(content.probes));
    for (const [backend, file] of Object.entries(content.outputs)) await writeFile(path.join(tmp, 'outputs', `${backend}.json`), json(file));
    const target = this.dir(scenario);
    const old = path.join(this.root, `${OLD}${scenario}`);
    if (await exists(target)) await rename(target, old);
    await rename(tmp, target);
    await rm(old, { recursive: true, force: true });
  }
}
