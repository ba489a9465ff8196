#!/usr/bin/env node
// Starts a server entry point, building first when the sources are newer than dist/.
// Build output goes to stderr so that `--stdio` keeps stdout for MCP messages only.
// The server runs in this very process (imported, not spawned), so a signal sent to it is a
// signal to the server. The package.json scripts say `exec node ...`: npm runs a script
// through `sh -c`, and without `exec` the shell would sit between npm and node, die of
// the SIGTERM npm forwards to it and leave the servers and PostgreSQL running.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entries = {
  all: 'dist/apps/main.js',
  'server-a': 'dist/apps/server-a/src/main.js',
  'server-b': 'dist/apps/server-b/src/main.js',
};

const target = process.argv[2];
if (!(target in entries) && target !== 'build') {
  console.error(`usage: node scripts/run.mjs <${Object.keys(entries).join('|')}|build> [--stdio]`);
  process.exit(2);
}

function newestSource(dir, pattern = /\.ts$/, skip = new Set()) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.has(entry.name)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path, pattern, skip));
    else if (pattern.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

// The build's own record (tsconfig.build.json): `tsc --noEmit` on tsconfig.json keeps its
// record apart, or a type check would make a stale dist/ look up to date.
const stamp = join(root, 'dist/.build.tsbuildinfo');
const entry = join(root, entries[target] ?? entries.all);
// The views are browser code with their own build and stamp (below), not tsc's.
const notTsc = new Set(['views', 'view-kit']);
const sources = Math.max(
  newestSource(join(root, 'apps'), /\.ts$/, notTsc),
  newestSource(join(root, 'libs'), /\.ts$/, notTsc),
  statSync(join(root, 'tsconfig.json')).mtimeMs,
);
// The web console has its own stamp: tsc leaves its record alone when no .ts changed.
const consoleStale =
  mtime(join(root, 'dist/console/index.html')) <
  newestSource(join(root, 'console'), /\.(tsx?|css|html|svg)$/);
// So have the MCP Apps views (apps/<app>/views and their kit in libs/view-kit).
const viewSources = /\.(ts|css|html)$/;
const viewsStale =
  mtime(join(root, 'dist/views')) <
  Math.max(
    newestSource(join(root, 'libs/view-kit'), viewSources),
    ...readdirSync(join(root, 'apps'))
      .map((app) => join(root, 'apps', app, 'views'))
      .filter((dir) => existsSync(dir))
      .map((dir) => newestSource(dir, viewSources)),
  );
if (
  !existsSync(entry) ||
  !existsSync(stamp) ||
  statSync(stamp).mtimeMs < sources ||
  consoleStale ||
  viewsStale
) {
  process.stderr.write('building (npm run build)...\n');
  const build = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

if (target !== 'build') {
  process.argv.splice(2, 1);
  await import(pathToFileURL(entry).href);
}
