// Weight quantization as tensorflowjs_converter writes it (tensorflowjs 4.22.0, quantization.py):
// float16 casts; uint8/uint16 are affine per tensor, the range nudged so that 0 is exact, and the
// manifest's `quantization` field tells tfjs how to dequantize at load (v * scale + min).
// NumPy computes the affine step in float32 (a float64 scalar does not widen a float32 array), so does this.
import {
  buildManifest,
  fromUtf8,
  MANIFEST_JSON,
  MODEL_JSON,
  parseManifest,
  utf8,
  WEIGHTS_BIN,
  type BundleFiles,
} from '../bundle/bundle-files.ts';

export const quantizationNames = ['float16', 'uint16', 'uint8'] as const;
export type QuantizationName = (typeof quantizationNames)[number];

interface Spec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → float16 bits, rounding to nearest even (NumPy's astype(np.float16)). */
export function float16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && r & 1)) r++;
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && r & 1)) r++;
  return sign | r;
}

const roundHalfEven = (v: number) => {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
};

/** One float32 tensor quantized: its stored bytes and the manifest's `quantization` entry. */
export function quantizeTensor(data: Float32Array, dtype: QuantizationName): { bytes: Uint8Array; quantization: Spec['quantization'] } {
  if (dtype === 'float16') {
    const out = new Uint16Array(data.length);
    data.forEach((v, i) => (out[i] = float16Bits(v)));
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype } };
  }
  const out = dtype === 'uint8' ? new Uint8Array(data.length) : new Uint16Array(data.length);
  const qmax = dtype === 'uint8' ? 255 : 65535;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (lo === hi) return { bytes: new Uint8Array(out.buffer), quantization: { dtype, min: lo, scale: 1 } };
  const scale = (hi - lo) / qmax;
  let min = lo;
  let max = hi;
  if (lo <= 0 && 0 <= hi) {
    min = -roundHalfEven((0 - lo) / scale) * scale;
    max = qmax * scale + min;
  }
  const [fmin, fmax, fscale] = [Math.fround(min), Math.fround(max), Math.fround(scale)];
  data.forEach((v, i) => {
    const clipped = Math.min(Math.max(v, fmin), fmax);
    out[i] = roundHalfEven(Math.fround(Math.fround(clipped - fmin) / fscale));
  });
  return { bytes: new Uint8Array(out.buffer), quantization: { dtype, min, scale } };
}

/** A bundle with every float32 weight quantized, the rest (preprocessing, manifest) as it was. */
export function quantizeBundle(files: BundleFiles, dtype: QuantizationName): BundleFiles {
  const json = JSON.parse(fromUtf8(files.get(MODEL_JSON)!)) as { weightsManifest: { paths: string[]; weights: Spec[] }[] };
  const bin = files.get(WEIGHTS_BIN)!;
  const parts: Uint8Array[] = [];
  let offset = 0;
  const weights = json.weightsManifest.flatMap((g) => g.weights);
  const specs = weights.map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'bool' ? 1 : 4);
    const raw = bin.slice(offset, offset + size);
    offset += size;
    if (s.dtype !== 'float32' || s.quantization) return (parts.push(raw), s);
    const q = quantizeTensor(new Float32Array(raw.buffer, raw.byteOffset, size / 4), dtype);
    parts.push(q.bytes);
    return { ...s, quantization: q.quantization };
  });
  const out = new Map(files);
  out.set(MODEL_JSON, utf8(JSON.stringify({ ...json, weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }] })));
  out.set(WEIGHTS_BIN, Buffer.concat(parts));
  out.delete(MANIFEST_JSON);
  const { files: _old, created: _c, ...info } = parseManifest(files.get(MANIFEST_JSON)!, 'quantized bundle');
  out.set(MANIFEST_JSON, utf8(JSON.stringify(buildManifest(out, info), null, 2) + '\n'));
  return out;
}
