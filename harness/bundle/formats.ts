// Save formats: how a bundle travels between save and load. Each one loads through the same
// verified path, so a format differs only in where the bytes live and how tfjs reaches them.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { PreprocessingState } from '../preprocessing/pipeline.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { Tf } from '../runtime/tf-types.ts';
import {
  isSafeBundlePath,
  MANIFEST_JSON,
  MODEL_JSON,
  parseJson,
  parseManifest,
  PREPROCESSING_JSON,
  sha256,
  verifyBundle,
  type BundleFiles,
} from './bundle-files.ts';
import { checkFileSize } from './bundle-limits.ts';
import { readBundleDir, writeBundleDir } from './bundle-dir.ts';
import { modelKindOf } from './graph-model.ts';
import { artifactsFromBundle, loadVerifiedBundle, type LoadedBundle } from './load-bundle.ts';

export interface FormatContext {
  tf: Tf;
  scenario: TrainedScenario;
  where: string;
}
interface FormatSpec {
  load(files: BundleFiles, ctx: FormatContext): Promise<LoadedBundle>;
}

// async: a refused bundle rejects the promise rather than throwing at the call.
const fromFiles = async (files: BundleFiles, ctx: FormatContext): Promise<LoadedBundle> => {
  verifyBundle(files, ctx.where);
  const artifacts = artifactsFromBundle(files, ctx.where);
  return await loadVerifiedBundle(
    ctx.tf,
    ctx.scenario,
    ctx.tf.io.fromMemory(artifacts),
    async () => parseJson<PreprocessingState>(files, PREPROCESSING_JSON, ctx.where),
    ctx.where,
    modelKindOf(artifacts.format),
  );
};

const memory: FormatSpec = { load: fromFiles };

const file: FormatSpec = {
  async load(files, ctx) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-bundle-'));
    try {
      await writeBundleDir(dir, files);
      const read = await readBundleDir(dir);
      return await fromFiles(read.files, { ...ctx, where: `${ctx.where} (file ${dir})` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

async function serve(files: BundleFiles): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0]!.slice(1);
    const body = isSafeBundlePath(name) ? files.get(name) : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Fetches one bundle file, refusing (by Content-Length, before reading the body) more than its cap or the manifest's size. */
async function fetchCapped(url: string, name: string, where: string, expected?: number, init?: RequestInit): Promise<Uint8Array> {
  const res = await fetch(url, init);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(
      `${where}/${name}: HTTP ${res.status}; ${name === MANIFEST_JSON ? 'the bundle has no manifest' : 'the file is missing'}`,
    );
  }
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length)) {
    try {
      checkFileSize(where, name, length);
    } catch (err) {
      await res.body?.cancel();
      throw err;
    }
    if (expected !== undefined && length !== expected) {
      await res.body?.cancel();
      throw new Error(
        `${where}/${name}: size ${length} bytes must be ${expected} as in ${MANIFEST_JSON}; the file was truncated or changed`,
      );
    }
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  checkFileSize(where, name, bytes.byteLength);
  return bytes;
}

const http: FormatSpec = {
  async load(files, ctx) {
    const { server, base } = await serve(files);
    try {
      const where = `${ctx.where} (${base.slice(0, -1)})`;
      const manifest = parseManifest(await fetchCapped(base + MANIFEST_JSON, MANIFEST_JSON, where), where);
      // Every byte that crosses the wire is checked against the manifest before tfjs sees it, and
      // only files of this bundle, on this server, are fetched at all.
      const verifyingFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
        const url = new URL(String(input instanceof Request ? input.url : input));
        const name = url.pathname.slice(1);
        // Names are from the safe set, so the URL path is the name itself: nothing to decode.
        if (url.origin !== new URL(base).origin || url.search || url.hash || !isSafeBundlePath(name))
          throw new Error(`${where}: refusing to fetch ${url.href.slice(0, 300)}: weight paths must stay inside the bundle`);
        if (!Object.hasOwn(manifest.files, name)) throw new Error(`${where}/${name}: not listed in ${MANIFEST_JSON}; refusing it`);
        const entry = manifest.files[name]!;
        const bytes = await fetchCapped(url.href, name, where, entry.bytes, init);
        if (bytes.byteLength !== entry.bytes || sha256(bytes) !== entry.sha256) {
          throw new Error(
            `${where}/${name}: checksum mismatch against ${MANIFEST_JSON}; the file was modified after the bundle was written`,
          );
        }
        return new Response(bytes as Uint8Array<ArrayBuffer>, {
          status: 200,
          headers: { 'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
        });
      };
      // URL resolution would quietly turn "../weights.bin" into "/weights.bin": check the paths as written.
      const { format } = artifactsFromBundle(
        new Map([
          [MODEL_JSON, new Uint8Array(await (await verifyingFetch(base + MODEL_JSON)).arrayBuffer())],
          ...[...files].filter(([n]) => n !== MODEL_JSON),
        ]),
        where,
      );
      const handler = ctx.tf.io.http(base + MODEL_JSON, { fetchFunc: verifyingFetch });
      const preprocessing = async () =>
        parseJson<PreprocessingState>(
          new Map([[PREPROCESSING_JSON, new Uint8Array(await (await verifyingFetch(base + PREPROCESSING_JSON)).arrayBuffer())]]),
          PREPROCESSING_JSON,
          where,
        );
      return await loadVerifiedBundle(ctx.tf, ctx.scenario, handler, preprocessing, where, modelKindOf(format));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
};

export const formats = { memory, file, http };
export type FormatName = keyof typeof formats;
export const formatNames = Object.keys(formats) as FormatName[];

export function parseFormatName(name: string, where: string): FormatName {
  if (!Object.hasOwn(formats, name)) throw new Error(`${where}: format must be one of ${formatNames.join(', ')}; got "${name}"`);
  return name as FormatName;
}
