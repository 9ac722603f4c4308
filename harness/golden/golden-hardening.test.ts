// Issue 8, items 4, 7, 8: strict golden data, a golden store safe under concurrency, `list` that tells the truth.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GoldenStore, type GoldenContent } from './golden-store.ts';

const repo = path.resolve(import.meta.dirname, '..', '..');
const HASH = 'a'.repeat(64);
const prov = (backend = 'cpu', scenario = 's') => ({
  scenario,
  sourceHash: HASH,
  tfjs: '4.22.0',
  backend,
  node: 'v20',
  platform: 'linux-x64',
  recorded: 'now',
});
function content(value: number): GoldenContent {
  return {
    bundle: new Map([['model.json', new TextEncoder().encode(`{"v":${value}}`)]]),
    probes: { ...prov(), inputs: [[1, 2]] },
    outputs: { cpu: { ...prov(), outputs: { output0: { shape: [1], dtype: 'float32', data: [value] } } } },
  };
}
async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}

describe('golden hardening: strict data', () => {
  let root: string;
  let store: GoldenStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'golden-hardening-'));
    store = new GoldenStore(root);
    await store.write('s', content(1));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));
  const outputsText = (tensor: string, provenance = prov()) =>
    `{${JSON.stringify(provenance).slice(1, -1)},"outputs":{"output0":${tensor}}}`;
  const readWith = async (text: string, file = store.outputsFile('s', 'cpu')) => {
    await writeFile(file, text);
    return errorOf(store.readOutputs('s', 'cpu'));
  };

  it('refuses int32 values that are not integers or outside int32, and bool values other than 0 and 1', async () => {
    expect(await readWith(outputsText('{"shape":[2],"dtype":"int32","data":[1,0.9]}'))).to.match(
      /outputs\/cpu\.json: outputs\.output0\.data\[1\] must be an integer in int32's range.*found 0\.9/,
    );
    expect(await readWith(outputsText('{"shape":[1],"dtype":"int32","data":[4294967297]}'))).to.match(
      /outputs\.output0\.data\[0\] must be an integer in int32's range/,
    );
    expect(await readWith(outputsText('{"shape":[1],"dtype":"int32","data":["NaN"]}'))).to.match(
      /outputs\.output0\.data\[0\] must be an integer/,
    );
    expect(await readWith(outputsText('{"shape":[2],"dtype":"bool","data":[1,2]}'))).to.match(/outputs\.output0\.data\[1\] must be 0 or 1/);
    expect(await readWith(outputsText('{"shape":[3],"dtype":"int32","data":[-2147483648,0,2147483647]}'))).to.equal('accepted');
  });

  it('refuses a float32 value float32 would turn into Infinity, keeps the largest float32 as written', async () => {
    expect(await readWith(outputsText('{"shape":[1],"dtype":"float32","data":[3.5e38]}'))).to.match(
      /data\[0\] must be within float32's range/,
    );
    expect(await readWith(outputsText('{"shape":[1],"dtype":"float32","data":[-1e300]}'))).to.match(
      /data\[0\] must be within float32's range/,
    );
    expect(await readWith(outputsText('{"shape":[1],"dtype":"float32","data":[1e999]}'))).to.match(
      /data\[0\] must be within float32's range/,
    );
    expect(await readWith(outputsText('{"shape":[1],"dtype":"float32","data":["Inf"]}'))).to.match(
      /data\[0\] must be a number or one of "NaN"/,
    );
    expect(await readWith(outputsText('{"shape":[2],"dtype":"float32","data":[3.4028235e38,-3.4028234663852886e38]}'))).to.equal(
      'accepted',
    );
  });

  it('refuses data that does not fill the shape when the file is read, not later', async () => {
    expect(await readWith(outputsText('{"shape":[2,2],"dtype":"float32","data":[1,2,3]}'))).to.match(
      /outputs\.output0\.data must have 4 values for shape \[2,2\], found 3/,
    );
  });

  it('refuses duplicate keys and __proto__ keys in every golden file, naming the field', async () => {
    expect(await readWith(outputsText('{"shape":[1],"dtype":"float32","dtype":"int32","data":[1]}'))).to.match(
      /outputs\/cpu\.json: outputs\.output0\.dtype appears twice; keep one/,
    );
    expect(
      await readWith(
        outputsText('{"shape":[1],"dtype":"float32","data":[1]}').replace(
          '"outputs":{',
          '"outputs":{"output0":{"shape":[1],"dtype":"float32","data":[9]},',
        ),
      ),
    ).to.match(/outputs\.output0 appears twice/);
    expect(
      await readWith(outputsText('{"shape":[1],"dtype":"float32","data":[1]}').replace('{"scenario"', '{"\\u0073cenario":"s","scenario"')),
    ).to.match(/scenario appears twice/);
    expect(await readWith(outputsText('{"shape":[1],"dtype":"float32","data":[1],"__proto__":{}}'))).to.match(
      /outputs\.output0\.__proto__ is not allowed/,
    );
    const probes = path.join(root, 's', 'probes.json');
    await writeFile(probes, `{"inputs":[[1]],${JSON.stringify(prov()).slice(1, -1)},"inputs":[[1,2]]}`);
    expect(await errorOf(store.readProbes('s'))).to.match(/probes\.json: inputs appears twice/);
  });

  it('refuses an outputs file whose provenance names another scenario or backend than its path', async () => {
    const tensor = '{"shape":[1],"dtype":"float32","data":[1]}';
    expect(await readWith(outputsText(tensor, prov('wasm')))).to.match(
      /outputs\/cpu\.json: backend must be "cpu" \(from the file's path\), found "wasm"/,
    );
    expect(await readWith(outputsText(tensor, prov('cpu', 'other')))).to.match(
      /outputs\/cpu\.json: scenario must be "s" \(from the file's path\), found "other"/,
    );
    await writeFile(path.join(root, 's', 'probes.json'), JSON.stringify({ ...prov('cpu', 'other'), inputs: [[1, 2]] }));
    expect(await errorOf(store.readProbes('s'))).to.match(/probes\.json: scenario must be "s".*found "other"/);
  });

  it('validates probes.json rows for type and shape, naming the file and the field path', async () => {
    const file = path.join(root, 's', 'probes.json');
    const probesWith = async (inputs: unknown) => {
      await writeFile(file, JSON.stringify({ ...prov(), inputs }));
      return errorOf(store.readProbes('s'));
    };
    expect(
      await probesWith([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, true],
      ]),
    ).to.match(/s\/probes\.json: inputs\[3\]\[1\] must be a number or string, or an array of them, found boolean true/);
    expect(await probesWith([[1, 2], [3]])).to.match(
      /probes\.json: inputs\[1\] must have the structure of inputs\[0\] \(\[2\] of number\), found \[1\] of number/,
    );
    expect(await probesWith([[[1, 2], [3]]])).to.match(/probes\.json: inputs\[0\]\[1\] must have the shape and type of inputs\[0\]\[0\]/);
    expect(await probesWith([{ a: [1] }, { a: [1], b: 'x' }])).to.match(/probes\.json: inputs\[1\] must have the structure of inputs\[0\]/);
    expect(await probesWith([{ a: null }])).to.match(/probes\.json: inputs\[0\]\.a must be a number or string/);
    expect(await probesWith('rows')).to.match(/probes\.json: inputs must be an array of probe rows/);
    expect(await probesWith([])).to.match(/probes\.json: inputs must hold at least one probe row/);
    expect(
      await probesWith([
        { a: [1, 2], t: 'x y' },
        { a: [3, 4], t: 'z' },
      ]),
    ).to.equal('accepted');
  });

  it('accepts an environment fingerprint in the provenance of outputs, and only a map of strings', async () => {
    const tensor = '{"shape":[1],"dtype":"float32","data":[1]}';
    expect(
      await readWith(outputsText(tensor, { ...prov(), fingerprint: { cpu: 'avx2,avx512f', browser: 'Chromium 156' } } as never)),
    ).to.equal('accepted');
    expect(await readWith(outputsText(tensor, { ...prov(), fingerprint: { cpu: 3 } } as never))).to.match(/fingerprint\.cpu must be valid/);
  });
});

