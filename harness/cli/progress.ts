// Progress of long commands (run, record, faults) on stderr: a bar in a terminal (cli-progress), one
// plain line per finished job or scenario otherwise (CI logs), nothing with --json. Lines a command
// prints while the bar is up go through `print`, which keeps the bar below them.
import cliProgress from 'cli-progress';

export interface ProgressOptions {
  total: number;
  /** What is counted: checks, scenarios. */
  unit: string;
  json: boolean;
  stream?: NodeJS.WriteStream;
}
export interface Progress {
  /** `n` units finished. */
  tick(n?: number): void;
  /** A job or scenario finished: the bar's label in a terminal, one plain line otherwise. */
  done(line: string): void;
  /** Prints a line of the command's own output without breaking the bar. */
  print(text: string, to?: NodeJS.WriteStream): void;
  stop(): void;
}

export function startProgress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  const write = (text: string, to: NodeJS.WriteStream = process.stdout) => void to.write(text);
  if (o.json) return { tick: () => undefined, done: () => undefined, print: write, stop: () => undefined };
  let count = 0;
  if (!stream.isTTY || o.total === 0) {
    return {
      tick: (n = 1) => void (count += n),
      done: (line) => write(`[${count}/${o.total} ${o.unit}] ${line}\n`, stream),
      print: write,
      stop: () => undefined,
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: `{bar} {value}/{total} ${o.unit} | {last}`,
      hideCursor: true,
      clearOnComplete: true,
      // Ctrl-C must still end the command (and its hosts), not just the bar.
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = bars.create(o.total, 0, { last: '' });
  return {
    tick: (n = 1) => bar.increment(n),
    done: (line) => bar.update({ last: line }),
    print: (text, to = process.stdout) => {
      // Both on the terminal: the line goes above the bar, now (the bar's log waits for a redraw
      // otherwise, and its stop() drops what is still waiting). A redirected stream is written as it is.
      if (!to.isTTY) return write(text, to);
      bars.log(text.endsWith('\n') ? text : `${text}\n`);
      bars.update();
    },
    stop: () => bars.stop(),
  };
}

/** "scaler-regression on wasm: 24 checks, 1 failed (4.1 s)" for a finished job. */
export function jobLine(scenario: string, backend: string, outcomes: Array<{ status: string; durationMs: number }>): string {
  const failed = outcomes.filter((o) => o.status === 'fail').length;
  const seconds = outcomes.reduce((s, o) => s + o.durationMs, 0) / 1000;
  return `${scenario} on ${backend}: ${outcomes.length} checks${failed ? `, ${failed} failed` : ''} (${seconds.toFixed(1)} s)`;
}
