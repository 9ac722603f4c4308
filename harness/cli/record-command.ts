import type { CommandModule } from 'yargs';
import { updateModes, type RecordOutcome, type UpdateMode } from '../checks/record-golden.ts';
import { jobTimeout } from '../host/run-jobs.ts';
import { prepareLegacyRecording } from '../matrix/legacy-fixtures.ts';
import {
  commonOptions,
  makePool,
  poolOptions,
  selectedBackends,
  storeFor,
  timeoutMs,
  type CommonArgs,
  type PoolArgs,
  runtimeAndScenarios,
} from './shared-options.ts';
import { startProgress } from './progress.ts';

interface RecordArgs extends CommonArgs, PoolArgs {
  update: UpdateMode;
  force: boolean;
  'drop-backends': boolean;
  'with-tfjs'?: string;
}

export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record [scenario..]',
  describe: 'train on the reference backend (twice, refusing if the runs differ) and write goldens/<scenario>/',
  builder: (y) =>
    poolOptions(commonOptions(y))
      .option('update', {
        choices: updateModes,
        default: 'missing' as UpdateMode,
        describe:
          'missing: only goldens that do not exist; changed: also stale ones or backends not yet recorded; all: every selected golden',
      })
      .option('force', { type: 'boolean', default: false, describe: 'allow writing goldens when CI=true' })
      .option('drop-backends', {
        type: 'boolean',
        default: false,
        describe: 'allow a re-recording to drop outputs of backends that are not usable here',
      })
      .option('with-tfjs', {
        type: 'string',
        describe:
          'record with this tfjs release (installed side by side, cached) into goldens/<scenario>/legacy/<version>/, a fixture npm test replays',
      })
      .option('runtime-root', { type: 'string', hidden: true, describe: 'directory of another tfjs installation (used by matrix --cross)' })
      .example('$0 record', 'record every missing golden')
      .example('$0 record scaler-regression --update changed', 're-record one scenario after an intended change') as never,
  handler: async (a) => {
    if (process.env.CI === 'true' && !a.force) {
      throw new Error(
        'record: refusing to write goldens under CI=true: goldens change only on purpose, on a developer machine. Run it locally and commit the result, or pass --force if you really mean it.',
      );
    }
    const legacy = a['with-tfjs'] ? await prepareLegacyRecording(a['with-tfjs'], a.goldens) : undefined;
    if (legacy) Object.assign(a, { 'runtime-root': legacy.runtimeRoot, goldens: legacy.scratch });
    const limit = timeoutMs(a);
    const backends = selectedBackends(a);
    const pool = makePool(a);
    try {
      const { runtime, discovery } = await runtimeAndScenarios(a, pool, false);
      const store = storeFor(a);
      for (const b of discovery.broken) process.stderr.write(`✘ ${b.error}\n`);
      // Each scenario records in a host with a time limit (training twice, predicting on every backend).
      const recording = discovery.scenarios.map(async (s): Promise<RecordOutcome> => {
        let outcome: RecordOutcome | undefined;
        // Recording trains twice and predicts on every backend: a few jobs' worth of work.
        const limitMs =
          jobTimeout(
            { scenario: s.name, file: s.file, backend: 'cpu', checks: [], ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}) },
            limit,
          ) * 3;
        const end = await pool.run(
          {
            kind: 'record',
            goldens: store.root,
            scenario: s.name,
            file: s.file,
            update: a.update,
            ...(backends ? { backends } : {}),
            dropBackends: a['drop-backends'],
          },
          {
            timeoutMs: limitMs,
            onMessage: (m) => {
              if (m.type === 'recorded') outcome = m.outcome;
            },
          },
        );
        if (outcome) return outcome;
        const why =
          end.ended === 'error' || end.ended === 'done'
            ? 'message' in end
              ? end.message
              : 'the host reported no outcome'
            : end.ended === 'timeout'
              ? `${end.message} (record allows three job limits: it trains twice and predicts on every backend); the host was killed and no golden was written; if the work is legitimately slow, raise the limit with --timeout <seconds> or the scenario's timeoutMs`
              : `${end.message}; the host was lost and no golden was written; scenario code must not exit the process`;
        return {
          scenario: s.name,
          status: 'refused',
          backends: [],
          skippedBackends: {},
          reason: `${s.file}: recording failed: ${why.split('\n')[0]}`,
          durationMs: 'elapsedMs' in end ? end.elapsedMs : 0,
        };
      });
      const progress = startProgress({ total: recording.length, unit: 'scenarios', json: a.json });
      for (const r of recording) void r.then((o) => (progress.tick(), progress.done(`${o.scenario}: ${o.status} (${o.durationMs} ms)`)));
      if (!a.json) for (const s of discovery.scenarios) progress.print(`… ${s.name}: recording\n`, process.stderr);
      const results: RecordOutcome[] = [];
      for (const r of recording) {
        const o = await r;
        results.push(o);
        if (!a.json) {
          const skipped = Object.entries(o.skippedBackends)
            .map(([b, why]) => `\n    backend ${b} not recorded: ${why}`)
            .join('');
          progress.print(
            `${o.status === 'refused' ? '✘' : '✔'} ${o.scenario}: ${o.status}${o.backends.length ? ` (${o.backends.join(', ')})` : ''}${o.reason ? ` — ${o.reason}` : ''} (${o.durationMs} ms)${skipped}\n`,
            process.stderr,
          );
        }
      }
      progress.stop();
      for (const line of (await legacy?.commit(results, a.update !== 'missing')) ?? []) if (!a.json) process.stderr.write(`${line}\n`);
      if (a.json) process.stdout.write(JSON.stringify({ runtime: runtime.name, results, broken: discovery.broken }, null, 1) + '\n');
      process.exitCode = results.some((r) => r.status === 'refused') || discovery.broken.length ? 1 : 0;
    } finally {
      await pool.close();
    }
  },
};