describe('golden hardening: list tells the truth', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'golden-hardening-list-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reports a golden whose reference outputs are missing, or disagree with probes.json, as invalid with the file and field', async () => {
    const store = new GoldenStore(root);
    await store.write('s', content(1));
    await rm(store.outputsFile('s', 'cpu'));
    const missing = await store.inspect('s', HASH);
    expect(missing).to.include({ status: 'invalid', file: path.relative(process.cwd(), store.outputsFile('s', 'cpu')), field: '(file)' });
    expect(missing.error).to.match(/outputs\/cpu\.json: is missing: probes\.json was recorded on cpu/);
    await store.write('s', {
      ...content(1),
      outputs: { cpu: { ...prov(), outputs: { output0: { shape: [2], dtype: 'float32', data: [1, 2] } } } },
    });
    expect(await store.inspect('s', HASH)).to.include({ status: 'invalid', field: 'outputs.output0.shape[0]' });
    await writeFile(store.outputsFile('s', 'cpu'), '{"scenario":');
    expect(await store.inspect('s', HASH)).to.include({ status: 'invalid', field: '(root)' });
  });
});

describe('golden hardening: concurrent writers and readers', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'golden-hardening-lock-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));
  const valueOf = async (s = 's') => (await new GoldenStore(root).readOutputs(s, 'cpu'))!.outputs.output0!.data[0];

  it('a reader that arrives mid-swap waits for the writer and never moves its golden back', async () => {
    const { lockGoldens } = await import('./golden-lock.ts');
    await new GoldenStore(root).write('s', content(1));
    // A writer mid-swap: it holds the lock, has moved the old golden aside, not yet moved the new one in.
    const lock = (await lockGoldens(root))!;
    await rename(path.join(root, 's'), path.join(root, '.old-s'));
    await mkdir(path.join(root, '.tmp-s-1-abcd', 'outputs'), { recursive: true });
    await new GoldenStore(root).recover();
    expect((await readdir(root)).sort()).to.deep.equal(['.lock', '.old-s', '.tmp-s-1-abcd']);
    const reader = new GoldenStore(root).status('s', HASH);
    await new Promise((r) => setTimeout(r, 50));
    await writeFile(path.join(root, '.tmp-s-1-abcd', 'probes.json'), '');
    await rename(path.join(root, '.tmp-s-1-abcd'), path.join(root, 's'));
    await rm(path.join(root, '.old-s'), { recursive: true });
    await lock.release();
    // The reader waited and saw the writer's golden (here an empty, invalid probes.json), not the old one.
    expect(await reader).to.equal('invalid');
  });

  it('many writers and readers in one process never leave a broken or reverted golden', async function () {
    this.timeout(30000);
    await new GoldenStore(root).write('s', content(0));
    const errors: string[] = [];
    let done = false;
    const readers = Array.from({ length: 4 }, async () => {
      while (!done) {
        const store = new GoldenStore(root);
        const status = await store.status('s', HASH);
        if (status !== 'ok') errors.push(`status ${status}`);
        await store.list();
      }
    });
    for (let round = 1; round <= 10; round++) {
      await Promise.all(
        [1, 2, 3].map((w) =>
          new GoldenStore(root).write('s', content(round * 10 + w)).catch((e: Error) => {
            errors.push(e.message);
          }),
        ),
      );
      expect(Math.floor(Number(await valueOf()) / 10), `round ${round}`).to.equal(round);
    }
    done = true;
    await Promise.all(readers);
    expect(errors).to.deep.equal([]);
    expect(await readdir(root)).to.deep.equal(['s']);
  });

  it('a writer in another process and readers here never leave a broken or reverted golden', async function () {
    this.timeout(60000);
    await new GoldenStore(root).write('s', content(0));
    const script = `import { GoldenStore } from ${JSON.stringify(path.join(import.meta.dirname, 'golden-store.ts'))};
      const c = ${content.toString()};
      const prov = ${prov.toString()};
      const HASH = ${JSON.stringify(HASH)};
      for (let i = 1; i <= 30; i++) await new GoldenStore(${JSON.stringify(root)}).write('s', c(i));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    let running = true;
    void exited.then(() => {
      running = false;
    });
    const seen: number[] = [];
    while (running) {
      const store = new GoldenStore(root);
      expect(await store.status('s', HASH)).to.equal('ok');
      seen.push(Number(await valueOf()));
    }
    expect(await exited, stderr).to.equal(0);
    expect(
      seen.every((v, i) => i === 0 || v >= seen[i - 1]!),
      `values went back: ${seen}`,
    ).to.equal(true);
    expect(await valueOf()).to.equal(30);
    expect(await readdir(root)).to.deep.equal(['s']);
  });

  it('takes over the lock of a SIGKILLed writer after the stale time and cleans up after it', async function () {
    this.timeout(30000);
    // The shortest stale time there is, for the writer and the reader alike: the wait is the point, not its length.
    const { LOCK_STALE_MIN_MS: stale } = await import('./golden-lock.ts');
    await new GoldenStore(root).write('s', content(1));
    const script = `import { lockGoldens } from ${JSON.stringify(path.join(import.meta.dirname, 'golden-lock.ts'))};
      import { mkdir, rename } from 'node:fs/promises';
      await lockGoldens(${JSON.stringify(root)}, true, ${stale});
      await rename(${JSON.stringify(path.join(root, 's'))}, ${JSON.stringify(path.join(root, '.old-s'))});
      await mkdir(${JSON.stringify(path.join(root, '.tmp-s-1-abcd'))});
      console.log('mid-swap'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const start = Date.now();
    expect(await new GoldenStore(root, { lockStaleMs: stale }).list()).to.deep.equal(['s']);
    const waited = Date.now() - start;
    expect(waited).to.be.below(stale + 2000);
    expect(await valueOf()).to.equal(1);
    expect(await readdir(root)).to.deep.equal(['s']);
  });

  it('takes over a lock whose mtime is older than the stale time at once', async () => {
    await new GoldenStore(root).write('s', content(1));
    await mkdir(path.join(root, '.lock'));
    const past = new Date(Date.now() - 60_000);
    await utimes(path.join(root, '.lock'), past, past);
    await writeFile(path.join(root, 's', 'outputs', 'cpu.json.1-ab.tmp'), '{');
    const start = Date.now();
    await new GoldenStore(root).list();
    expect(Date.now() - start).to.be.below(1000);
    expect(await readdir(path.join(root, 's', 'outputs'))).to.deep.equal(['cpu.json']);
    expect(JSON.parse(await readFile(path.join(root, 's', 'probes.json'), 'utf8')).scenario).to.equal('s');
  });
});
