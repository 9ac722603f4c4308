#!/usr/bin/env node
// Measures what the project's pinned toolchain does with the committed Keras 3 fixtures
// (harness/import/fixtures/keras3/, made by make_keras3_fixtures.sh): tensorflowjs 4.22.0 converts each
// file, then tfjs 4.22.0 loads the result and predicts the probes, compared with Keras 3's own outputs.
// A measurement script for the README's "What converts" table, not a test (keras3-routes.test.ts is).
// Usage: node scripts/keras/check_keras3_fixtures.mjs [--backend cpu|wasm|tensorflow] (default: each)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { venvPython } from '../python/locate.mjs';
import { artifacts, loadTf } from './tfjs-in-node.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(ROOT, 'harness', 'import', 'fixtures', 'keras3');
const i = process.argv.indexOf('--backend');
const backend = i < 0 ? undefined : process.argv[i + 1];
const routes = [
  { file: 'model.h5', args: ['--input_format', 'keras'] },
  { file: 'model.keras', args: ['--input_format', 'keras_keras', '--output_format', 'tfjs_layers_model'] },
  { file: 'model-tf-keras.h5', args: ['--input_format', 'keras'] },
  { file: 'saved_model', args: ['--input_format', 'tf_saved_model', '--output_format', 'tfjs_graph_model'] },
];

if (!backend) {
  // Convert once, then load in one process per backend.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'keras3-check-'));
  const converter = path.join(path.dirname(venvPython()), 'tensorflowjs_converter');
  for (const r of routes) {
    const t0 = performance.now();
    // The keras_keras converter unzips a .keras file beside itself: convert a copy in the scratch directory.
    const src = path.join(out, 'src', r.file);
    fs.cpSync(path.join(FIXTURES, r.file), src, { recursive: true });
    const c = spawnSync(converter, [...r.args, src, path.join(out, r.file)], {
      encoding: 'utf8',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', TF_USE_LEGACY_KERAS: '0' },
    });
    const last = c.stderr.trim().split('\n').filter(Boolean).pop() ?? '';
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`convert ${r.file.padEnd(18)} ${r.args.join(' ').padEnd(64)} exit ${c.status} (${secs} s)${c.status ? `: ${last}` : ''}`);
  }
  for (const b of ['cpu', 'wasm', 'tensorflow']) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--backend', b], {
      stdio: 'inherit',
      // Not an argument: tfjs-node's node-pre-gyp parses process.argv and takes --dir for itself.
      env: { ...process.env, KERAS3_CHECK_DIR: out, TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' },
    });
    if (r.status !== 0) process.exitCode = 1;
  }
  fs.rmSync(out, { recursive: true, force: true });
} else {
  await checkBackend(backend, process.env.KERAS3_CHECK_DIR);
}

async function checkBackend(name, dir) {
  const tf = await loadTf(name);
  const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keras3-fixtures.json'), 'utf8'));
  const want = fixture.keras_outputs.flat();
  for (const r of routes) {
    const where = path.join(dir, r.file);
    if (!fs.existsSync(path.join(where, 'model.json'))) continue;
    const art = artifacts(where);
    try {
      const m =
        art.format === 'graph-model' ? await tf.loadGraphModel(tf.io.fromMemory(art)) : await tf.loadLayersModel(tf.io.fromMemory(art));
      const got = m.predict(tf.tensor2d(fixture.probes, undefined, 'float32')).dataSync();
      let abs = 0;
      let rel = 0;
      want.forEach((w, k) => {
        abs = Math.max(abs, Math.abs(got[k] - w));
        rel = Math.max(rel, Math.abs(got[k] - w) / Math.max(Math.abs(w), 1e-12));
      });
      console.log(
        `${name.padEnd(10)} ${r.file.padEnd(18)} ${art.format}: loads; vs Keras 3 maxAbs ${abs.toExponential(2)} maxRel ${rel.toExponential(2)}`,
      );
    } catch (err) {
      console.log(`${name.padEnd(10)} ${r.file.padEnd(18)} ${art.format}: load fails: ${String(err.message).split('\n')[0]}`);
    }
  }
}
