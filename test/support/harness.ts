import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { HttpToolSettings } from '@app/core';
import {
  loadLaunchConfig,
  type ServerDefinition,
  startServers,
  type RunningServers,
} from '@app/platform';
import { serverA } from '../../apps/server-a/src/server-a.js';
import { serverB } from '../../apps/server-b/src/server-b.js';

/** Creates a fresh, empty database for one test file on the run's PostgreSQL; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const admin = process.env.E2E_ADMIN_DATABASE_URL;
  if (!admin)
    throw new Error('E2E_ADMIN_DATABASE_URL is not set: run e2e tests through jest (global setup)');
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs SQL against a database and returns the rows. */
export async function sql<T = Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface TestServers {
  running: RunningServers;
  /** Base URL of Server A (`a`) and Server B (`b`), on ports picked by the OS. */
  a: string;
  b: string;
  stop(): Promise<void>;
}

/** What every test server starts with: quiet logs, and no data provider that needs the internet. */
const TEST_DEFAULTS = {
  LOG_LEVEL: 'error',
  // Tests never reach the internet: the real providers are tested against fixture servers.
  MARKET_DATA_PROVIDER: 'simulated',
  NEWS_PROVIDER: 'simulated',
};

/**
 * Starts any server definitions through the launcher on the given database, with the test
 * defaults and `env` (and nothing from this process's environment). Free ports are the
 * caller's to ask for, by each app's own port variable set to 0.
 */
export async function startTestDefinitions(
  databaseUrl: string,
  definitions: ServerDefinition[],
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<RunningServers> {
  const launch = loadLaunchConfig(definitions, {
    DATABASE_URL: databaseUrl,
    ...TEST_DEFAULTS,
    ...env,
  });
  if (options.resolve) launch.config.httpTools.resolve = options.resolve;
  return startServers(launch);
}

/** What a test may give its servers besides variables. */
export interface TestServerOptions {
  /** The DNS HTTP tools resolve names with (a scripted one plays rebinding); the system's by default. */
  resolve?: HttpToolSettings['resolve'];
}

/** The base URL of a running server started from `definition`. */
export function urlOf(running: RunningServers, definition: ServerDefinition): string {
  return running.servers.find((s) => s.definition === definition)?.url ?? '';
}

/** Boots the real Server A and Server B (both by default) on the given database, on free ports. */
export async function startTestServers(
  databaseUrl: string,
  env: Record<string, string> = {},
  which: Array<'a' | 'b'> = ['a', 'b'],
  options: TestServerOptions = {},
): Promise<TestServers> {
  const running = await startTestDefinitions(
    databaseUrl,
    which.map((k) => (k === 'a' ? serverA : serverB)),
    { PORT_A: '0', PORT_B: '0', ...env },
    options,
  );
  return {
    running,
    a: urlOf(running, serverA),
    b: urlOf(running, serverB),
    stop: () => running.stop(),
  };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON answer that assertions read field by field. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- read field by field

/** A tiny JSON HTTP client for tests. */
export async function http<T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}
