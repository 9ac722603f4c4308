// Issue 8, item 11 (goldens): malformed outputs and probes files through the store's front door.
// Every input is either refused with a clean error naming the file and a field, or accepted and valid
// by an independent check below; a raw JavaScript error or a wrong accepted value fails the property.
// Runs: TFJS_REPRO_FUZZ_RUNS (default 100 each); replay a failure with TFJS_REPRO_FUZZ_SEED and TFJS_REPRO_FUZZ_PATH.
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GoldenStore } from './golden-store.ts';

const RUNS = Number(process.env.TFJS_REPRO_FUZZ_RUNS ?? 100);
const fuzzParams = (): fc.Parameters<unknown> => ({
  numRuns: RUNS,
  ...(process.env.TFJS_REPRO_FUZZ_SEED ? { seed: Number(process.env.TFJS_REPRO_FUZZ_SEED) } : {}),
  ...(process.env.TFJS_REPRO_FUZZ_PATH ? { path: process.env.TFJS_REPRO_FUZZ_PATH } : {}),
});
const RAW =
  /Cannot read propert|is not a function|is not iterable|undefined is not|null is not|Maximum call stack|Cannot convert|is not defined|\[object Object\]/;
const HASH = 'b'.repeat(64);
const PROV_KEYS = ['scenario', 'sourceHash', 'tfjs', 'backend', 'node', 'platform', 'recorded'];
const prov = { scenario: 's', sourceHash: HASH, tfjs: '4.22.0', backend: 'cpu', node: 'v20', platform: 'linux-x64', recorded: 'now' };

// ---- generators: a valid file, then one to three mutations of its object or of its text
const tensor = fc.oneof(
  fc
    .array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 6 })
    .map((d) => ({ shape: [d.length], dtype: 'float32', data: d })),
  fc
    .array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 6 })
    .map((d) => ({ shape: [d.length, 1], dtype: 'int32', data: d })),
  fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 6 }).map((d) => ({ shape: [d.length], dtype: 'bool', data: d })),
);
const validOutputs = fc
  .dictionary(fc.constantFrom('output0', 'output1', 'y'), tensor, { minKeys: 1 })
  .map((outputs) => ({ ...prov, outputs }));
const row = (w: number) => fc.oneof(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: w, maxLength: w }));
const validProbes = fc
  .oneof(
    fc.integer({ min: 1, max: 4 }).chain((w) => fc.array(row(w), { minLength: 1, maxLength: 5 })),
    fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
    fc.integer({ min: 1, max: 3 }).chain((w) => fc.array(fc.record({ a: row(w), t: fc.string() }), { minLength: 1, maxLength: 4 })),
  )
  .map((inputs) => ({ ...prov, inputs }));

const hostile = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    '',
    'NaN',
    '-0',
    'Infinity',
    'x',
    0.9,
    -1,
    4294967297,
    -2147483649,
    3.5e38,
    -1e300,
    1e308,
    2 ** 53 + 2,
    [],
    {},
    [[]],
    [1, [2]],
    { shape: [1] },
  ),
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
  fc.anything({ maxDepth: 3 }),
);
type Path = Array<string | number>;
function paths(v: unknown, at: Path = []): Path[] {
  if (v === null || typeof v !== 'object') return [at];
  return [at, ...Object.entries(v).flatMap(([k, c]) => paths(c, [...at, Array.isArray(v) ? Number(k) : k]))];
}
type Mutation =
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'extra'; pick: number; key: string; value: unknown }
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'proto'; pick: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: hostile }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('extra' as const),
    pick: fc.nat(),
    key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'fingerprint')),
    value: hostile,
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) as fc.Arbitrary<number> }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }) as fc.Arbitrary<number>,
    char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('proto' as const), pick: fc.nat() }),
);

