// npm run bench:suite — what `npm test` costs, against the checks' own work (`run --jobs 1` over the same
// scenarios and backends): wall times, their ratio (the budget is 1.5×), and the split by test file.
// Medians of --runs runs (default 3), taken in one sitting: read the ratios, since these machines are noisy.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    // The same backends on both sides (npm test's default adds the browser backends; run's does not).
    backends: { type: 'string', default: 'cpu,wasm,tensorflow' },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer; got ${args.runs}`);
const root = path.resolve(import.meta.dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (s: string) => {
  if (!args.json) process.stderr.write(s + '\n');
};

function timed(command: string[]): Promise<{ ms: number; stdout: string; code: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const env = { ...process.env, TFJS_REPRO_BACKENDS: args.backends };
    const child = spawn(process.execPath, command, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.on('exit', (code) => resolve({ ms: performance.now() - start, stdout: Buffer.concat(out).toString('utf8'), code: code ?? 1 }));
  });
}

interface MochaJson {
  stats: { passes: number; failures: number; pending: number };
  tests: Array<{ file?: string; duration?: number }>;
  failures: Array<{ fullTitle: string; err: { message?: string } }>;
}
const suite: number[] = [];
const checks: number[] = [];
const byFile: Record<string, number[]> = {};
for (let i = 1; i <= runs; i++) {
  log(`run ${i}/${runs}: npm test…`);
  const test = await timed([path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--reporter', 'json']);
  const report = JSON.parse(test.stdout.slice(test.stdout.indexOf('{'))) as MochaJson;
  if (test.code !== 0) {
    const which = report.failures.map((f) => `  ${f.fullTitle}: ${(f.err.message ?? '').split('\n')[0]}`).join('\n');
    throw new Error(`bench:suite: npm test failed (${report.stats.failures} failing); fix it before measuring:\n${which}`);
  }
  suite.push(test.ms);
  const files: Record<string, number> = {};
  for (const t of report.tests) {
    const file = path.relative(root, t.file ?? 'unknown');
    files[file] = (files[file] ?? 0) + (t.duration ?? 0);
  }
  for (const [f, ms] of Object.entries(files)) (byFile[f] ??= []).push(ms);
  log(`run ${i}/${runs}: run --jobs 1…`);
  const run = await timed([path.join(root, 'bin', 'tfjs-repro.js'), 'run', '--jobs', '1', '-b', args.backends, '--json']);
  checks.push(run.ms);
}
const result = {
  runs,
  npmTestMs: Math.round(median(suite)),
  runJobs1Ms: Math.round(median(checks)),
  ratio: Number((median(suite) / median(checks)).toFixed(2)),
  // Every run, in order, so the spread shows beside the medians (these machines are noisy).
  npmTestRunsMs: suite.map(Math.round),
  runJobs1RunsMs: checks.map(Math.round),
  // Test time by file (sum of its tests' durations; the generated suite's tests wait for hosts working in parallel).
  byFile: Object.fromEntries(
    Object.entries(byFile)
      .map(([f, xs]) => [f, Math.round(median(xs))])
      .sort((a, b) => (b[1] as number) - (a[1] as number)),
  ),
};
if (args.json) {
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
} else {
  const lines = [
    `backends ${args.backends}; npm test: ${(result.npmTestMs / 1000).toFixed(1)} s; run --jobs 1: ${(result.runJobs1Ms / 1000).toFixed(1)} s; ratio ${result.ratio}× (budget 1.5×), medians of ${runs}`,
    `each run (npm test / run --jobs 1, s): ${suite.map((t, i) => `${(t / 1000).toFixed(1)} / ${(checks[i]! / 1000).toFixed(1)}`).join(', ')}`,
    '',
    '| test file | ms |',
    '|---|---|',
  ];
  for (const [f, ms] of Object.entries(result.byFile)) lines.push(`| ${f} | ${ms} |`);
  process.stdout.write(lines.join('\n') + '\n');
}
