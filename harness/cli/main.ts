import yargs from 'yargs';
import { diagnoseCommand } from './diagnose-command.ts';
import { acceptCommand } from './accept-command.ts';
import { diffCommand } from './diff-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { initCommand } from './init-command.ts';
import { explainCommand } from './explain-command.ts';
import { faultsCommand } from './faults-command.ts';
import { importCommand } from './import-command.ts';
import { listCommand } from './list-command.ts';
import { matrixCommand } from './matrix-command.ts';
import { mergeCommand } from './merge-command.ts';
import { newCommand } from './new-command.ts';
import { recordCommand } from './record-command.ts';
import { reviewCommand } from './review-command.ts';
import { runCommand } from './run-command.ts';
import { setupCommand } from './setup-command.ts';

class UsageError extends Error {}

/**
 * Runs the CLI on argv and resolves to its exit code: 0 ok, 1 a failing check or refused recording,
 * 2 bad input. Errors are printed, never thrown, so tests can call it in-process like the binary.
 */
export async function runCli(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  const parser = yargs(argv)
    .scriptName('tfjs-repro')
    .usage('$0 <command> [options]\n\nReproducibility regression tests for TensorFlow.js models.')
    .command(runCommand)
    .command(recordCommand)
    .command(listCommand)
    .command(faultsCommand)
    .command(explainCommand)
    .command(matrixCommand)
    .command(mergeCommand)
    .command(diffCommand)
    .command(doctorCommand)
    .command(diagnoseCommand)
    .command(reviewCommand)
    .command(acceptCommand)
    .command(newCommand)
    .command(importCommand)
    .command(initCommand)
    .command(setupCommand)
    .demandCommand(
      1,
      'name a command: run, record, list, faults, explain, matrix, merge, diff, doctor, diagnose, review, accept, new, import, init or setup (see --help)',
    )
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .exitProcess(false)
    .fail((msg, err, y) => {
      if (err) throw err;
      throw new UsageError(`${y.help().toString?.() ?? ''}\ntfjs-repro: ${msg}`);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    process.stderr.write(err instanceof UsageError ? `${err.message}\n` : `tfjs-repro: ${(err as Error)?.message ?? String(err)}\n`);
    return 2;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return code;
}