function apply(file: unknown, mutations: Mutation[]): string {
  const obj = structuredClone(file) as Record<string, unknown>;
  let text: string | undefined;
  for (const m of mutations) {
    if (text === undefined && (m.kind === 'set' || m.kind === 'delete' || m.kind === 'extra')) {
      const all = paths(obj).filter((p) => p.length);
      const target = all[m.pick % all.length]!;
      const parent = target.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, obj);
      const key = target[target.length - 1]!;
      if (m.kind === 'set') parent[key] = m.value;
      else if (m.kind === 'delete') {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else if (parent !== null && typeof parent === 'object' && !Array.isArray(parent))
        Object.defineProperty(parent, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    text ??= JSON.stringify(obj);
    if (m.kind === 'truncate') text = text.slice(0, Math.floor(m.at * text.length));
    else if (m.kind === 'flip') {
      const i = Math.floor(m.at * text.length);
      text = text.slice(0, i) + m.char + text.slice(i + 1);
    } else if (m.kind === 'duplicate' || m.kind === 'proto') {
      const keys = [...text.matchAll(/"(?:[^"\\]|\\.)*":/g)];
      if (!keys.length) continue;
      const k = keys[m.pick % keys.length]!;
      text = text.slice(0, k.index) + (m.kind === 'duplicate' ? `${k[0]}0,` : '"__proto__":{},') + text.slice(k.index);
    }
  }
  return text ?? JSON.stringify(obj);
}

// ---- independent validity checks of what was accepted
const isF32 = (v: unknown) =>
  (typeof v === 'number' && Number.isFinite(Math.fround(v))) || ['NaN', 'Infinity', '-Infinity', '-0'].includes(v as string);
const VALUE: Record<string, (v: unknown) => boolean> = {
  float32: isF32,
  int32: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
  bool: (v) => v === 0 || v === 1,
};
const plain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const sameKeys = (o: Record<string, unknown>, required: string[], optional: string[] = []) =>
  required.every((k) => Object.hasOwn(o, k)) && Object.keys(o).every((k) => required.includes(k) || optional.includes(k));
function provenanceValid(o: Record<string, unknown>, extra: string, optional: string[] = []): boolean {
  return (
    sameKeys(o, [...PROV_KEYS, extra], optional) &&
    PROV_KEYS.every((k) => typeof o[k] === 'string') &&
    o.scenario === 's' &&
    /^[0-9a-f]{64}$/.test(o.sourceHash as string)
  );
}
function outputsValid(o: unknown): boolean {
  if (!plain(o) || !provenanceValid(o, 'outputs', ['fingerprint']) || o.backend !== 'cpu' || !plain(o.outputs)) return false;
  if (o.fingerprint !== undefined && !(plain(o.fingerprint) && Object.values(o.fingerprint).every((v) => typeof v === 'string')))
    return false;
  return Object.values(o.outputs).every(
    (t) =>
      plain(t) &&
      sameKeys(t, ['shape', 'dtype', 'data']) &&
      Array.isArray(t.shape) &&
      Array.isArray(t.data) &&
      t.shape.every((d) => Number.isInteger(d) && d >= 0) &&
      t.data.length === t.shape.reduce((a: number, b: number) => a * b, 1) &&
      typeof t.dtype === 'string' &&
      Object.hasOwn(VALUE, t.dtype) &&
      t.data.every(VALUE[t.dtype]!),
  );
}
function signature(v: unknown, depth = 0): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? 'n' : undefined;
  if (typeof v === 'string') return 's';
  if (!Array.isArray(v) || depth > 16) return undefined;
  const inner = v.map((x) => signature(x, depth + 1));
  return inner.every((s) => s !== undefined && s === inner[0]) ? `${v.length}[${inner[0] ?? ''}]` : undefined;
}
function probesValid(o: unknown): boolean {
  if (!plain(o) || !provenanceValid(o, 'inputs') || !Array.isArray(o.inputs) || !o.inputs.length) return false;
  const sigs = o.inputs.map((r) =>
    plain(r)
      ? Object.keys(r).length
        ? Object.keys(r)
            .sort()
            .map((k) => `${k}:${signature(r[k]) ?? '!'}`)
            .join(',')
        : '!'
      : (signature(r) ?? '!'),
  );
  return sigs.every((s) => !s.includes('!') && s === sigs[0]);
}

interface Tally {
  tried: number;
  clean: number;
  accepted: number;
}
function tallyLine(what: string, t: Tally) {
  return `${what}: ${t.tried} inputs tried, ${t.clean} clean errors, ${t.accepted} accepted (all valid), 0 crashes`;
}

describe('golden hardening: duplicate-key scanner', () => {
  it('finds no problem in any JSON that JSON.stringify writes, and finds every inserted duplicate key', async () => {
    const { keyProblem } = await import('./strict-json-parse.ts');
    const json = fc
      .jsonValue({ maxDepth: 4 })
      .map((v) => JSON.stringify(v))
      .filter((t) => !t.includes('"__proto__":'));
    fc.assert(
      fc.property(json, (text) => keyProblem(text) === undefined),
      fuzzParams(),
    );
    // The same value written with its n-th key (in writing order) twice; values decide nothing.
    const withDuplicate = (v: unknown, n: number): { text: string; done: boolean } => {
      let count = 0;
      const write = (x: unknown): string => {
        if (Array.isArray(x)) return `[${x.map(write).join(',')}]`;
        if (x === null || typeof x !== 'object') return JSON.stringify(x);
        return `{${Object.entries(x)
          .map(([k, c]) => `${count++ === n ? `${JSON.stringify(k)}:0,` : ''}${JSON.stringify(k)}:${write(c)}`)
          .join(',')}}`;
      };
      const text = write(v);
      return { text, done: count > n };
    };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.nat({ max: 20 }), (v, n) => {
        const { text, done } = withDuplicate(v, n);
        fc.pre(done && !text.includes('"__proto__":'));
        return /appears twice/.test(keyProblem(text)?.message ?? '');
      }),
      fuzzParams(),
    );
  });
});

