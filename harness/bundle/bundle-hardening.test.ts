// A bundle is data from strangers: files that are not regular files, files over their cap, JSON of the
// wrong shape and names outside the safe set are each refused with an error naming the file and field.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { activateBackend, loadRuntime } from '../runtime/load-runtime.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import { sha256, utf8, verifyBundle, type BundleFiles } from './bundle-files.ts';
import { readBundleDir, writeBundleDir } from './bundle-dir.ts';
import { formatNames, formats } from './formats.ts';
import { createBundle } from './save-bundle.ts';

const runtime = await loadRuntime();
const { tf } = runtime;
const scenario = { name: 'hardening' } as TrainedScenario;
// The caps as the harness names them; the fallbacks are for running these tests against a harness without them.
const limits = await import('./bundle-limits.ts').catch(() => ({}) as Record<string, number>);
const MODEL_CAP = (limits as Record<string, number>).MAX_MODEL_JSON_BYTES ?? 8 << 20;
const SHARD_CAP = (limits as Record<string, number>).MAX_WEIGHT_SHARD_BYTES ?? 256 << 20;

const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** The bundle with some files replaced, and the manifest re-hashed so only the intended defect remains. */
function withFiles(files: BundleFiles, changes: Record<string, Uint8Array | string>): BundleFiles {
  const out = new Map(files);
  const manifest = JSON.parse(text(files.get('manifest.json')!));
  for (const [name, v] of Object.entries(changes)) {
    const bytes = typeof v === 'string' ? utf8(v) : v;
    out.set(name, bytes);
    if (name !== 'manifest.json') manifest.files[name] = { sha256: sha256(bytes), bytes: bytes.byteLength };
  }
  if (!('manifest.json' in changes)) out.set('manifest.json', utf8(JSON.stringify(manifest)));
  return out;
}
const modelJson = (files: BundleFiles) => JSON.parse(text(files.get('model.json')!));
async function rejection(p: Promise<unknown>, ms = 5000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([p, hang]);
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(Error);
    return (err as Error).message;
  } finally {
    clearTimeout(timer);
  }
  return 'ACCEPTED: the promise resolved';
}

