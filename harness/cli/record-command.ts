import type { CommandModule } from 'yargs';
import { recordGolden, updateModes, type RecordOutcome, type UpdateMode } from '../checks/record-golden.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { commonOptions, discover, selectedBackends, storeFor, type CommonArgs } from './shared-options.ts';

interface RecordArgs extends CommonArgs { update: UpdateMode; force: boolean; 'drop-backends': boolean }

export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record [scenario..]',
  describe: 'train on the reference backend (twice, refusing if the runs differ) and write goldens/<scenario>/',
  builder: (y) => commonOptions(y)
    .option('update', { choices: updateModes, default: 'missing' as UpdateMode, describe: 'missing: only goldens that do not exist; changed: also stale ones or backends not yet recorded; all: every selected golden' })
    .option('force', { type: 'boolean', default: false, describe: 'allow writing goldens when CI=true' })
    .option('drop-backends', { type: 'boolean', default: false, describe: 'allow a re-recording to drop outputs of backends that are not usable here' })
    .example('$0 record', 'record every missing golden')
    .example('$0 record scaler-regression --update changed', 're-record one scenario after an intended change') as never,
  handler: async (a) => {
    if (process.env.CI === 'true' && !a.force) {
      throw new Error('record: refusing to write goldens under CI=true: goldens change only on purpose, on a developer machine. Run it locally and commit the result, or pass --force if you really mean it.');
    }
    const runtime = await loadRuntime();
    const store = storeFor(a);
    const discovery = await discover(a);
    if (discovery.broken.length) {
      for (const b of discovery.broken) process.stderr.write(`✘ ${b.error}\n`);
    }
    const results: RecordOutcome[] = [];
    for (const scenario of discovery.scenarios) {
      if (!a.json) process.stderr.write(`… ${scenario.name}: recording\n`);
      const r = await recordGolden({ runtime, store, scenario, update: a.update, backends: selectedBackends(a), dropBackends: a['drop-backends'] })
        .catch((err: Error): RecordOutcome => ({ scenario: scenario.name, status: 'refused', backends: [], skippedBackends: {}, reason: `${scenario.file}: recording failed: ${err.message.split('\n')[0]}`, durationMs: 0 }));
      results.push(r);
      if (!a.json) {
        const skipped = Object.entries(r.skippedBackends).map(([b, why]) => `\n    backend ${b} not recorded: ${why}`).join('');
        process.stderr.write(`${r.status === 'refused' ? '✘' : '✔'} ${scenario.name}: ${r.status}${r.backends.length ? ` (${r.backends.join(', ')})` : ''}${r.reason ? ` — ${r.reason}` : ''} (${r.durationMs} ms)${skipped}\n`);
      }
    }
    if (a.json) process.stdout.write(JSON.stringify({ runtime: runtime.name, results, broken: discovery.broken }, null, 1) + '\n');
    process.exitCode = results.some((r) => r.status === 'refused') || discovery.broken.length ? 1 : 0;
  },
};
