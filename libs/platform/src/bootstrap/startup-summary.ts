import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatabaseHandle, PlatformConfig } from '@app/core';
import { CONSOLE_PATH, consoleDirectory } from '../console/console-static.js';
import type { DataProviderChoice, ServerDefinition } from './server-definition.js';

/** What one started server is summed up from. */
export interface StartedServer {
  definition: ServerDefinition;
  /** Its base URL, e.g. `http://127.0.0.1:3001`. */
  url: string;
  /** Its server id in the database. */
  id: string;
}

/**
 * The one line a server logs once it listens: where it answers (API, Swagger UI, web console,
 * MCP), which data providers it uses, which database, and who may call and change its tools.
 */
export function startupSummary(
  server: StartedServer,
  config: PlatformConfig,
  database: Pick<DatabaseHandle, 'url' | 'origin'>,
  env: Record<string, string | undefined>,
): string {
  const { definition, url, id } = server;
  const consoleNote = existsSync(join(consoleDirectory(), 'index.html'))
    ? `${url}${CONSOLE_PATH}`
    : `${url}${CONSOLE_PATH} (not built: npm run build)`;
  return [
    `${definition.name} (${id}) ready at ${url}`,
    `docs ${url}/docs`,
    `console ${consoleNote}`,
    `MCP ${url}/mcp`,
    `data providers: ${providers(definition.dataProviders?.(env) ?? [])}`,
    `database: ${databaseNote(config, database)}`,
    `auth: ${authNote(config)}`,
  ].join(' | ');
}

function providers(choices: DataProviderChoice[]): string {
  if (choices.length === 0) return 'none';
  return choices.map((c) => `${c.purpose} ${c.variable}=${c.value}`).join(', ');
}

/** Embedded (where its files are) or external (host, port and database, never the credentials). */
function databaseNote(
  config: PlatformConfig,
  database: Pick<DatabaseHandle, 'url' | 'origin'>,
): string {
  if (database.origin !== 'external') {
    const shared = database.origin === 'shared' ? ', shared with another process' : '';
    return `embedded PostgreSQL at ${resolve(config.dataDir)} (port ${config.embeddedDbPort}${shared})`;
  }
  try {
    const u = new URL(database.url);
    return `external PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname} (DATABASE_URL)`;
  } catch {
    return 'external PostgreSQL (DATABASE_URL)';
  }
}

/** Who may call tools and who may change them, as the keys configured decide. */
function authNote(config: PlatformConfig): string {
  const { keys, rateLimitPerMinute } = config.security;
  const callers = keys.size - (keys.hasAdminKey ? 1 : 0);
  const calls = keys.hasCallerKeys
    ? `calls need an API key (${callers} in API_KEYS)`
    : 'calls open to anyone who can connect (API_KEYS not set)';
  const changes = keys.hasAdminKey
    ? 'changes need ADMIN_API_KEY'
    : 'changes from this machine only (ADMIN_API_KEY not set)';
  const limit = rateLimitPerMinute > 0 ? `, ${rateLimitPerMinute} calls/min per caller` : '';
  return `${calls}, ${changes}${limit}`;
}