describe('golden hardening: fuzzed golden files', function () {
  this.timeout(600_000);
  let root: string;
  let store: GoldenStore;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'golden-fuzz-'));
    await mkdir(path.join(root, 's', 'outputs'), { recursive: true });
    store = new GoldenStore(root);
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function check(kind: 'outputs' | 'probes', text: string, tally: Tally): Promise<void> {
    const file = kind === 'outputs' ? store.outputsFile('s', 'cpu') : path.join(root, 's', 'probes.json');
    await writeFile(file, text);
    tally.tried++;
    let error: unknown;
    try {
      await (kind === 'outputs' ? store.readOutputs('s', 'cpu') : store.readProbes('s'));
    } catch (err) {
      error = err;
    }
    if (error === undefined) {
      const parsed = JSON.parse(text) as unknown;
      expect(kind === 'outputs' ? outputsValid(parsed) : probesValid(parsed), `accepted an invalid ${kind} file: ${text}`).to.equal(true);
      tally.accepted++;
      return;
    }
    expect(error, String(error)).to.be.instanceOf(Error);
    const { message } = error as Error;
    const name = path.relative(process.cwd(), file);
    // `<file>: <field> must|is|appears ...`; a file that is not JSON at all: `<file>: must be valid JSON (...)`.
    expect(message.startsWith(`${name}: `), message).to.equal(true);
    expect(message.slice(name.length + 2), message).to.match(/^(must be valid JSON|\S.*? (must|is|appears) )/);
    expect(message, message).to.not.match(RAW);
    tally.clean++;
  }

  for (const [kind, valid] of [
    ['outputs', validOutputs],
    ['probes', validProbes],
  ] as const) {
    it(`refuses or correctly accepts every malformed ${kind} file (${RUNS} runs)`, async () => {
      const tally: Tally = { tried: 0, clean: 0, accepted: 0 };
      await fc.assert(
        fc.asyncProperty(valid as fc.Arbitrary<unknown>, fc.array(mutation, { minLength: 0, maxLength: 3 }), async (file, mutations) => {
          await check(kind, apply(file, mutations), tally);
        }),
        fuzzParams(),
      );
      // Deep nesting and huge texts, which a generator rarely reaches.
      const field = kind === 'outputs' ? 'outputs' : 'inputs';
      await check(kind, `${JSON.stringify(prov).slice(0, -1)},"${field}":${'['.repeat(5000)}${']'.repeat(5000)}}`, tally);
      await check(kind, `${JSON.stringify(prov).slice(0, -1)},"${field}":${'[1,"x",{"a":'.repeat(2000)}1${'}]'.repeat(2000)}}`, tally);
      await check(kind, '['.repeat(200_000), tally);
      console.log(`    ${tallyLine(`${kind} files`, tally)}`);
      expect(tally.clean).to.be.greaterThan(0);
    });
  }
});
