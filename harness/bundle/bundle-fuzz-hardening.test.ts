// The front door for bundles, fuzzed: malformed manifest.json and model.json (wrong types, missing
// and extra fields, hostile values, "__proto__" keys, deep nesting, truncated and byte-flipped text,
// bytes that are not UTF-8), built into bundles and fed to every format's load and to readBundleDir.
// Every input is invalid by construction, so each door must reject with an Error naming a bundle file:
// never resolve, never throw a non-Error or a raw JavaScript error, never hang, never leak a tensor.
// Seeded and replayable: TFJS_REPRO_FUZZ_SEED, TFJS_REPRO_FUZZ_PATH; TFJS_REPRO_FUZZ_RUNS for more runs.
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { activateBackend, loadRuntime } from '../runtime/load-runtime.ts';
import type { Tf } from '../runtime/tf-types.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import { sha256, utf8, type BundleFiles } from './bundle-files.ts';
import { readBundleDir, writeBundleDir } from './bundle-dir.ts';
import { formats } from './formats.ts';
import { createBundle } from './save-bundle.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Target = 'manifest.json' | 'model.json';
type Leaf = 'str' | 'anystr' | 'num';
/** Where each file's schema governs a value, and what kind; modelTopology is tfjs's to judge, so only structure-level mutations reach it. */
interface Site {
  path: (string | number)[];
  leaf?: Leaf;
  strict?: string[];
  required?: boolean;
  object?: boolean;
}

const DOORS = ['memory', 'file', 'http', 'readBundleDir'] as const;
const RAW =
  /Cannot read propert|is not a function|is not iterable|is not defined|Maximum call stack|Cannot convert|Cannot destructure|Invalid array length/;
const NAMES_A_FILE = /manifest\.json|model\.json|weights\.bin|preprocessing\.json/;
const HANG_MS = 10_000;

/** The sites of a bundle's JSON: every value the schema governs, with its kind. */
function sites(target: Target, json: Json, at: (string | number)[] = []): Site[] {
  const out: Site[] = [];
  const key = at[at.length - 1];
  if (target === 'model.json' && at[0] === 'modelTopology') {
    const object = json !== null && typeof json === 'object' && !Array.isArray(json);
    const inner =
      json !== null && typeof json === 'object'
        ? Object.entries(json).flatMap(([k, v]) => sites(target, v as Json, [...at, Array.isArray(json) ? Number(k) : k]))
        : [];
    return [{ path: at, required: at.length === 1, object }, ...inner];
  }
  if (Array.isArray(json)) {
    out.push({ path: at, required: at.length > 0 });
    json.forEach((v, i) => out.push(...sites(target, v, [...at, i])));
  } else if (json !== null && typeof json === 'object') {
    const strict =
      target === 'manifest.json'
        ? at.length === 0
          ? ['scenario', 'tfjs', 'backend', 'created', 'files']
          : at.length === 2
            ? ['sha256', 'bytes']
            : undefined
        : at.length === 0
          ? [
              'modelTopology',
              'weightsManifest',
              'format',
              'generatedBy',
              'convertedBy',
              'trainingConfig',
              'userDefinedMetadata',
              'signature',
              'modelInitializer',
              'initializerSignature',
            ]
          : at.length === 2
            ? ['paths', 'weights']
            : at.length === 4
              ? ['name', 'shape', 'dtype', 'quantization', 'group']
              : undefined;
    out.push({
      path: at,
      object: true,
      ...(strict ? { strict } : {}),
      required: at.length > 0 && !(target === 'model.json' && at.length === 1 && key !== 'weightsManifest'),
    });
    for (const [k, v] of Object.entries(json)) out.push(...sites(target, v, [...at, k]));
  } else {
    const optional = target === 'model.json' && at.length === 1 && key !== 'weightsManifest';
    const leaf: Leaf | undefined =
      typeof json === 'number' ? 'num' : key === 'convertedBy' ? undefined : key === 'generatedBy' ? 'anystr' : 'str';
    out.push({ path: at, ...(leaf ? { leaf } : {}), required: !optional });
  }
  return out;
}

const deep = (n: number): Json => {
  let v: Json = [];
  for (let i = 0; i < n; i++) v = [v];
  return v;
};
const nonString = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: true }),
  fc.constant(1e308),
  fc.constant(-1),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
) as fc.Arbitrary<Json>;
const badString = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 1001, max: 100_000 }).map((n) => 'x'.repeat(n)),
);
/** A value no site of its kind accepts: any number but the original for sizes and dimensions, no short string for strings. */
const hostileFor = (leaf: Leaf | undefined, original: Json): fc.Arbitrary<Json> => {
  if (leaf === 'num')
    return fc
      .oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 53 }),
        fc.constantFrom(1e308, -1, 0.5, 2 ** 53),
        fc.string(),
        fc.constant(null),
      )
      .filter((v) => v !== original && !Object.is(v, -0));
  if (leaf === 'anystr') return nonString.filter((v) => v !== null);
  return fc.oneof(nonString, badString);
};
/** Bytes never valid at any position of JSON text: control characters (not tab, newline, return) and lone UTF-8 lead or continuation bytes. */
const badByte = fc.oneof(
  fc.integer({ min: 0x00, max: 0x08 }),
  fc.constantFrom(0x0b, 0x0c),
  fc.integer({ min: 0x0e, max: 0x1f }),
  fc.integer({ min: 0x80, max: 0xff }),
);

