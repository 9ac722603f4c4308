// Runs in a child process on another tfjs installation (one runtime per process: tfjs is a singleton):
// builds the cheap part of the hypothesis table there and prints it as JSON on stdout.
// argv: <runtime root> <scenario file> <goldens dir>
import { ScenarioContext } from '../checks/scenario-context.ts';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { encodeTensor } from '../golden/tensor-codec.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { loadScenarioFile } from '../scenario/discover-scenarios.ts';
import { buildTable } from './hypothesis-table.ts';

const [root, file, goldens] = process.argv.slice(2) as [string, string, string];
const runtime = await loadRuntime({ root });
const ctx = new ScenarioContext(inProcessExecutors(runtime), new GoldenStore(goldens), await loadScenarioFile(file));
const table = await buildTable(ctx, { base: 'cpu', backends: [], quantize: false, search: false, pairs: false, cheapOnly: true });
await ctx.dispose();
const hypotheses = table.hypotheses.map((h) => ({
  ...h,
  outputs: Object.fromEntries(Object.entries(h.outputs).map(([k, t]) => [k, encodeTensor(t)])),
}));
process.stdout.write(JSON.stringify({ version: runtime.version, hypotheses, unavailable: table.unavailable }));
