// What the Keras measurement scripts share: tfjs on one Node backend, and a converted model directory
// (model.json + shards) as one in-memory artifact, so no file:// handler (tfjs-node only) is needed.
import fs from 'node:fs';
import path from 'node:path';
import { patchUtilForTfjsNode } from '../../harness/runtime/node-util-compat.mjs';

export async function loadTf(name) {
  if (name === 'tensorflow') {
    patchUtilForTfjsNode();
    return (await import('@tensorflow/tfjs-node')).default;
  }
  const tf = await import('@tensorflow/tfjs');
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(name);
  await tf.ready();
  return tf;
}

export function artifacts(dir) {
  const mj = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const all = Buffer.concat(mj.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
  return {
    modelTopology: mj.modelTopology,
    weightSpecs: mj.weightsManifest.flatMap((g) => g.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
    format: mj.format,
    signature: mj.signature,
    userDefinedMetadata: mj.userDefinedMetadata,
  };
}