type Edit = (json: Json, text: string) => Uint8Array;
function setAt(root: Json, p: (string | number)[], f: (parent: Record<string | number, Json>, key: string | number) => void): Json {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  if (p.length === 0) return copy;
  let parent = copy as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  f(parent, p[p.length - 1]!);
  return copy;
}
const text = (j: Json) => utf8(JSON.stringify(j));

function editsFor(target: Target, json: Json, raw: string): fc.Arbitrary<{ what: string; edit: Edit }> {
  const all = sites(target, json);
  const pick = <T>(xs: T[]) => fc.constantFrom(...xs);
  const wrap = (what: string, edit: Edit) => ({ what, edit });
  const keep = raw.trimEnd().length;
  return fc.oneof(
    pick(all.filter((s) => s.required)).map((s) =>
      wrap(`delete ${s.path.join('.')}`, (j) =>
        text(
          setAt(j, s.path, (o, k) => {
            if (Array.isArray(o)) o.splice(Number(k), 1);
            else delete o[k];
          }),
        ),
      ),
    ),
    pick(all.filter((s) => s.leaf)).chain((s) =>
      hostileFor(s.leaf, valueAt(json, s.path)).map((v) =>
        wrap(`set ${s.path.join('.')} = ${JSON.stringify(v)?.slice(0, 40)}`, (j) =>
          text(
            setAt(j, s.path, (o, k) => {
              o[k] = v;
            }),
          ),
        ),
      ),
    ),
    pick(all.filter((s) => s.strict)).chain((s) =>
      fc
        .tuple(
          fc
            .oneof(fc.string({ minLength: 1 }), fc.constantFrom('constructor', 'toString', 'x'.repeat(5000)))
            .filter((k) => !s.strict!.includes(k) && k !== '__proto__'),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map(([k, v]) =>
          wrap(`add ${s.path.join('.')}.${k.slice(0, 20)}`, (j) =>
            text(
              setAt(j, [...s.path, k], (o, key) => {
                o[key] = v as Json;
              }),
            ),
          ),
        ),
    ),
    pick(all.filter((s) => s.object)).map((s) =>
      wrap(`add __proto__ at ${s.path.join('.')}`, (j) => {
        const marker = '"__fuzz_proto_marker__"';
        return utf8(
          JSON.stringify(
            setAt(j, [...s.path, '__fuzz_proto_marker__'], (o, k) => {
              o[k] = { polluted: true };
            }),
          ).replace(marker, '"__proto__"'),
        );
      }),
    ),
    fc.tuple(pick(all.filter((s) => s.path.length > 0)), fc.integer({ min: 65, max: 3000 })).map(([s, n]) =>
      wrap(`nest ${n} deep at ${s.path.join('.')}`, (j) =>
        text(
          setAt(j, s.path, (o, k) => {
            o[k] = deep(n);
          }),
        ),
      ),
    ),
    fc.integer({ min: 0, max: keep - 1 }).map((n) => wrap(`truncate to ${n} bytes`, (_, t) => utf8(t).slice(0, n))),
    fc.tuple(fc.integer({ min: 0, max: utf8(raw).byteLength - 1 }), badByte).map(([i, b]) =>
      wrap(`byte ${i} := 0x${b.toString(16)}`, (_, t) => {
        const u = utf8(t);
        u[i] = b;
        return u;
      }),
    ),
    fc
      .jsonValue({ maxDepth: 3 })
      .filter((v) => !(v !== null && typeof v === 'object' && !Array.isArray(v)))
      .map((v) => wrap(`whole file = ${JSON.stringify(v).slice(0, 40)}`, () => text(v as Json))),
    fc.uint8Array({ maxLength: 64 }).map((b) => wrap(`whole file = ${b.length} random bytes`, () => b)),
  );
}
const valueAt = (root: Json, p: (string | number)[]): Json => p.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root);

export interface FuzzFigures {
  inputs: number;
  cleanErrors: number;
  accepted: number;
  crashes: number;
  seed: number;
}

