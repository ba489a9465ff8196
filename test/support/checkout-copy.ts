import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** A copy of this checkout in a temporary directory, as a user's clone elsewhere would be. */
export interface CheckoutCopy {
  dir: string;
  /** Writes the copy's `.env`. */
  writeDotEnv(vars: Record<string, string>): void;
  remove(): void;
}

/**
 * Copies what `node scripts/run.mjs` runs (package.json, scripts/, the built dist/) into a
 * temporary directory; the sources and node_modules are linked, not copied. The built files
 * are copied because Node runs a module from its real path: a linked dist/ would find the
 * checkout this test runs in as its project. Needs `npm run build` first (the e2e setup runs it).
 */
export function copyCheckout(): CheckoutCopy {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-checkout-'));
  for (const file of ['package.json', 'scripts', 'dist']) {
    cpSync(join(ROOT, file), join(dir, file), { recursive: true });
  }
  // run.mjs compares the sources' times with dist/'s: linked sources are older than the copy.
  for (const file of ['node_modules', 'apps', 'libs', 'console', 'tsconfig.json']) {
    symlinkSync(join(ROOT, file), join(dir, file));
  }
  return {
    dir,
    writeDotEnv: (vars) =>
      writeFileSync(
        join(dir, '.env'),
        Object.entries(vars)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      ),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
