// Issue 8, item 11 (scenarios) and the two new fields: malformed and hostile scenario objects
// (wrong types, missing and extra fields, Proxies whose traps throw, throwing getters, functions where
// data belongs, cycles) give one clean error naming the file and the field, never a raw JavaScript
// error and never an accepted scenario. Runs: TFJS_REPRO_FUZZ_RUNS (default 200); replay a failure
// with TFJS_REPRO_FUZZ_SEED and TFJS_REPRO_FUZZ_PATH.
import { expect } from 'chai';
import fc from 'fast-check';
import { validateScenario } from './validate-scenario.ts';

const RUNS = Number(process.env.TFJS_REPRO_FUZZ_RUNS ?? 200);
const fuzzParams = (): fc.Parameters<unknown> => ({
  numRuns: RUNS,
  ...(process.env.TFJS_REPRO_FUZZ_SEED ? { seed: Number(process.env.TFJS_REPRO_FUZZ_SEED) } : {}),
  ...(process.env.TFJS_REPRO_FUZZ_PATH ? { path: process.env.TFJS_REPRO_FUZZ_PATH } : {}),
});
const RAW =
  /Cannot read propert|is not a function|is not iterable|undefined is not|null is not|Maximum call stack|Cannot convert|is not defined|trap|getter threw|BOOM/;
const FILE = 'scenarios/fuzz.scenario.ts';

const valid = () => ({
  name: 'fuzz-model',
  description: 'guards nothing',
  seed: 7,
  data: () => ({ train: { x: [], y: [] }, probes: [] }),
  model: () => null,
  train: { epochs: 2, batchSize: 4, loss: 'meanSquaredError', optimizer: 'adam' },
  preprocessing: [{ kind: 'standardScaler', options: {} }],
  tolerance: { replay: { atol: 0 }, backends: { wasm: { replay: { atol: 1e-6 } } } },
  knownDrift: [{ tfjs: '<4.0.0', maxAbsError: 1e-3, reason: 'old kernels' }],
});

// Values that are wrong wherever they are put (the mutated fields below hold data, never functions).
const throwingProxy = () =>
  new Proxy(
    {},
    Object.fromEntries(
      ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'defineProperty', 'apply'].map((t) => [
        t,
        () => {
          throw new Error(`BOOM from the ${t} trap`);
        },
      ]),
    ),
  );
const throwingGetter = () =>
  Object.defineProperty({}, 'atol', {
    enumerable: true,
    get() {
      throw new Error('BOOM from a getter');
    },
  });
const cyclic = () => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
};
const classy = () =>
  Object.create({
    get atol() {
      throw new Error('BOOM from an inherited getter');
    },
  }) as object;
const hostile: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.constantFrom(
    throwingProxy,
    throwingGetter,
    cyclic,
    classy,
    () => () => 1,
    () => Symbol('s'),
    () => 10n,
    () => NaN,
    () => Infinity,
    () => -1,
    () => 1.5,
    () => 0,
    () => null,
    () => '',
    () => 'x',
    () => new Date(0),
    () => new Map(),
    () => [1, 'a'],
    () => ({ unknownField: 1 }),
  ),
  fc.oneof(fc.string(), fc.boolean(), fc.double({ noNaN: true, min: -1e9, max: -1e-9 })).map((v) => () => v),
);
// Every data field, with whether a mutation may delete it (required) or not (optional: deleting it is fine).
const FIELDS: Array<[string, boolean]> = [
  ['name', true],
  ['description', true],
  ['seed', true],
  ['train', true],
  ['train.epochs', true],
  ['train.batchSize', true],
  ['train.loss', true],
  ['train.optimizer', false],
  ['preprocessing', false],
  ['preprocessing.0', false],
  ['preprocessing.0.kind', true],
  ['preprocessing.0.options', true],
  ['tolerance', false],
  ['tolerance.replay', false],
  ['tolerance.replay.atol', false],
  ['tolerance.backends.wasm', false],
  ['knownDrift.0.tfjs', true],
  ['knownDrift.0.maxAbsError', true],
  ['timeoutMs', false],
  ['allowNonFinite', false],
  ['labels', false],
  ['predictBatchSize', false],
  ['data', true],
  ['model', true],
];
// Whether a plain value is right for a field (by the rules of validate-scenario.ts); 'unknown' for
// strings whose validity depends on their text (names, losses, semver ranges), which are skipped.
const STRINGS = new Set(['name', 'description', 'train.loss', 'train.optimizer', 'preprocessing.0.kind', 'knownDrift.0.tfjs']);
const POSITIVE_INTS = new Set(['train.epochs', 'train.batchSize', 'timeoutMs', 'predictBatchSize']);
function verdict(field: string, v: unknown): 'valid' | 'wrong' | 'unknown' {
  const ok = (b: boolean) => (b ? 'valid' : 'wrong');
  if (field === 'data' || field === 'model') return ok(typeof v === 'function');
  if (STRINGS.has(field)) return typeof v === 'string' ? 'unknown' : 'wrong';
  if (field === 'seed') return ok(Number.isInteger(v));
  if (POSITIVE_INTS.has(field)) return ok(Number.isInteger(v) && (v as number) > 0);
  if (field === 'tolerance.replay.atol') return ok(typeof v === 'number' && Number.isFinite(v) && v >= 0);
  if (field === 'knownDrift.0.maxAbsError') return ok(typeof v === 'number' && Number.isFinite(v) && v > 0);
  if (field === 'allowNonFinite' || field === 'labels') return ok(typeof v === 'boolean');
  return 'wrong'; // object fields: no hostile value is a valid object for them
}

