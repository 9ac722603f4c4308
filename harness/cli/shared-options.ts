import path from 'node:path';
import type { Argv } from 'yargs';
import { formatNames, parseFormatName, type FormatName } from '../bundle/formats.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { backendNames, parseBackendName, type BackendName } from '../runtime/backends.ts';
import { discoverScenarios, type Discovery } from '../scenario/discover-scenarios.ts';

export interface CommonArgs { scenario?: string[]; backend?: string | string[]; format?: string | string[]; json: boolean; scenarios: string; goldens: string }

export function commonOptions<T>(y: Argv<T>) {
  return y
    .positional('scenario', { type: 'string', array: true, describe: 'scenario names to include (default: all)' })
    // Not `array: true`: an array option would swallow the scenario names that follow it.
    .option('backend', { alias: 'b', type: 'string', describe: `backends (${backendNames.join(', ')}); comma-separated or repeated` })
    .option('format', { alias: 'f', type: 'string', describe: `save formats (${formatNames.join(', ')})` })
    .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
    .option('scenarios', { type: 'string', default: 'scenarios', describe: 'directory of *.scenario.ts files' })
    .option('goldens', { type: 'string', default: 'goldens', describe: 'directory of recorded goldens' });
}

function split(values: string | string[] | undefined): string[] | undefined {
  const list = (values === undefined ? [] : [values].flat()).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  return list?.length ? list : undefined;
}

export function selectedBackends(a: CommonArgs): BackendName[] | undefined {
  return split(a.backend)?.map((b) => parseBackendName(b, '--backend'));
}
export function selectedFormats(a: CommonArgs): FormatName[] | undefined {
  return split(a.format)?.map((f) => parseFormatName(f, '--format'));
}

export async function discover(a: CommonArgs): Promise<Discovery> {
  const wanted = split(a.scenario);
  const discovery = await discoverScenarios(path.resolve(a.scenarios), wanted ? (n) => wanted.includes(n) : undefined);
  const found = new Set([...discovery.scenarios, ...discovery.broken].map((s) => s.name));
  const unknown = wanted?.filter((w) => !found.has(w)) ?? [];
  if (unknown.length) {
    throw new Error(`scenario ${unknown.map((u) => `"${u}"`).join(', ')} not found in ${a.scenarios}/; known: ${(await discoverScenarios(path.resolve(a.scenarios))).scenarios.map((s) => s.name).join(', ')}`);
  }
  return discovery;
}

export const storeFor = (a: CommonArgs) => new GoldenStore(path.resolve(a.goldens));
