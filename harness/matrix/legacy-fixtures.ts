// Old-format fixtures: bundles and outputs saved by older tfjs releases, committed under
// goldens/<scenario>/legacy/<version>/ and replayed by the project's tfjs in every `npm test`, so an
// upgrade that can no longer load (or predicts differently from) an old model fails CI the day it is tried.
// tfjs keeps such fixtures for the same reason (e2e/integration_tests/load_predict_data).
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { GoldenStore } from '../golden/golden-store.ts';
import { cacheRoot, installRuntime } from './install-runtime.ts';

export const LEGACY_DIR = 'legacy';

export interface LegacyFixture {
  scenario: string;
  /** The tfjs version that saved the bundle and predicted the outputs. */
  version: string;
  dir: string;
}

/** Every goldens/<scenario>/legacy/<version>/ directory, oldest version first within a scenario. */
export async function listLegacyFixtures(goldensRoot: string): Promise<LegacyFixture[]> {
  const found: LegacyFixture[] = [];
  const scenarios = await readdir(goldensRoot, { withFileTypes: true }).catch(() => []);
  for (const s of scenarios.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))) {
    const legacy = path.join(goldensRoot, s.name, LEGACY_DIR);
    const versions = (await readdir(legacy, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const v of versions.sort(semver.compare)) found.push({ scenario: s.name, version: v, dir: path.join(legacy, v) });
  }
  return found;
}

/** A read-only golden store whose golden for the fixture's scenario is the fixture directory. */
export class LegacyFixtureStore extends GoldenStore {
  constructor(
    root: string,
    readonly fixture: LegacyFixture,
  ) {
    super(root);
  }
  override dir(scenario: string): string {
    return scenario === this.fixture.scenario ? this.fixture.dir : super.dir(scenario);
  }
}

export const legacyRecordCommand = (f: Pick<LegacyFixture, 'scenario' | 'version'>) =>
  `npx tfjs-repro record ${f.scenario} --with-tfjs ${f.version} -b cpu,wasm`;

export interface LegacyRecording {
  /** The installed tfjs to record with (the hosts' --runtime-root). */
  runtimeRoot: string;
  /** A scratch goldens root in the cache: record writes there through the normal store. */
  scratch: string;
  /**
   * Moves each recorded scenario to <goldens>/<scenario>/legacy/<version>/, keeping an existing
   * fixture unless `replace` (--update changed|all); returns what it did, one line per scenario.
   */
  commit(recorded: { scenario: string; status: string }[], replace: boolean): Promise<string[]>;
}

/** `record --with-tfjs <version>`: installs that tfjs (cached) and stages a scratch goldens root for it. */
export async function prepareLegacyRecording(version: string, goldensRoot: string): Promise<LegacyRecording> {
  const runtime = await installRuntime(version);
  const scratch = path.join(cacheRoot(), 'legacy-recordings', `tfjs-${version}-${process.pid}`);
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  return {
    runtimeRoot: runtime.root,
    scratch,
    commit: (recorded, replace) =>
      moveToLegacy(
        { scratch, goldensRoot, version, replace },
        recorded.filter((r) => r.status === 'recorded').map((r) => r.scenario),
      ),
  };
}

async function moveToLegacy(
  { scratch, goldensRoot, version, replace }: { scratch: string; goldensRoot: string; version: string; replace: boolean },
  scenarios: string[],
): Promise<string[]> {
  const written: string[] = [];
  for (const s of scenarios) {
    const target = path.join(goldensRoot, s, LEGACY_DIR, version);
    if (
      !replace &&
      (await readdir(target).then(
        () => true,
        () => false,
      ))
    ) {
      written.push(`kept ${target}: it exists; pass --update all to replace it`);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rm(`${target}.new`, { recursive: true, force: true });
    await cp(path.join(scratch, s), `${target}.new`, { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(`${target}.new`, target);
    written.push(`wrote ${target}`);
  }
  await rm(scratch, { recursive: true, force: true });
  return written;
}
