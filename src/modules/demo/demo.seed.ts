import { writeFile, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Deps } from '../../composition.js';

/** Seeds the demo on first start; later issues extend it here (one module for all demo data). */
export async function seedDemo(deps: Deps): Promise<{ created: boolean; accountsFile: string }> {
  const accountsFile = resolve(deps.config.DATA_DIR, 'demo-accounts.json');
  await mkdir(resolve(deps.config.DATA_DIR), { recursive: true });
  await writeFile(accountsFile, '[]\n');
  return { created: false, accountsFile };
}
