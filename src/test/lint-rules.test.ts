import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The architecture rules live in eslint.config.js, and a rule that stops resolving imports passes
// everything in silence (it did: the `.js` specifiers did not resolve to `.ts` files, so no zone ever
// matched). Each probe below is a small file with one forbidden import or pattern, linted through
// ESLint's Node API with the repository's own configuration, at a path inside the zone it tests;
// each allowed twin must stay clean, so a rule that fires on everything is noticed too.

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    // The probes are not on disk, so the TypeScript project service cannot type them: lint them
    // without type information. The rules under test read imports and syntax, not types.
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/switch-exhaustiveness-check': 'off' },
    },
  });
});

/** Rule ids reported for `code` linted as if it were the file at `path` (relative to the repository). */
async function rulesFired(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  const messages = result?.messages ?? [];
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`probe ${path} did not parse: ${fatal.message}`);
  return messages.map((m) => m.ruleId ?? '');
}

describe('boundary rules fire (STYLE C6, C7, C17)', { timeout: 60_000 }, () => {
  it('platform imports no module', async () => {
    expect(await rulesFired('src/platform/lint-probe.ts', "import { createRequestsService } from '../modules/requests/index.js';\nexport const x = createRequestsService;\n"))
      .toContain('import-x/no-restricted-paths');
    expect(await rulesFired('src/platform/lint-probe.ts', "import { errorCatalog } from './errors/catalog.js';\nexport const x = errorCatalog;\n"))
      .not.toContain('import-x/no-restricted-paths');
  });

  it("a module imports another module only through that module's index.ts", async () => {
    expect(await rulesFired('src/modules/consent/lint-probe.ts', "import * as repo from '../requests/requests.repo.js';\nexport const x = repo;\n"))
      .toContain('import-x/no-restricted-paths');
    expect(await rulesFired('src/modules/consent/lint-probe.ts', "import * as svc from '../patients/patients.service.js';\nexport const x = svc;\n"))
      .toContain('import-x/no-restricted-paths');
    expect(await rulesFired('src/modules/consent/lint-probe.ts', "import { createRequestsService } from '../requests/index.js';\nexport const x = createRequestsService;\n"))
      .not.toContain('import-x/no-restricted-paths');
  });

  it('a module never imports the composition root', async () => {
    expect(await rulesFired('src/modules/requests/lint-probe.ts', "import type { Deps } from '../../composition.js';\nexport type X = Deps;\n"))
      .toContain('import-x/no-restricted-paths');
  });

  it("the demo seeds through the modules' index.ts only", async () => {
    expect(await rulesFired('src/demo/lint-probe.ts', "import * as repo from '../modules/requests/requests.repo.js';\nexport const x = repo;\n"))
      .toContain('import-x/no-restricted-paths');
    expect(await rulesFired('src/demo/lint-probe.ts', "import { createRequestsService } from '../modules/requests/index.js';\nexport const x = createRequestsService;\n"))
      .not.toContain('import-x/no-restricted-paths');
  });

  it('enrol-totp.ts has no exception: the demo reaches identity only through its index.ts', async () => {
    expect(await rulesFired('src/demo/enrol-totp.ts', "import * as repo from '../modules/identity/identity.repo.js';\nexport const x = repo;\n"))
      .toContain('import-x/no-restricted-paths');
  });

  it('seeding a second factor without its proof is out of reach of production code', async () => {
    expect(await rulesFired('src/modules/consent/lint-probe.ts', "import { seedConfirmedTotp } from '../identity/index.js';\nexport const x = seedConfirmedTotp;\n"))
      .toContain('no-restricted-imports');
    expect(await rulesFired('src/app-probe.ts', "import { seedConfirmedTotp } from './modules/identity/index.js';\nexport const x = seedConfirmedTotp;\n"))
      .toContain('no-restricted-imports');
    expect(await rulesFired('src/modules/consent/lint-probe.ts', "import { totpCode } from '../identity/index.js';\nexport const x = totpCode;\n"))
      .not.toContain('no-restricted-imports');
    expect(await rulesFired('src/demo/lint-probe.ts', "import { seedConfirmedTotp } from '../modules/identity/index.js';\nexport const x = seedConfirmedTotp;\n"))
      .not.toContain('no-restricted-imports');
  });

  it('routes never import their repository', async () => {
    expect(await rulesFired('src/modules/requests/lint.routes.ts', "import * as repo from './requests.repo.js';\nexport const x = repo;\n"))
      .toContain('import-x/no-restricted-paths');
  });

  it('the web imports only src/contracts from the server', async () => {
    expect(await rulesFired('web/src/lint-probe.ts', "import { fixedClock } from '../../src/platform/clock.js';\nexport const x = fixedClock;\n"))
      .toContain('import-x/no-restricted-paths');
    expect(await rulesFired('web/src/lint-probe.ts', "import { ProblemSchema } from '../../src/contracts/problem.js';\nexport const x = ProblemSchema;\n"))
      .not.toContain('import-x/no-restricted-paths');
  });

  it("the web's first-load contracts import zod/mini and each other, never classic zod (bench/README.md)", async () => {
    expect(await rulesFired('src/contracts/directory-public.ts', "import { z } from 'zod';\nexport const X = z.string();\n")).toContain('no-restricted-imports');
    expect(await rulesFired('src/contracts/directory-public.ts', "import { Instant } from './common.js';\nexport const X = Instant;\n")).toContain('no-restricted-imports');
    expect(await rulesFired('src/contracts/directory-public.ts', "import * as z from 'zod/mini';\nimport { SERVICE_MODES } from './registry-reference.js';\nexport const X = z.enum(SERVICE_MODES);\n")).not.toContain('no-restricted-imports');
    expect(await rulesFired('src/contracts/text.ts', "import type { z } from 'zod';\nexport type X = z.ZodType<string>;\n")).not.toContain('no-restricted-imports');
    // Other contracts stay classic.
    expect(await rulesFired('src/contracts/directory.ts', "import { z } from 'zod';\nexport const X = z.string();\n")).not.toContain('no-restricted-imports');
  });

  it('an import cycle is an error', async () => {
    // Linted as platform/clock.ts, which everything imports: importing a module from it closes a cycle.
    expect(await rulesFired('src/platform/clock.ts', "import { createSchedulingService } from '../modules/scheduling/index.js';\nexport const x = createSchedulingService;\n"))
      .toContain('import-x/no-cycle');
    expect(await rulesFired('src/platform/clock.ts', "import { Temporal } from 'temporal-polyfill';\nexport const x = Temporal;\n"))
      .not.toContain('import-x/no-cycle');
  });

  it('a focused test (.only) is an error', async () => {
    for (const only of ["it.only('x', () => {});", "describe.only('x', () => {});", "test.only('x', () => {});"]) {
      expect(await rulesFired('src/lint-probe.test.ts', `import { describe, it, test } from 'vitest';\nvoid describe; void it; void test;\n${only}\n`)).toContain('no-only-tests/no-only-tests');
    }
    expect(await rulesFired('src/lint-probe.test.ts', "import { it } from 'vitest';\nit('x', () => {});\n")).not.toContain('no-only-tests/no-only-tests');
  });

  it('the outer database handle inside its transaction callback is an error (STYLE C7)', async () => {
    const header = "import { withTransaction, type Db } from '../../platform/db/index.js';\nimport { sql } from 'drizzle-orm';\n";
    const fired = (body: string) => rulesFired('src/modules/requests/lint-probe.ts', `${header}${body}\n`);
    expect(await fired("export const f = (deps: { db: Db }) => deps.db.transaction(async (tx) => { await tx.execute(sql`SELECT 1`); await deps.db.execute(sql`SELECT 2`); });"))
      .toContain('distansia/no-outer-db-in-transaction');
    expect(await fired('export const f = (db: Db) => withTransaction(db, async (tx) => { await db.execute(sql`SELECT 1`); return tx; });'))
      .toContain('distansia/no-outer-db-in-transaction');
    expect(await fired('export const f = (db: Db, g: (q: Db) => Promise<void>) => withTransaction(db, async () => { await g(db); });'))
      .toContain('distansia/no-outer-db-in-transaction');
    expect(await fired('export const f = (deps: { db: Db }) => withTransaction(deps.db, async (tx) => { await tx.execute(sql`SELECT 1`); });'))
      .not.toContain('distansia/no-outer-db-in-transaction');
    // A different handle of the same name inside the callback is not the outer one.
    expect(await fired('export const f = (db: Db) => withTransaction(db, async (tx) => { const inner = (db: typeof tx) => db.execute(sql`SELECT 1`); await inner(tx); });'))
      .not.toContain('distansia/no-outer-db-in-transaction');
  });
});
