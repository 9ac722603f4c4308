// A scratch project for end-to-end tests, as a user's would look: package.json, the real harness linked
// in (scenario files import ../harness/index.ts), and copies of some scenarios with their goldens and,
// for imported models, their models/<name>/. Tests edit the copies freely; remove the directory after.
import { cp, mkdir, mkdtemp, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export async function scratchProject(prefix: string, scenarios: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `tfjs-repro-${prefix}-`));
  await mkdir(path.join(dir, 'scenarios'));
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await symlink(path.join(root, 'harness'), path.join(dir, 'harness'));
  for (const s of scenarios) {
    await cp(path.join(root, 'scenarios', `${s}.scenario.ts`), path.join(dir, 'scenarios', `${s}.scenario.ts`));
    await cp(path.join(root, 'goldens', s), path.join(dir, 'goldens', s), { recursive: true });
    const models = path.join(root, 'models', s);
    if (await stat(models).catch(() => undefined)) await cp(models, path.join(dir, 'models', s), { recursive: true });
  }
  return dir;
}
