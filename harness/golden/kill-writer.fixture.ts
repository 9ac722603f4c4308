// Run by golden-store-kill.test.ts in a child process: writes one golden (or one outputs file) with
// TFJS_REPRO_STOP_AT set, so the process dies at that exact point of the write.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { GoldenStore } from './golden-store.ts';
import type { OutputsFile } from './golden-schema.ts';

const [root, scenario, mode] = process.argv.slice(2) as [string, string, 'write' | 'outputs'];
const store = new GoldenStore(root);
const dir = store.dir(scenario);
const outputs: Record<string, OutputsFile> = {};
for (const f of await readdir(path.join(dir, 'outputs')))
  outputs[f.slice(0, -5)] = JSON.parse(await readFile(path.join(dir, 'outputs', f), 'utf8'));
// The "new" golden differs from the old in one provenance field, so the test can tell which one survived.
for (const o of Object.values(outputs)) o.recorded = 'new';
if (mode === 'outputs') {
  await store.writeOutputs(scenario, 'cpu', outputs.cpu!);
} else {
  const bundle = new Map<string, Uint8Array>();
  for (const f of await readdir(path.join(dir, 'bundle'))) bundle.set(f, new Uint8Array(await readFile(path.join(dir, 'bundle', f))));
  await store.write(scenario, { bundle, probes: JSON.parse(await readFile(path.join(dir, 'probes.json'), 'utf8')), outputs });
}
