// One host process: forked with its options, ready once it has loaded tfjs (or failing with the reason),
// and cleaned up after however it ends. The pool (host-pool.ts) decides what runs on it.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { forget, track } from './live-hosts.ts';
import { newStepFile, readStepFile } from './step-file.ts';
import type { FromHost, RuntimeInfo } from './protocol.ts';

const HOST_MAIN = path.join(import.meta.dirname, 'host-main.ts');
// Resolved here, not in the child: a project elsewhere (cwd) need not have tsx itself. Only tsx's ESM
// hooks at start: its CommonJS hooks would also handle every require() of tfjs and libtensorflow's
// bindings (about 0.2 s of CPU per host); host-main registers them once those are loaded.
const TSX = import.meta.resolve('tsx/esm');
// TurboFan compiling tfjs and the harness in the background is about a sixth of a host's CPU: a smaller
// inlining budget (V8's default is 920) compiles less for the same outcomes (README "Speed").
const HOST_V8_FLAGS = ['--max-inlined-bytecode-size-cumulative=300'];

/** How long a new host may take to load tfjs and its backends before it is reported as failing. */
const STARTUP_LIMIT_MS = 120_000;

export interface HostStartOptions {
  /** Use the tfjs installed under this directory (cross-version runs). */
  runtimeRoot?: string;
  /** Browser backends each host opens at start-up (a Chromium page each); none unless selected. */
  browserBackends?: string[];
  /** The Node backends hosts load (default: all); cpu is always loaded. Others report not usable. */
  nodeBackends?: string[];
}

export interface HostProcess {
  child: ChildProcess;
  ready: Promise<RuntimeInfo>;
  /** The uncaught error a dying host reported, for the crash message. */
  fatal?: string;
  /** Where it keeps the step it is in (step-file.ts), and what that held when it exited. */
  stepFile: string;
  lastStep?: string;
}

/** Forks a host; a light one only discovers scenario files and loads no tfjs. */
export function startHost(o: HostStartOptions, light = false): HostProcess {
  const stepFile = newStepFile();
  const child = fork(HOST_MAIN, [], {
    execArgv: ['--import', TSX, ...HOST_V8_FLAGS],
    serialization: 'advanced',
    env: {
      ...process.env,
      ...(o.runtimeRoot ? { TFJS_REPRO_HOST_RUNTIME_ROOT: o.runtimeRoot } : {}),
      ...(o.browserBackends?.length ? { TFJS_REPRO_HOST_BROWSER_BACKENDS: o.browserBackends.join(',') } : {}),
      ...(o.nodeBackends ? { TFJS_REPRO_HOST_NODE_BACKENDS: o.nodeBackends.join(',') } : {}),
      ...(light ? { TFJS_REPRO_HOST_LIGHT: '1' } : {}),
      TFJS_REPRO_HOST_STEP_FILE: stepFile,
      TFJS_REPRO_HOST_PARENT_PID: String(process.pid),
      TFJS_REPRO_HOST_TMP: `${stepFile}.tmp`,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  const host: HostProcess = { child, ready: undefined as never, stepFile };
  host.ready = new Promise<RuntimeInfo>((resolve, reject) => {
    // A ref'd timer keeps this process alive while the host starts (its channel is unref'd).
    const timer = setTimeout(
      () => reject(new Error(`host process did not start within ${formatSeconds(STARTUP_LIMIT_MS)}; run \`npx tfjs-repro doctor\``)),
      STARTUP_LIMIT_MS,
    );
    child.once('message', (m: FromHost) => {
      clearTimeout(timer);
      // null only from a light (discovery) host, whose runtime nobody asks for.
      if (m.type === 'ready') resolve(m.runtime as RuntimeInfo);
      else if (m.type === 'fatal') reject(new Error(`host process could not start: ${m.message}; run \`npx tfjs-repro doctor\``));
      else reject(new Error(`host: unexpected first message ${m.type}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `host process exited before it was ready (code ${code}, signal ${signal})${host.fatal ? `: ${host.fatal}` : ''}; run \`npx tfjs-repro doctor\``,
        ),
      );
    });
  });
  host.ready.catch(() => undefined);
  child.on('message', (m: FromHost) => {
    if (m.type === 'fatal') host.fatal = m.message;
  });
  // Its step is kept for the task it was running: this listener runs before the pool's and the task's.
  child.once('exit', () => {
    host.lastStep = readStepFile(stepFile);
    rmSync(stepFile, { force: true });
    removeTmp(`${stepFile}.tmp`);
    forget(child);
  });
  // Idle hosts must not keep the parent alive (a filtered mocha run, a front end that is done).
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
  return host;
}

/**
 * A browser host's temporary files (Chromium's profile), left behind if it was killed. Chromium outlives
 * a killed host until it sees its pipe close, and may write (and recreate directories) meanwhile, so the
 * removal is tried again for a few seconds; whatever is left goes with the step directory at exit.
 */
function removeTmp(dir: string, attempt = 0): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Chromium still writing: the next attempt.
  }
  if (attempt < 25 && existsSync(dir)) setTimeout(() => removeTmp(dir, attempt + 1), 200).unref();
}

export const formatSeconds = (ms: number): string => `${Number((ms / 1000).toPrecision(3))} s`;
