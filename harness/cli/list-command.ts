import type { CommandModule } from 'yargs';
import type { GoldenStatus } from '../golden/golden-store.ts';
import { recordCommand } from '../checks/scenario-context.ts';
import { commonOptions, discover, storeFor, type CommonArgs } from './shared-options.ts';

/** `goldenFile` and `field` say where an invalid golden is wrong (e.g. a missing or broken outputs/<backend>.json). */
interface ListEntry {
  scenario: string;
  file?: string;
  golden: GoldenStatus | 'broken';
  backends: string[];
  goldenFile?: string;
  field?: string;
  fix?: string;
  note?: string;
}

export const listCommand: CommandModule<object, CommonArgs> = {
  command: 'list [scenario..]',
  describe: 'list scenarios and the status of their goldens: ok, missing, stale, orphan, invalid or broken',
  builder: (y) => commonOptions(y).example('$0 list --json', 'machine-readable status of every golden') as never,
  handler: async (a) => {
    const store = storeFor(a);
    const discovery = await discover(a);
    const entries: ListEntry[] = [];
    for (const s of discovery.scenarios) {
      const { status: golden, error, file: goldenFile, field } = await store.inspect(s.name, s.sourceHash);
      const fix =
        golden === 'missing'
          ? recordCommand(s.name)
          : golden === 'stale'
            ? recordCommand(s.name, 'changed')
            : golden === 'invalid'
              ? `${error}`
              : undefined;
      // A usable golden recorded before input contracts replays, with nothing enforced on its inputs.
      const note =
        golden === 'ok' && !(await store.readProbes(s.name)).contract
          ? `predates input contracts (nothing checks its inputs' dtype, shape or range); add one with: ${recordCommand(s.name, 'all')}`
          : undefined;
      entries.push({
        scenario: s.name,
        file: s.file,
        golden,
        backends: await store.recordedBackends(s.name),
        ...(goldenFile ? { goldenFile } : {}),
        ...(field ? { field } : {}),
        ...(fix ? { fix } : {}),
        ...(note ? { note } : {}),
      });
    }
    for (const b of discovery.broken) entries.push({ scenario: b.name, file: b.file, golden: 'broken', backends: [], fix: b.error });
    if (!a.scenario?.length) {
      const known = new Set(entries.map((e) => e.scenario));
      for (const name of await store.list()) {
        if (!known.has(name))
          entries.push({
            scenario: name,
            golden: 'orphan',
            backends: await store.recordedBackends(name),
            fix: `delete ${store.dir(name)} or restore scenarios/${name}.scenario.ts`,
          });
      }
    }
    if (a.json) {
      process.stdout.write(JSON.stringify(entries, null, 1) + '\n');
    } else {
      for (const e of entries)
        process.stdout.write(
          `${e.scenario.padEnd(24)} ${e.golden.padEnd(8)} ${e.backends.join(',')}${e.fix ? `\n  → ${e.fix}` : ''}${e.note ? `\n  · ${e.note}` : ''}\n`,
        );
    }
    const bad = entries.some((e) => e.golden !== 'ok');
    // A listing fails in CI only for what CI cannot fix itself: stale, orphan, broken, invalid (which
    // includes a recorded backend whose outputs file is missing or unreadable).
    process.exitCode = bad && process.env.CI === 'true' && entries.some((e) => e.golden !== 'ok' && e.golden !== 'missing') ? 1 : 0;
  },
};
