// accept's guards and review's answers, on a scratch golden and hand-written obtained files (no hosts).
import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GoldenStore } from '../golden/golden-store.ts';
import { obtainedPath, writeObtained, type ObtainedFile } from '../golden/obtained-outputs.ts';
import { acceptObtained, acceptProblem } from './accept-obtained.ts';
import { reviewObtained, type ReviewItem } from './obtained-review.ts';
import { reviewSession, type ReviewAnswer } from './review-session.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const SCENARIO = 'iris-labels';

describe('accept and review (guards and answers)', () => {
  let dir: string;
  let store: GoldenStore;
  let golden: ObtainedFile;
  const results = () => path.join(dir, 'results');
  const items = async (): Promise<ReviewItem[]> =>
    reviewObtained({ store, results: results(), scenariosDir: path.join(root, 'scenarios'), scenarios: [SCENARIO] });
  /** An obtained file: the golden's cpu outputs with output0[1,2] moved, obtained now by replay. */
  const obtain = async (change: Partial<ObtainedFile> = {}) => {
    const outputs = structuredClone(golden.outputs);
    (outputs.output0!.data as number[])[1 * outputs.output0!.shape[1]! + 2]! += 0.125;
    await writeObtained(results(), { ...golden, outputs, recorded: new Date().toISOString(), ...change });
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-accept-'));
    await cp(path.join(root, 'goldens', SCENARIO), path.join(dir, 'goldens', SCENARIO), { recursive: true });
    store = new GoldenStore(path.join(dir, 'goldens'));
    golden = { ...(await store.readOutputs(SCENARIO, 'cpu'))!, format: 'memory', checks: ['replay'] };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('review shows the worst differing value side by side; accept promotes it and removes the obtained file', async () => {
    await obtain();
    const [item] = await items();
    const d = item!.differences.find((x) => x.output === 'output0')!;
    expect(d.mismatches).to.equal(1);
    expect(d.worst[0]!.index).to.deep.equal([1, 2]);
    expect(d.worst[0]!.absError).to.be.closeTo(0.125, 1e-6);
    expect(item!.differences.find((x) => x.output === 'output0.labels')!.mismatches).to.equal(0);
    const accepted = await acceptObtained(item!, store, results());
    expect(accepted.status).to.equal('accepted');
    const now = await store.readOutputs(SCENARIO, 'cpu');
    expect(now!.outputs).to.deep.equal(item!.obtained.outputs);
    expect(now).not.to.have.property('checks');
    expect(await stat(obtainedPath(results(), SCENARIO, 'cpu')).catch(() => undefined)).to.equal(undefined);
    expect(await stat(path.join(results(), 'obtained', SCENARIO)).catch(() => undefined), 'empty directories go too').to.equal(undefined);
    expect(await store.inspect(SCENARIO, now!.sourceHash)).to.deep.equal({ status: 'ok' });
  });

  it('never accepts an agreement failure, outputs of another scenario source, or outputs that do not fit the probes', async () => {
    await obtain({ checks: ['agreement'] });
    expect(acceptProblem((await items())[0]!)).to.deep.include({ status: 'not-acceptable' });
    expect(acceptProblem((await items())[0]!, { force: true })!.reason).to.match(
      /checks must include replay.*changing a golden does not fix it/,
    );
    await obtain({ sourceHash: 'f'.repeat(64) });
    expect(acceptProblem((await items())[0]!, { force: true })!.reason).to.match(/sourceHash must match the scenario as it is now/);
    const outputs = structuredClone(golden.outputs);
    outputs.output0!.shape[0] = 1;
    outputs.output0!.data = outputs.output0!.data.slice(0, outputs.output0!.shape[1]);
    await obtain({ outputs });
    expect(acceptProblem((await items())[0]!, { force: true })!.reason).to.match(
      /outputs\.output0\.shape\[0\] must be \d+ \(one per probe\), found 1/,
    );
  });

  it('refuses outputs older than the golden or from another tfjs version unless told', async () => {
    await obtain({ recorded: '2000-01-01T00:00:00.000Z' });
    expect(acceptProblem((await items())[0]!)).to.deep.include({ status: 'refused' });
    expect(acceptProblem((await items())[0]!)!.reason).to.match(/recorded must be later than the golden's/);
    expect(acceptProblem((await items())[0]!, { force: true })).to.equal(undefined);
    await obtain({ tfjs: '3.21.0' });
    expect(acceptProblem((await items())[0]!)!.reason).to.match(
      /tfjs must be the golden's version 4\.22\.0, found 3\.21\.0.*--allow-tfjs-change/,
    );
    expect(acceptProblem((await items())[0]!, { allowTfjsChange: true })).to.equal(undefined);
  });

  it('review asks accept / reject / skip in a terminal, and changes nothing without one', async () => {
    await obtain();
    const before = await readFile(store.outputsFile(SCENARIO, 'cpu'), 'utf8');
    const out: string[] = [];
    const shown = await reviewSession(await items(), { store, results: results(), write: (t) => out.push(t) });
    expect(shown.skipped).to.have.length(1);
    expect(out.join('')).to.match(/\[1,2\]/);
    expect(await readFile(store.outputsFile(SCENARIO, 'cpu'), 'utf8')).to.equal(before);
    const asked: ReviewAnswer[][] = [];
    const ask = (answer: ReviewAnswer) => async (_q: string, choices: ReviewAnswer[]) => (asked.push(choices), answer);
    const rejected = await reviewSession(await items(), { store, results: results(), write: () => undefined, ask: ask('reject') });
    expect(rejected.rejected).to.have.length(1);
    expect(asked[0]).to.deep.equal(['accept', 'reject', 'skip', 'quit']);
    expect(await items()).to.deep.equal([]);
    expect(await readFile(store.outputsFile(SCENARIO, 'cpu'), 'utf8')).to.equal(before);
    await obtain();
    const accepted = await reviewSession(await items(), { store, results: results(), write: () => undefined, ask: ask('accept') });
    expect(accepted.accepted.map((a) => a.status)).to.deep.equal(['accepted']);
    expect(await readFile(store.outputsFile(SCENARIO, 'cpu'), 'utf8')).not.to.equal(before);
  });
});
