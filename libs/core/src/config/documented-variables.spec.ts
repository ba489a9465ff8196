import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentVariables } from './environment.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Every variable the configuration reads: each property of EnvironmentVariables has a validator. */
function variables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(
    EnvironmentVariables,
    '',
    true,
    false,
  );
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

describe('configuration documentation', () => {
  const names = variables();

  it('finds the variables the configuration reads', () => {
    expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'PORT_A', 'LOG_LEVEL']));
    expect(names.length).toBeGreaterThan(30);
  });

  it('lists every variable in .env.example', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const missing = names.filter((n) => !new RegExp(`^#?\\s*${n}=`, 'm').test(example));
    expect(missing).toEqual([]);
  });

  it("describes every variable in the README's configuration table", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    // The first cell of a table row names one variable or a pair (`PORT_A` / `PORT_B`).
    const firstCells = readme
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|')[1]);
    const missing = names.filter((n) => !firstCells.some((cell) => cell.includes(`\`${n}\``)));
    expect(missing).toEqual([]);
  });
});
