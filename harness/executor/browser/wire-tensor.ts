// Tensors crossing the Node ↔ page boundary: the raw little-endian bytes of the float32/int32 values
// in base64, so no value is rounded through a decimal or a JSON number. Runs in Node and in the page.
import type { DType, TensorData } from '../../types/tensor-data.ts';

export interface WireTensor {
  shape: number[];
  dtype: DType;
  base64: string;
}

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Typed arrays use the platform's byte order; every platform tfjs runs on is little-endian.
export function toWire(t: TensorData): WireTensor {
  const v = t.values;
  return { shape: [...t.shape], dtype: t.dtype, base64: bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
}

export function fromWire(w: WireTensor, where = 'tensor'): TensorData {
  const bytes = base64ToBytes(w.base64);
  const size = w.shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== size * 4)
    throw new Error(`${where}: base64 must hold ${size * 4} bytes for shape [${w.shape}], found ${bytes.byteLength}`);
  const copy = bytes.slice().buffer;
  return { shape: [...w.shape], dtype: w.dtype, values: w.dtype === 'float32' ? new Float32Array(copy) : new Int32Array(copy) };
}
