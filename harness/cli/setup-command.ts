// `tfjs-repro setup native|python`: runs the package's set-up scripts for the user's project (the
// current directory), so they are reachable where tfjs-repro is a dependency and not the project.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { CommandModule } from 'yargs';

const scripts = { native: 'setup-native.mjs', python: 'setup-python.mjs' } as const;
type Target = keyof typeof scripts;
const packageRoot = path.resolve(import.meta.dirname, '..', '..');

/** Runs the set-up script in a child process on this Node, in the cwd; resolves to its exit code. */
export function runSetup(target: Target, args: string[]): Promise<number> {
  const script = path.join(packageRoot, 'scripts', scripts[target]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const setupCommand: CommandModule<object, { target: string; force: boolean }> = {
  command: 'setup <target>',
  describe: "build or install what a backend needs: native (tfjs-node's binding) or python (the Keras tooling)",
  builder: (y) =>
    y
      .positional('target', { type: 'string', choices: Object.keys(scripts), demandOption: true, describe: 'what to set up' })
      .option('force', { type: 'boolean', default: false, describe: 'redo the set-up even if it already works' })
      .example('$0 setup native', 'build @tensorflow/tfjs-node for this project (the tensorflow backend)') as never,
  handler: async (a) => {
    const code = await runSetup(a.target as Target, a.force ? ['--force'] : []);
    if (code !== 0) process.exitCode = code;
  },
};
