import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLATFORM_VARIABLES, variableNames } from '@app/core';
import { serverA } from './server-a/src/server-a.js';
import { serverB } from './server-b/src/server-b.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every variable the project reads: the platform's own, and those each app declares. */
const names = [
  ...new Set([
    ...PLATFORM_VARIABLES,
    ...[serverA, serverB].flatMap((d) => d.variables.flatMap(variableNames)),
  ]),
].sort();

describe('configuration documentation', () => {
  it("finds the platform's variables and each app's", () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'LOG_LEVEL',
        'PORT_A',
        'FINNHUB_API_KEY',
        'PORT_B',
        'WEATHER_PROVIDER',
        'TEXT_MAX_CHARS',
      ]),
    );
    expect(names.length).toBeGreaterThan(45);
  });

  it('lists every variable in .env.example', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const missing = names.filter((n) => !new RegExp(`^#?\\s*${n}=`, 'm').test(example));
    expect(missing).toEqual([]);
  });

  it('describes every variable in the table of docs/configuration.md', () => {
    const readme = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    // The first cell of a table row names one variable or a pair (`PORT_A` / `PORT_B`).
    const firstCells = readme
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|')[1]);
    const missing = names.filter((n) => !firstCells.some((cell) => cell.includes(`\`${n}\``)));
    expect(missing).toEqual([]);
  });
});
