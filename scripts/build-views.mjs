#!/usr/bin/env node
// Builds every MCP Apps view (apps/<app>/views/<view>/index.html) into one self-contained HTML
// document, dist/views/<app>/<view>.html: scripts and styles inlined (vite-plugin-singlefile),
// since a host renders the document alone, with no origin to load anything from. Reports each
// view's size, and fails when a view would load anything from elsewhere.
import { readdirSync, readFileSync, existsSync, statSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'views');
// Built aside and moved into place at the end: an interrupted build leaves the old views (or
// none), never a half set that looks up to date.
const out = join(root, 'dist', '.views-building');

/** A src, href or url() that leaves the document (a data: URI or a fragment stays inside). */
const EXTERNAL =
  /\b(?:src|href)\s*=\s*["']?(?!data:|#|["'])[^\s"'>]+|url\(\s*["']?(?!data:|#)[a-z]+:/gi;

const views = [];
for (const app of readdirSync(join(root, 'apps'))) {
  const dir = join(root, 'apps', app, 'views');
  if (!existsSync(dir)) continue;
  for (const view of readdirSync(dir)) {
    if (existsSync(join(dir, view, 'index.html'))) views.push({ app, view, dir: join(dir, view) });
  }
}

rmSync(out, { recursive: true, force: true });
for (const { app, view, dir } of views) {
  const outDir = join(out, app, view);
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    base: './',
    publicDir: false,
    plugins: [viteSingleFile({ removeViteModuleLoader: true })],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
    },
  });
  const file = join(out, app, `${view}.html`);
  renameSync(join(outDir, 'index.html'), file);
  rmSync(outDir, { recursive: true, force: true });
  const html = readFileSync(file, 'utf8');
  const external = html.match(EXTERNAL);
  if (external) {
    console.error(
      `view ${app}/${view} refers to other documents: ${external.slice(0, 3).join(', ')}`,
    );
    process.exit(1);
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
  process.stderr.write(
    `view ${`${app}/${view}`.padEnd(24)} ${kb(statSync(file).size).padStart(9)}  (gzip ${kb(gzipSync(html).length)})\n`,
  );
}
rmSync(target, { recursive: true, force: true });
renameSync(out, target);
