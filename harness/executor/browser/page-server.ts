// A 127.0.0.1 server for the browser pages of one tfjs runtime: the page, its script, tfjs's own dist
// files from the runtime's node_modules, and files handed over as bytes (bundles verified in Node,
// scenario bundles). Every other request is refused and remembered, so a test can assert there were none.
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface PageServerOptions {
  /** Directory whose node_modules holds the tfjs installation to serve. */
  runtimeRoot: string;
  /** The bundled page script (page/page-main.ts). */
  pageScript: string;
}
export interface PageServer {
  origin: string;
  /** Serves the given bytes under a fresh prefix; returns the prefix URL (ending in "/"). */
  serveFiles(files: Map<string, Uint8Array>): string;
  /** Stops serving what serveFiles returned this URL for. */
  unserve(url: string): void;
  /** Requests that were refused: paths not served, as "<method> <path>". */
  refused: string[];
  close(): Promise<void>;
}

/** Where each served tfjs file lives: package, file in its dist/. Absent packages are simply not served. */
const TFJS_FILES: [string, string][] = [
  ['@tensorflow/tfjs', 'tf.min.js'],
  ['@tensorflow/tfjs-backend-wasm', 'tf-backend-wasm.min.js'],
  ['@tensorflow/tfjs-backend-wasm', 'tfjs-backend-wasm.wasm'],
  ['@tensorflow/tfjs-backend-wasm', 'tfjs-backend-wasm-simd.wasm'],
  ['@tensorflow/tfjs-backend-wasm', 'tfjs-backend-wasm-threaded-simd.wasm'],
  ['@tensorflow/tfjs-backend-webgpu', 'tf-backend-webgpu.min.js'],
];

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>tfjs-repro</title>
<link rel="icon" href="data:,"><script src="/tfjs/tf.min.js"></script><script type="module" src="/page.js"></script></head><body></body></html>`;

function contentType(name: string): string {
  if (name.endsWith('.js')) return 'text/javascript';
  if (name.endsWith('.wasm')) return 'application/wasm';
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.html')) return 'text/html; charset=utf-8';
  return 'application/octet-stream';
}

/** The dist files of the runtime's tfjs packages, by served name; missing packages are left out. */
async function tfjsFiles(root: string): Promise<Map<string, string>> {
  const req = createRequire(path.join(root, 'package.json'));
  const files = new Map<string, string>();
  for (const [pkg, file] of TFJS_FILES) {
    let dir: string;
    try {
      dir = path.dirname(req.resolve(`${pkg}/package.json`));
    } catch {
      continue;
    }
    const full = path.join(dir, 'dist', file);
    if (
      await readFile(full).then(
        () => true,
        () => false,
      )
    )
      files.set(file, full);
  }
  if (!files.has('tf.min.js'))
    throw new Error(
      `${root}: node_modules/@tensorflow/tfjs/dist/tf.min.js must exist to run tfjs in the browser; install @tensorflow/tfjs there`,
    );
  return files;
}

export async function startPageServer(o: PageServerOptions): Promise<PageServer> {
  const tfjs = await tfjsFiles(o.runtimeRoot);
  const served = new Map<string, Uint8Array>([
    ['/', new TextEncoder().encode(PAGE_HTML)],
    ['/page.js', new TextEncoder().encode(o.pageScript)],
  ]);
  const refused: string[] = [];
  let next = 0;
  const prefixes = new Map<string, string[]>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = url.pathname;
    }
    const send = (body: Uint8Array, name: string) => {
      res.writeHead(200, { 'content-type': contentType(name === '/' ? '.html' : name), 'cache-control': 'no-store' });
      res.end(body);
    };
    const bytes = req.method === 'GET' ? served.get(pathname) : undefined;
    if (bytes) return send(bytes, pathname);
    const file = req.method === 'GET' && pathname.startsWith('/tfjs/') ? tfjs.get(pathname.slice(6)) : undefined;
    if (file) {
      readFile(file).then(
        (b) => send(b, file),
        () => {
          res.writeHead(500).end();
        },
      );
      return;
    }
    refused.push(`${req.method} ${pathname}`);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not served by tfjs-repro');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  server.unref();
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    refused,
    serveFiles(files) {
      const prefix = `/files/${next++}/`;
      for (const [name, b] of files) served.set(prefix + name, b);
      prefixes.set(prefix, [...files.keys()]);
      return `http://127.0.0.1:${port}${prefix}`;
    },
    unserve(url) {
      const prefix = new URL(url).pathname;
      for (const name of prefixes.get(prefix) ?? []) served.delete(prefix + name);
      prefixes.delete(prefix);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
