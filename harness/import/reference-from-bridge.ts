// Turns what the Python bridge predicted (raw little-endian float32 bytes, base64, per output) into a
// reference file in the golden codec: the codec exists once, here in TypeScript.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { modelHash, probesHash, referenceFile, sha256Text, type ReferenceFile, type ReferenceFramework } from '../checks/reference-file.ts';
import { SAVED_PREPROCESSING } from '../checks/saved-model.ts';
import { encodeTensor } from '../golden/tensor-codec.ts';
import type { Example } from '../types/example.ts';

export interface BridgeTensor {
  name: string;
  shape: number[];
  dtype: 'float32';
  data: string;
}
export interface BridgePrediction {
  framework: ReferenceFramework;
  protocol: ReferenceFile['protocol'];
  provenance: Record<string, string>;
  outputs: BridgeTensor[];
}

export function decodeRawFloat32(t: BridgeTensor, where: string): Float32Array {
  const bytes = Buffer.from(t.data, 'base64');
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (t.dtype !== 'float32' || bytes.byteLength !== size * 4)
    throw new Error(
      `${where}: outputs.${t.name} must be ${size} float32 values for shape [${t.shape}], got ${bytes.byteLength} bytes of ${t.dtype}`,
    );
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, size);
}

export interface WriteReferenceOptions {
  scenario: string;
  modelPath: string;
  probes: Example[];
  prediction: BridgePrediction;
}

/** Writes `<modelPath>/reference/<framework>.json`; returns its path. */
export async function writeReference(o: WriteReferenceOptions): Promise<string> {
  const where = `${o.modelPath} (reference outputs)`;
  const pre = await readFile(path.join(o.modelPath, SAVED_PREPROCESSING), 'utf8').catch(() => '');
  const ref: ReferenceFile = {
    scenario: o.scenario,
    framework: o.prediction.framework,
    protocol: o.prediction.protocol,
    provenance: o.prediction.provenance,
    dependsOn: { probes: probesHash(o.probes), preprocessing: sha256Text(pre), model: await modelHash(o.modelPath) },
    outputs: Object.fromEntries(
      o.prediction.outputs.map((t) => [t.name, encodeTensor({ shape: t.shape, dtype: 'float32', values: decodeRawFloat32(t, where) })]),
    ),
  };
  const file = referenceFile(o.modelPath, o.prediction.framework);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(ref, null, 1)}\n`);
  return file;
}
