import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../support/process.js';

const root = resolve(import.meta.dirname, '../../..');

export interface Stack {
  a: string;
  b: string;
  /** Everything the process printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the project exactly as `npm start` does (scripts/run.mjs all: built console, both
 * servers, embedded PostgreSQL in a fresh data directory) on free ports, with the simulated data
 * providers, and waits until both servers are healthy.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const [portA, portB, dbPort] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'mcp-browser-'));
  // The embedded PostgreSQL runs as an unprivileged user that must reach its data directory.
  chmodSync(dir, 0o711);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT_A: String(portA),
    PORT_B: String(portB),
    EMBEDDED_DB_PORT: String(dbPort),
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'warn',
    // No internet here: the providers' offline stand-ins keep results deterministic.
    MARKET_DATA_PROVIDER: 'simulated',
    NEWS_PROVIDER: 'simulated',
    WEATHER_PROVIDER: 'simulated',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  let output = '';
  // cwd is the temp directory so that a developer's .env is not read.
  const child: ChildProcess = spawn(process.execPath, [join(root, 'scripts/run.mjs'), 'all'], {
    cwd: dir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const a = `http://127.0.0.1:${portA}`;
  const b = `http://127.0.0.1:${portB}`;
  const deadline = Date.now() + 90000;
  try {
    for (const url of [a, b]) {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the servers exited early:\n${output}`);
        if (Date.now() > deadline) throw new Error(`the servers did not start:\n${output}`);
        const ok = await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { a, b, output: () => output, stop };
}

const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, with every background connection off (this machine has no
 * internet). Playwright gives each launch a fresh temporary --user-data-dir of its own.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const SCREENSHOT_DIR = join(root, 'test-results', 'console');

/** Saves a screenshot (the full page unless told otherwise) under test-results/console/. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Follows a page's requests and errors: every URL it asked for and every script error or
 * console error other than the browser's own note about a 4xx/5xx answer (which the console
 * shows to the user on purpose).
 */
export function watch(page: Page): { urls: string[]; errors: string[] } {
  const seen = { urls: [] as string[], errors: [] as string[] };
  page.on('request', (r) => seen.urls.push(r.url()));
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      seen.errors.push(`console: ${m.text()}`);
    }
  });
  return seen;
}