describe('bundle hardening: bundles are data from strangers', () => {
  let files: BundleFiles;
  let dir: string;
  before(async () => {
    await activateBackend(runtime, 'cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    files = await createBundle({ tf, model, preprocessing: { steps: [] }, scenario: 'hardening', backend: 'cpu' });
    model.dispose();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-hardening-'));
    await writeBundleDir(dir, files);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  describe('only regular files, never followed links', () => {
    it('refuses a weights file that is a symlink to a file inside the bundle', async () => {
      await rename(path.join(dir, 'weights.bin'), path.join(dir, 'real.bin'));
      await symlink('real.bin', path.join(dir, 'weights.bin'));
      expect(await rejection(readBundleDir(dir))).to.match(
        /weights\.bin: links to real\.bin inside the bundle; bundles hold no symbolic links/,
      );
    });

    it('refuses a manifest.json that is a symlink', async () => {
      await rename(path.join(dir, 'manifest.json'), path.join(dir, 'real.json'));
      await symlink('real.json', path.join(dir, 'manifest.json'));
      expect(await rejection(readBundleDir(dir))).to.match(/manifest\.json: links to real\.json inside the bundle/);
    });

    it('refuses a weight shard reached through a symlinked directory inside the bundle', async () => {
      const nested = withFiles(files, {
        'model.json': JSON.stringify({
          ...modelJson(files),
          weightsManifest: [{ ...modelJson(files).weightsManifest[0], paths: ['sub/w.bin'] }],
        }),
        'sub/w.bin': files.get('weights.bin')!,
      });
      nested.delete('weights.bin');
      const m = JSON.parse(text(nested.get('manifest.json')!));
      delete m.files['weights.bin'];
      nested.set('manifest.json', utf8(JSON.stringify(m)));
      await rm(dir, { recursive: true });
      await writeBundleDir(dir, nested);
      await rename(path.join(dir, 'sub'), path.join(dir, 'real-sub'));
      await symlink('real-sub', path.join(dir, 'sub'));
      expect(await rejection(readBundleDir(dir))).to.match(/sub\/w\.bin: sub is a symbolic link, must be a directory of the bundle/);
    });

    it('refuses a manifest.json that is a FIFO, without hanging', async () => {
      await rm(path.join(dir, 'manifest.json'));
      execFileSync('mkfifo', [path.join(dir, 'manifest.json')]);
      expect(await rejection(readBundleDir(dir), 3000)).to.match(/manifest\.json: must be a regular file, found a FIFO/);
    });

    it('refuses a weights file that is a FIFO or a directory, naming what it found', async () => {
      await rm(path.join(dir, 'weights.bin'));
      execFileSync('mkfifo', [path.join(dir, 'weights.bin')]);
      expect(await rejection(readBundleDir(dir), 3000)).to.match(/weights\.bin: must be a regular file, found a FIFO/);
      await rm(path.join(dir, 'weights.bin'));
      await mkdir(path.join(dir, 'weights.bin'));
      expect(await rejection(readBundleDir(dir))).to.match(/weights\.bin: must be a regular file, found a directory/);
    });
  });

  describe('the manifest lists the whole bundle', () => {
    it('refuses a file in the bundle directory that manifest.json does not list, as every load does', async () => {
      await writeFile(path.join(dir, 'extra.bin'), new Uint8Array(4));
      expect(await rejection(readBundleDir(dir))).to.match(/extra\.bin: not listed in manifest\.json; remove it/);
    });

    it('refuses a manifest.json that does not list preprocessing.json, with the file still on disk', async () => {
      const m = JSON.parse(text(files.get('manifest.json')!));
      delete m.files['preprocessing.json'];
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(m));
      expect(await rejection(readBundleDir(dir))).to.match(/manifest\.json: files must list preprocessing\.json/);
    });
  });

  describe('size caps, checked before reading', () => {
    it('refuses a model.json over its cap even when the manifest matches, naming the file, the cap and the size', async () => {
      const big = withFiles(files, { 'model.json': JSON.stringify({ ...modelJson(files), pad: 'x'.repeat(MODEL_CAP) }) });
      await writeBundleDir(dir, big);
      const size = big.get('model.json')!.byteLength;
      expect(await rejection(readBundleDir(dir))).to.match(
        new RegExp(`model\\.json: size ${size} bytes .* over the cap of ${MODEL_CAP} bytes`),
      );
      for (const format of formatNames) {
        expect(await rejection(formats[format].load(big, { tf, scenario, where: 'hardening' })), format).to.match(
          new RegExp(`model\\.json: size ${size} bytes .* over the cap of ${MODEL_CAP} bytes`),
        );
      }
    });

    it('refuses a weight shard over its cap from the manifest, before reading or hashing it (sparse file)', async () => {
      const size = SHARD_CAP + 1;
      await truncate(path.join(dir, 'weights.bin'), size);
      const m = JSON.parse(text(files.get('manifest.json')!));
      m.files['weights.bin'] = { sha256: '0'.repeat(64), bytes: size };
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(m));
      expect(await rejection(readBundleDir(dir))).to.match(
        new RegExp(`weights\\.bin: size ${size} bytes .* over the cap of ${SHARD_CAP} bytes`),
      );
    });

    it('refuses a bundle over the total cap set by TFJS_REPRO_MAX_BUNDLE_BYTES, naming the variable', async () => {
      process.env.TFJS_REPRO_MAX_BUNDLE_BYTES = '100';
      try {
        expect(await rejection(readBundleDir(dir))).to.match(
          /manifest\.json: the bundle's files add up to \d+ bytes.*over the cap of 100 bytes.*TFJS_REPRO_MAX_BUNDLE_BYTES/,
        );
        expect(await rejection(formats.memory.load(files, { tf, scenario, where: 'hardening' }))).to.match(/over the cap of 100 bytes/);
      } finally {
        delete process.env.TFJS_REPRO_MAX_BUNDLE_BYTES;
      }
    });
  });

  describe('model.json and manifest.json by schema, errors naming file and field', () => {
    const modelCases: [string, (j: Record<string, unknown>) => unknown, RegExp][] = [
      ['model.json is null', () => null, /model\.json: \(root\) must be object, found null/],
      [
        'an empty weight group',
        (j) => ({ ...j, weightsManifest: [{}] }),
        /model\.json: weightsManifest\.0\.paths must be array, found undefined/,
      ],
      [
        'paths a string',
        (j) => ({ ...j, weightsManifest: [{ ...(j.weightsManifest as object[])[0], paths: 'weights.bin' }] }),
        /model\.json: weightsManifest\.0\.paths must be array, found string/,
      ],
      [
        'shape a string',
        (j) => ({ ...j, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'k', shape: '3', dtype: 'float32' }] }] }),
        /model\.json: weightsManifest\.0\.weights\.0\.shape must be array, found string/,
      ],
      [
        'a negative dimension',
        (j) => ({ ...j, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'k', shape: [-2, -3], dtype: 'float32' }] }] }),
        /model\.json: weightsManifest\.0\.weights\.0\.shape\.0 must be >=0/,
      ],
      [
        'a string dtype',
        (j) => ({ ...j, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'k', shape: [8], dtype: 'string' }] }] }),
        /model\.json: weightsManifest\.0\.weights\.0\.dtype must be one of/,
      ],
      ['modelTopology null', (j) => ({ ...j, modelTopology: null }), /model\.json: modelTopology must be object, found null/],
      ['an unknown field', (j) => ({ ...j, weightManifest: [] }), /model\.json: \(root\) has unknown field\(s\) "weightManifest"/],
      [
        'a null layer',
        (j) => ({ ...j, modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [null] } } }),
        /model\.json: modelTopology\.config\.layers\.0 must be object, found null/,
      ],
      [
        'a trainingConfig without optimizer',
        (j) => ({ ...j, trainingConfig: { loss: 'meanSquaredError' } }),
        /model\.json: trainingConfig\.optimizer_config must be object, found undefined/,
      ],
    ];
    for (const [what, edit, expected] of modelCases) {
      it(`refuses ${what} in every format and at read time`, async () => {
        const bad = withFiles(files, { 'model.json': JSON.stringify(edit(modelJson(files))) });
        for (const format of formatNames)
          expect(await rejection(formats[format].load(bad, { tf, scenario, where: 'hardening' })), format).to.match(expected);
        await writeBundleDir(dir, bad);
        expect(await rejection(readBundleDir(dir))).to.match(expected);
      });
    }

    it('refuses a "__proto__" key and bytes that are not UTF-8, naming model.json', async () => {
      const proto = text(files.get('model.json')!).replace('{', '{"__proto__":{"polluted":1},');
      expect(await rejection(formats.memory.load(withFiles(files, { 'model.json': proto }), { tf, scenario, where: 'h' }))).to.match(
        /model\.json: __proto__ is not allowed/,
      );
      const bytes = Uint8Array.from(files.get('model.json')!);
      bytes[bytes.indexOf(0x64)] = 0xff; // the first "d" inside a string
      expect(await rejection(formats.memory.load(withFiles(files, { 'model.json': bytes }), { tf, scenario, where: 'h' }))).to.match(
        /model\.json: must be UTF-8 text/,
      );
    });

    const manifestCases: [string, (m: Record<string, unknown>) => unknown, RegExp][] = [
      ['manifest.json is null', () => null, /manifest\.json: \(root\) must be object, found null/],
      [
        'a size that is a string',
        (m) => ({ ...m, files: { ...(m.files as object), 'weights.bin': { sha256: '0'.repeat(64), bytes: '24' } } }),
        /manifest\.json: files\.weights\.bin\.bytes must be number, found string/,
      ],
      [
        'a negative size',
        (m) => ({ ...m, files: { ...(m.files as object), 'weights.bin': { sha256: '0'.repeat(64), bytes: -1 } } }),
        /manifest\.json: files\.weights\.bin\.bytes must be >=0/,
      ],
      ['files an array', (m) => ({ ...m, files: [] }), /manifest\.json: files must be object, found array/],
    ];
    for (const [what, edit, expected] of manifestCases) {
      it(`refuses ${what} in every format and at read time`, async () => {
        const bad = withFiles(files, { 'manifest.json': JSON.stringify(edit(JSON.parse(text(files.get('manifest.json')!)))) });
        for (const format of formatNames)
          expect(await rejection(formats[format].load(bad, { tf, scenario, where: 'hardening' })), format).to.match(expected);
        await writeBundleDir(dir, bad);
        expect(await rejection(readBundleDir(dir))).to.match(expected);
        expect(() => verifyBundle(bad, 'hardening')).to.throw(expected);
      });
    }
  });

  describe('one safe set of weight file names, the same in every format', () => {
    for (const name of ['weights%2Ebin', 'my weights.bin', 'w.bin?x=1', 'ünïcode.bin', `${'a'.repeat(250)}.bin`]) {
      it(`refuses the weight file name ${JSON.stringify(name.length > 40 ? `${name.slice(0, 12)}… (${name.length} characters)` : name)} in memory, file and http alike`, async () => {
        const renamed = withFiles(files, {
          'model.json': JSON.stringify({
            ...modelJson(files),
            weightsManifest: [{ ...modelJson(files).weightsManifest[0], paths: [name] }],
          }),
          [name]: files.get('weights.bin')!,
        });
        renamed.delete('weights.bin');
        const m = JSON.parse(text(renamed.get('manifest.json')!));
        delete m.files['weights.bin'];
        renamed.set('manifest.json', utf8(JSON.stringify(m)));
        for (const format of formatNames) {
          expect(await rejection(formats[format].load(renamed, { tf, scenario, where: 'hardening' })), format).to.match(
            /manifest\.json: files\..*file name ".*" must stay inside the bundle directory, named from one safe set/,
          );
        }
      });
    }

    it('refuses manifest keys that differ only in case (one file on a case-insensitive disk)', async () => {
      const m = JSON.parse(text(files.get('manifest.json')!));
      m.files['Weights.bin'] = m.files['weights.bin'];
      const bad = new Map(files).set('manifest.json', utf8(JSON.stringify(m))).set('Weights.bin', files.get('weights.bin')!);
      for (const format of formatNames)
        expect(await rejection(formats[format].load(bad, { tf, scenario, where: 'hardening' })), format).to.match(
          /manifest\.json: files\.[Ww]eights\.bin: differs from "[Ww]eights\.bin" only in case/,
        );
    });
  });
});
