// Whether a bundle directory holds a graph model, without loading it: what a check needs to say that
// a fault about layers does not apply.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_JSON } from './bundle-names.ts';
import { GRAPH_MODEL_FORMAT } from './graph-model.ts';

/** True when `<dir>/model.json` says `format: "graph-model"`; false when it says otherwise or cannot be read (loading reports that). */
export async function isGraphBundle(dir: string): Promise<boolean> {
  const text = await readFile(path.join(dir, MODEL_JSON), 'utf8').catch(() => '');
  try {
    return (JSON.parse(text) as { format?: unknown } | null)?.format === GRAPH_MODEL_FORMAT;
  } catch {
    return false;
  }
}
