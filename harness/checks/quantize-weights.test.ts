import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { pythonRequired, pythonToolchainStatus } from '../import/python-toolchain.ts';
import { float16Bits, quantizeTensor } from './quantize-weights.ts';

const run = promisify(execFile);

// tensorflowjs's own quantize_weights, loaded from its file so that TensorFlow is not imported.
const PY = `
import base64, importlib.util, json, os, sys
import numpy as np
pkg = importlib.util.find_spec('tensorflowjs').submodule_search_locations[0]
spec = importlib.util.spec_from_file_location('q', os.path.join(pkg, 'quantization.py'))
q = importlib.util.module_from_spec(spec); spec.loader.exec_module(q)
out = {}
for name, arr in json.loads(sys.stdin.read()).items():
    data = np.frombuffer(base64.b64decode(arr), dtype='<f4')
    for dt in ('float16', 'uint16', 'uint8'):
        qd, meta = q.quantize_weights(data, q.QUANTIZATION_OPTION_TO_DTYPES[dt])
        out[name + ':' + dt] = {'bytes': base64.b64encode(qd.tobytes()).decode(), 'min': float(meta['min']) if 'min' in meta else None, 'scale': float(meta['scale']) if 'scale' in meta else None}
print(json.dumps(out))
`;

function seeded(n: number, seed: number, spread: number, shift = 0): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * spread + shift;
  });
}

describe('quantizeTensor (weights as tensorflowjs_converter quantizes them)', () => {
  it('rounds float32 to float16 to nearest even, overflowing past 65504 to Infinity', () => {
    expect(float16Bits(1)).to.equal(0x3c00);
    expect(float16Bits(-2)).to.equal(0xc000);
    expect(float16Bits(65504)).to.equal(0x7bff);
    expect(float16Bits(65520)).to.equal(0x7c00);
    expect(float16Bits(1 + 2 ** -11)).to.equal(0x3c00); // a tie rounds to the even mantissa
    expect(float16Bits(1 + 3 * 2 ** -11)).to.equal(0x3c02);
    expect(float16Bits(2 ** -24)).to.equal(0x0001); // the smallest subnormal
    expect(float16Bits(0)).to.equal(0);
  });

  it('keeps 0 exact and stores a constant tensor as zeros with its value as min', () => {
    const q = quantizeTensor(Float32Array.from([-1, 0, 0.5, 3]), 'uint8');
    const { min, scale } = q.quantization as { min: number; scale: number };
    const zero = q.bytes[1]!;
    expect(Math.fround(zero * scale + min)).to.equal(0);
    const c = quantizeTensor(Float32Array.from([0.25, 0.25]), 'uint16');
    expect([...new Uint16Array(c.bytes.buffer)]).to.deep.equal([0, 0]);
    expect(c.quantization).to.deep.equal({ dtype: 'uint16', min: 0.25, scale: 1 });
  });

  it('writes the same bytes, min and scale as tensorflowjs for the same weights', async function () {
    const s = pythonToolchainStatus();
    if (!s.usable) {
      if (pythonRequired()) throw new Error(`TFJS_REPRO_REQUIRE_PYTHON=1 but the Python toolchain is not usable: ${s.reason}`);
      this.test!.title += ` (skipped: comparing with tensorflowjs needs npm run setup:python: ${s.reason})`;
      return this.skip();
    }
    const arrays = { mixed: seeded(257, 1, 2), positive: seeded(64, 2, 0.5, 1), wide: seeded(100, 3, 2e5) };
    const input = Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, Buffer.from(a.buffer).toString('base64')]));
    const child = run(s.python, ['-c', PY], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
    child.child.stdin!.end(JSON.stringify(input));
    const theirs = JSON.parse((await child).stdout) as Record<string, { bytes: string; min: number | null; scale: number | null }>;
    for (const [name, a] of Object.entries(arrays)) {
      for (const dt of ['float16', 'uint16', 'uint8'] as const) {
        const ours = quantizeTensor(a, dt);
        const t = theirs[`${name}:${dt}`]!;
        expect(Buffer.from(ours.bytes).toString('base64'), `${name} ${dt} bytes`).to.equal(t.bytes);
        if (dt !== 'float16') expect(ours.quantization, `${name} ${dt}`).to.deep.equal({ dtype: dt, min: t.min, scale: t.scale });
      }
    }
  });
});
