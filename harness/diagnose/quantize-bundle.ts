// Quantized weights as tensorflowjs_converter writes them (--quantize_float16 / _uint16 / _uint8): the
// float32 weights of a bundle stored in the smaller dtype with the `quantization` entry tfjs dequantizes
// on load. The affine range follows the converter (tensorflowjs/quantization.py, 4.22): the data's range,
// its minimum nudged so that 0 is exactly representable when the range holds 0; values round half to even, like numpy.
import {
  buildManifest,
  fromUtf8,
  MANIFEST_JSON,
  MODEL_JSON,
  parseJson,
  utf8,
  type BundleFiles,
  type BundleManifest,
} from '../bundle/bundle-files.ts';
import type { ModelJson } from '../bundle/bundle-schema.ts';

export const quantizationDtypes = ['float16', 'uint16', 'uint8'] as const;
export type QuantizationDtype = (typeof quantizationDtypes)[number];

const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** float32 → IEEE half bits, rounding to nearest even (as numpy's astype(float16)). */
export function float16Bits(v: number): number {
  const u = new Uint32Array(new Float32Array([v]).buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  let shift = 13;
  let half: number;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    shift = 14 - e;
    half = mant >>> shift;
  } else half = (e << 10) | (mant >>> 13);
  const rem = mant & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rem > halfway || (rem === halfway && half & 1)) half++;
  return sign | half;
}

function affine(values: Float32Array, dtype: 'uint8' | 'uint16'): { data: Uint8Array | Uint16Array; scale: number; min: number } {
  const qmax = dtype === 'uint8' ? 255 : 65535;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const data = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  if (lo === hi) return { data, scale: 1, min: lo };
  const scale = (hi - lo) / qmax;
  // The zero point is nudged only when the range holds 0, as the converter does.
  const min = lo <= 0 && 0 <= hi ? -roundHalfEven(-lo / scale) * scale : lo;
  const max = lo <= 0 && 0 <= hi ? qmax * scale + min : hi;
  values.forEach((v, i) => (data[i] = roundHalfEven((Math.min(Math.max(v, min), max) - min) / scale)));
  return { data, scale, min };
}

/** The bundle with every float32 weight quantized to `dtype`; the manifest is rebuilt for the new bytes. */
export function quantizeBundle(files: BundleFiles, dtype: QuantizationDtype, where: string): BundleFiles {
  const json = parseJson<ModelJson>(files, MODEL_JSON, where);
  const out: BundleFiles = new Map(files);
  for (const group of json.weightsManifest) {
    const shard = new Uint8Array(group.paths.reduce((n, p) => n + files.get(p)!.byteLength, 0));
    let at = 0;
    for (const p of group.paths) {
      shard.set(files.get(p)!, at);
      at += files.get(p)!.byteLength;
    }
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const bytes = (spec.dtype === 'bool' ? 1 : 4) * size;
      const raw = shard.slice(offset, offset + bytes);
      offset += bytes;
      if (spec.dtype !== 'float32' || spec.quantization) {
        parts.push(raw);
        continue;
      }
      const values = new Float32Array(raw.buffer);
      if (dtype === 'float16') {
        parts.push(new Uint8Array(Uint16Array.from(values, float16Bits).buffer));
        spec.quantization = { dtype: 'float16' };
      } else {
        const q = affine(values, dtype);
        parts.push(new Uint8Array(q.data.buffer));
        spec.quantization = { dtype, scale: q.scale, min: q.min };
      }
    }
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let k = 0;
    for (const p of parts) {
      joined.set(p, k);
      k += p.byteLength;
    }
    // One shard per group is enough: tfjs concatenates a group's paths before reading the specs.
    for (const p of group.paths) out.delete(p);
    out.set(group.paths[0]!, joined);
    group.paths = [group.paths[0]!];
  }
  out.set(MODEL_JSON, utf8(JSON.stringify(json)));
  const old = JSON.parse(fromUtf8(files.get(MANIFEST_JSON)!)) as BundleManifest;
  out.delete(MANIFEST_JSON);
  out.set(
    MANIFEST_JSON,
    utf8(JSON.stringify(buildManifest(out, { scenario: old.scenario, tfjs: old.tfjs, backend: old.backend }), null, 2)),
  );
  return out;
}
