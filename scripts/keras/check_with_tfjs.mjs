#!/usr/bin/env node
// Loads each converted model in models/<name>/tfjs with @tensorflow/tfjs in Node, predicts the probes
// and measures the difference from the Keras/TF reference outputs (reference*.json, raw float32).
// A measurement script for scripts/keras/make_models.py, not a test (the harness's `reference` check is).
// Usage: node scripts/keras/check_with_tfjs.mjs [--backend cpu|wasm|tensorflow] (default: each, one process each)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifacts, loadTf } from './tfjs-in-node.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODELS = path.join(ROOT, 'models');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const backend = arg('--backend');

if (!backend) {
  for (const b of ['cpu', 'wasm', 'tensorflow']) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--backend', b], {
      stdio: 'inherit',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    if (r.status !== 0) process.exitCode = 1;
  }
} else {
  await checkBackend(backend);
}

function readJson(p) {
  return JSON.parse(fs.readFileSync(p, 'utf8'));
}
function float32(raw) {
  const b = Buffer.from(raw.data, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function diff(got, want) {
  let abs = 0;
  let rel = 0;
  let peak = 0;
  for (let i = 0; i < want.length; i++) {
    peak = Math.max(peak, Math.abs(want[i]));
    const d = Math.abs(got[i] - want[i]);
    abs = Math.max(abs, d);
    rel = Math.max(rel, d / Math.max(Math.abs(want[i]), 1e-12));
  }
  return { maxAbs: abs, maxRel: rel, ofPeak: abs / peak };
}

function preprocess(rows, state) {
  if (!state) return rows;
  const f = (r) =>
    Array.isArray(r[0])
      ? r.map(f)
      : state.steps.reduce((v, s) => {
          if (s.kind !== 'standardScaler') throw new Error(`step ${s.kind} not handled here`);
          return v.map((x, i) => (x - s.state.mean[i]) / s.state.std[i]);
        }, r);
  return rows.map(f);
}

function registerCustom(tf, plusTenth) {
  class CustomActivation extends tf.layers.Layer {
    static className = 'CustomActivation';
    call(inputs) {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.tidy(() => (plusTenth ? tf.add(tf.relu(x), 0.1) : tf.relu(x)));
    }
  }
  tf.serialization.registerClass(CustomActivation);
}

async function checkBackend(name) {
  const tf = await loadTf(name);
  const report = (model, what, d) =>
    console.log(
      `${name.padEnd(10)} ${model.padEnd(24)} ${what.padEnd(28)} maxAbs ${d.maxAbs.toExponential(2)}  maxRel ${d.maxRel.toExponential(2)}  maxAbs/max|ref| ${d.ofPeak.toExponential(2)}`,
    );
  for (const model of fs.readdirSync(MODELS).sort()) {
    const dir = path.join(MODELS, model);
    const probes = readJson(path.join(dir, 'probes.json'));
    const pre = fs.existsSync(path.join(dir, 'preprocessing.json')) ? readJson(path.join(dir, 'preprocessing.json')) : null;
    const ref = readJson(path.join(dir, 'reference.json'));
    const x = preprocess(probes, pre);
    const xs = tf.tensor(x, ref.inputs.shape, 'float32');
    const inputBits = diff(xs.dataSync(), float32(ref.inputs));
    if (inputBits.maxAbs !== 0) console.log(`${name} ${model}: preprocessed inputs differ from Python's (maxAbs ${inputBits.maxAbs})`);
    const art = artifacts(path.join(dir, 'tfjs'));
    if (art.format === 'graph-model') {
      const m = await tf.loadGraphModel(tf.io.fromMemory(art));
      report(model, 'graph model, one batch', diff(m.predict(xs).dataSync(), float32(ref.outputs[0])));
      continue;
    }
    if (model === 'keras-custom-activation') registerCustom(tf, true);
    const m = await tf.loadLayersModel(tf.io.fromMemory(art));
    if (ref.protocol === 'stateless') {
      report(model, 'layers model, one batch', diff(m.predict(xs).dataSync(), float32(ref.outputs[0])));
      if (model === 'keras-custom-activation') {
        registerCustom(tf, false);
        const wrong = await tf.loadLayersModel(tf.io.fromMemory(artifacts(path.join(dir, 'tfjs'))));
        report(model, 'WRONG class: plain relu', diff(wrong.predict(xs).dataSync(), float32(ref.outputs[0])));
      }
      continue;
    }
    const rows = tf.split(xs, xs.shape[0]);
    const run = (reset) => {
      m.resetStates();
      return rows.flatMap((r) => {
        if (reset) m.resetStates();
        return Array.from(m.predict(r, { batchSize: 1 }).dataSync());
      });
    };
    const reset = run(true);
    const carry = run(false);
    report(model, 'resetStates before each row', diff(reset, float32(ref.outputs[0])));
    report(
      model,
      'state carried (vs carry ref)',
      diff(carry, float32(readJson(path.join(dir, 'reference-stateful-carry.json')).outputs[0])),
    );
    report(model, 'state carried (vs reset ref)', diff(carry, float32(ref.outputs[0])));
  }
}