/** Runs the bundle front-door fuzz; throws (with seed, path and the input) on the first input a door mishandles. */
export async function fuzzBundleFrontDoor(
  tf: Tf,
  base: BundleFiles,
  o: { numRuns: number; seed: number; path?: string },
): Promise<FuzzFigures> {
  const figures: FuzzFigures = { inputs: 0, cleanErrors: 0, accepted: 0, crashes: 0, seed: o.seed };
  const scenario = { name: 'fuzz' } as TrainedScenario;
  const raw = (n: Target) => new TextDecoder().decode(base.get(n)!);
  const input = fc.oneof(
    ...(['manifest.json', 'model.json'] as Target[]).map((target) =>
      fc.tuple(
        fc.constant(target),
        editsFor(target, JSON.parse(raw(target)) as Json, raw(target)),
        fc.boolean().map((b) => b || target === 'manifest.json'),
      ),
    ),
  );
  const property = fc.asyncProperty(input, async ([target, { what, edit }, rehash]) => {
    const files = new Map(base).set(target, edit(JSON.parse(raw(target)) as Json, raw(target)));
    if (target === 'model.json' && rehash) {
      const manifest = JSON.parse(raw('manifest.json'));
      manifest.files['model.json'] = { sha256: sha256(files.get('model.json')!), bytes: files.get('model.json')!.byteLength };
      files.set('manifest.json', utf8(JSON.stringify(manifest)));
    }
    for (const door of DOORS) {
      figures.inputs++;
      const tensors = tf.memory().numTensors;
      const outcome = await attempt(door, files, tf, scenario);
      const leaked = tf.memory().numTensors - tensors;
      const clean = outcome.kind === 'error' && NAMES_A_FILE.test(outcome.message) && !RAW.test(outcome.message) && leaked === 0;
      if (clean) {
        figures.cleanErrors++;
        continue;
      }
      if (outcome.kind === 'accepted') figures.accepted++;
      else figures.crashes++;
      throw new Error(
        `${target} (${what}) through ${door}: ${outcome.kind === 'accepted' ? 'accepted' : `${outcome.kind}: ${outcome.message.slice(0, 400)}`}${leaked ? `; leaked ${leaked} tensor(s)` : ''}`,
      );
    }
  });
  const details = await fc.check(property, { numRuns: o.numRuns, seed: o.seed, endOnFailure: true, ...(o.path ? { path: o.path } : {}) });
  if (details.failed) {
    throw new Error(
      `bundle fuzz failed: ${(details.errorInstance as Error)?.message ?? details.errorInstance}; replay with TFJS_REPRO_FUZZ_SEED=${details.seed} TFJS_REPRO_FUZZ_PATH=${details.counterexamplePath}`,
    );
  }
  return figures;
}

type Outcome = { kind: 'accepted' } | { kind: 'error' | 'non-Error' | 'hang'; message: string };
async function attempt(door: (typeof DOORS)[number], files: BundleFiles, tf: Tf, scenario: TrainedScenario): Promise<Outcome> {
  let dir: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    if (door !== 'readBundleDir') return (await formats[door].load(files, { tf, scenario, where: 'fuzz' })).model.dispose();
    dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-fuzz-'));
    await writeBundleDir(dir, files);
    await readBundleDir(dir);
  };
  try {
    const hang = new Promise<'hang'>((resolve) => {
      timer = setTimeout(() => resolve('hang'), HANG_MS);
    });
    if ((await Promise.race([run().then(() => 'ok' as const), hang])) === 'hang')
      return { kind: 'hang', message: `no answer within ${HANG_MS} ms` };
    return { kind: 'accepted' };
  } catch (err) {
    return err instanceof Error ? { kind: 'error', message: err.message } : { kind: 'non-Error', message: String(err) };
  } finally {
    clearTimeout(timer);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

const numRuns = Number(process.env.TFJS_REPRO_FUZZ_RUNS ?? 100);
const seed = Number(process.env.TFJS_REPRO_FUZZ_SEED ?? 20260811);
if (typeof describe === 'function')
  describe('bundle fuzz hardening: the front door for bundles', () => {
    let runtime: Awaited<ReturnType<typeof loadRuntime>>;
    let base: BundleFiles;
    before(async () => {
      runtime = await loadRuntime();
      await activateBackend(runtime, 'cpu');
      const model = runtime.tf.sequential({ layers: [runtime.tf.layers.dense({ inputShape: [3], units: 2 })] });
      base = await createBundle({ tf: runtime.tf, model, preprocessing: { steps: [] }, scenario: 'fuzz', backend: 'cpu' });
      model.dispose();
    });
    it(`rejects every malformed manifest.json and model.json cleanly in memory, file, http and readBundleDir (${numRuns} runs, seed ${seed})`, async function () {
      this.timeout(Math.max(60_000, numRuns * 200));
      const f = await fuzzBundleFrontDoor(runtime.tf, base, {
        numRuns,
        seed,
        ...(process.env.TFJS_REPRO_FUZZ_PATH ? { path: process.env.TFJS_REPRO_FUZZ_PATH } : {}),
      });
      this.test!.title += `: ${f.inputs} inputs tried, ${f.cleanErrors} clean errors, ${f.accepted} accepted, ${f.crashes} crashes`;
      expect(f.accepted).to.equal(0);
      expect(f.crashes).to.equal(0);
      expect(f.cleanErrors)
        .to.equal(f.inputs)
        .and.to.equal(numRuns * DOORS.length);
    });
  });