type Mutation =
  | { kind: 'set'; field: number; value: () => unknown }
  | { kind: 'delete'; field: number }
  | { kind: 'extra'; key: string; value: () => unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), field: fc.nat(FIELDS.length - 1), value: hostile }),
  fc.record({ kind: fc.constant('delete' as const), field: fc.nat(FIELDS.length - 1) }),
  fc.record({
    kind: fc.constant('extra' as const),
    key: fc.oneof(fc.constantFrom('epochs', 'timeout', 'allowNaN', '__proto__', 'constructor'), fc.string({ minLength: 1 })),
    value: hostile,
  }),
);

/** Applies the mutations; returns the scenario and the fields that are now wrong (empty: still valid). */
function mutate(mutations: Mutation[]): { scenario: Record<string, unknown>; wrong: string[] } {
  const scenario = valid() as unknown as Record<string, unknown>;
  const wrong: string[] = [];
  for (const m of mutations) {
    if (m.kind === 'extra') {
      if (Object.hasOwn(scenario, m.key) || FIELDS.some(([f]) => f === m.key)) continue;
      Object.defineProperty(scenario, m.key, { value: m.value(), enumerable: true, configurable: true, writable: true });
      wrong.push(m.key);
      continue;
    }
    const [field, required] = FIELDS[m.field]!;
    const keys = field.split('.');
    let parent: Record<string, unknown> | undefined = scenario;
    for (const k of keys.slice(0, -1)) parent = parent?.[k] as Record<string, unknown> | undefined;
    if (!parent || typeof parent !== 'object' || wrong.some((w) => field.startsWith(`${w}.`) || w.startsWith(`${field}.`) || w === field))
      continue;
    const last = keys[keys.length - 1]!;
    if (m.kind === 'delete') {
      if (!required || !Object.hasOwn(parent, last)) continue;
      delete parent[last];
      wrong.push(field);
    } else {
      const value = m.value();
      const v = verdict(field, value);
      if (v === 'unknown') continue;
      parent[last] = value;
      if (v === 'wrong') wrong.push(field);
    }
  }
  return { scenario, wrong };
}

describe('scenario hardening: fuzzed scenario objects', () => {
  it(`refuses every malformed or hostile scenario with a clean error naming the file and the field (${RUNS} runs)`, () => {
    const tally = { tried: 0, clean: 0, accepted: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 0, maxLength: 3 }), (mutations) => {
        const { scenario, wrong } = mutate(mutations);
        tally.tried++;
        let error: unknown;
        try {
          validateScenario(scenario, FILE);
        } catch (err) {
          error = err;
        }
        if (!wrong.length) {
          expect(error, `a valid scenario was refused: ${String(error)}`).to.equal(undefined);
          tally.accepted++;
          return;
        }
        expect(error, `accepted a scenario with wrong ${wrong.join(', ')}`).to.be.instanceOf(Error);
        const message = (error as Error).message;
        expect(message.startsWith(`${FILE}: `), message).to.equal(true);
        // A step is validated whole against the step registry, so a wrong field inside it may be named by the step's path.
        const named = (w: string) =>
          message.includes(w) || (/^preprocessing\.\d+\./.test(w) && message.includes(w.split('.').slice(0, 2).join('.')));
        expect(wrong.some(named), `${message}\n(should name one of ${wrong.join(', ')})`).to.equal(true);
        expect(message, message).to.not.match(RAW);
        tally.clean++;
      }),
      fuzzParams(),
    );
    console.log(
      `    scenario objects: ${tally.tried} inputs tried, ${tally.clean} clean errors, ${tally.accepted} accepted (all valid), 0 crashes`,
    );
  });

  it('refuses a scenario that is itself a Proxy, a cycle or deeply nested, naming the field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [throwingProxy(), /\(scenario\) must be a plain object, not a Proxy/],
      [new Proxy(valid(), {}), /\(scenario\) must be a plain object, not a Proxy/],
      [{ ...valid(), train: throwingProxy() }, /train must be a plain object, not a Proxy/],
      [{ ...valid(), tolerance: { replay: throwingGetter() } }, /tolerance\.replay\.atol must be a plain value, not a getter/],
      [{ ...valid(), tolerance: cyclic() }, /tolerance\.self refers back to an enclosing object/],
      [{ ...valid(), tolerance: classy() }, /tolerance must be a plain object or array/],
      [{ ...valid(), seed: () => 1 }, /seed must be valid|seed .*number/],
      [{ ...valid(), knownDrift: JSON.parse('['.repeat(100) + ']'.repeat(100)) }, /knownDrift(\.0)+ is nested more than 32 levels deep/],
    ];
    for (const [value, expected] of cases) {
      expect(() => validateScenario(value, FILE)).to.throw(Error, expected);
    }
  });
});

describe('scenario hardening: timeoutMs and allowNonFinite', () => {
  it('accepts a positive integer timeoutMs and a boolean allowNonFinite', () => {
    const s = { ...valid(), timeoutMs: 60000, allowNonFinite: true };
    expect(validateScenario(s, FILE)).to.equal(s);
  });

  it('refuses a timeoutMs that is not a positive integer number of milliseconds, and a non-boolean allowNonFinite', () => {
    for (const timeoutMs of [0, -5, 1.5, '1000', NaN, Infinity]) {
      expect(() => validateScenario({ ...valid(), timeoutMs }, FILE), String(timeoutMs)).to.throw(
        /^scenarios\/fuzz\.scenario\.ts: invalid scenario:\n {2}- timeoutMs must be/,
      );
    }
    expect(() => validateScenario({ ...valid(), timeoutMs: 0 }, FILE)).to.throw(
      /timeoutMs must be a positive integer number of milliseconds/,
    );
    expect(() => validateScenario({ ...valid(), allowNonFinite: 'yes' }, FILE)).to.throw(
      /allowNonFinite must be valid: Invalid input: expected boolean/,
    );
  });
});
