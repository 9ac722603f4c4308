import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyedAsTfjs, probeShapeOf } from './graph-signature.ts';
import type { BridgePrediction } from './reference-from-bridge.ts';
import { seededProbes } from './seeded-probes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const graphJson = JSON.parse(readFileSync(path.join(ROOT, 'models', 'tf-graph-dense', 'tfjs', 'model.json'), 'utf8')) as unknown;
const raw = (name: string) => ({ name, shape: [1, 1], dtype: 'float32' as const, data: 'AAAAAA==' });
const prediction = (...names: string[]): BridgePrediction => ({
  framework: 'tensorflow-python',
  protocol: 'stateless',
  provenance: {},
  outputs: names.map(raw),
});

describe('graph model signatures at import', () => {
  it('keys reference outputs output0.. in the order of the signature outputs, as tfjs predicts them', () => {
    const json = { signature: { outputs: { scores: {}, boxes: {} } } };
    expect(keyedAsTfjs(prediction('boxes', 'scores'), json, 'm').outputs.map((o) => o.name)).to.deep.equal(['output1', 'output0']);
    expect(keyedAsTfjs(prediction('dense_1'), graphJson, 'm').outputs[0]!.name).to.equal('output0');
  });

  it('refuses an output the signature does not name, and leaves a layers model alone', () => {
    expect(() => keyedAsTfjs(prediction('other'), graphJson, 'models/x/tfjs/model.json')).to.throw(
      /models\/x\/tfjs\/model\.json: the reference output "other" must be one of the graph model's signature outputs \(dense_1\)/,
    );
    expect(keyedAsTfjs(prediction('output0'), { modelTopology: {} }, 'm').outputs[0]!.name).to.equal('output0');
  });

  it("draws seeded probes from a graph model's first signature input", () => {
    const probes = seededProbes(probeShapeOf(graphJson), 3, 1) as number[][];
    expect(probes).to.have.length(3);
    expect(probes.every((r) => r.length === 4)).to.equal(true);
    const dynamic = { signature: { inputs: { x: { tensorShape: { dim: [{ size: '-1' }, { size: '-1' }] } } } } };
    expect(() => seededProbes(probeShapeOf(dynamic), 3, 1)).to.throw(/no fixed shape .*pass --probes/);
  });
});
