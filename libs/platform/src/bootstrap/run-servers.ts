import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  ConfigError,
  type Environment,
  type EnvironmentClass,
  loadConfig,
  loadDotEnv,
  maskUrl,
  type PlatformConfig,
  PLATFORM_VARIABLES,
  type ServerSettings,
  type UnknownVariable,
  unknownVariables,
  unknownVariableWarning,
  validateEnvironments,
  variableNames,
} from '@app/core';
import { type DatabaseHandle, resolveDatabase } from '@app/core';
import type { ServerRuntime } from '@app/core';
import { PLATFORM_VERSION } from '@app/core';
import { PinoLoggerService } from '@app/core';
import { createServerTracing, type ServerTracing } from '@app/core';
import { isLoopback } from '@app/http';
import { AuditService } from '@app/tools';
import { createServerApp, platformLogger } from './create-server.js';
import { startupSummary } from './startup-summary.js';
import type { ServerDefinition } from './server-definition.js';
import { McpStdioService } from '@app/mcp';

/** What one launch starts, validated before anything runs. */
export interface LaunchConfig {
  /** The platform's settings, shared by every server. */
  config: PlatformConfig;
  /** The environment it was read from; each app's own namespaces read it too. */
  env: Environment;
  servers: Array<{ definition: ServerDefinition; settings: ServerSettings }>;
  /** Variables set that no server reads but that look like one that does (a likely misspelling). */
  unknown: UnknownVariable[];
}

/**
 * Reads the platform's variables and every variable the definitions declare, from one
 * environment. Throws one {@link ConfigError} listing every bad variable (secrets never shown),
 * so a mistake is found before the database or any server starts. The servers' variables join
 * the platform's among those HTTP tools may never read.
 */
export function loadLaunchConfig(
  definitions: ServerDefinition[],
  env: Environment = process.env,
  alsoProtected: EnvironmentClass[] = [],
): LaunchConfig {
  const problems = new Set<string>();
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const problem of err.problems) problems.add(problem);
      return undefined;
    }
  };
  const declared = definitions.flatMap((d) => d.variables);
  const config = attempt(() =>
    loadConfig(env, [...declared, ...alsoProtected].flatMap(variableNames)),
  );
  attempt(() => validateEnvironments(declared, env));
  const servers = definitions.flatMap((definition) => {
    const settings = attempt(() => definition.settings(env));
    return settings ? [{ definition, settings }] : [];
  });
  const ids = new Map<string, string[]>();
  for (const { definition, settings } of servers) {
    ids.set(settings.id, [...(ids.get(settings.id) ?? []), definition.name]);
  }
  for (const [id, names] of ids) {
    if (names.length > 1) {
      problems.add(`${names.join(' and ')} would share the server id '${id}': give each its own`);
    }
  }
  if (problems.size > 0 || !config) throw new ConfigError([...problems]);
  const known = [...PLATFORM_VARIABLES, ...[...declared, ...alsoProtected].flatMap(variableNames)];
  return { config, env, servers, unknown: unknownVariables(env, known) };
}

/** Servers started together with the database they use. */
export interface RunningServers {
  config: PlatformConfig;
  database: DatabaseHandle;
  servers: Array<{
    definition: ServerDefinition;
    runtime: ServerRuntime;
    app: NestExpressApplication;
    url: string;
  }>;
  /**
   * Closes every server at once through Nest's lifecycle (each refuses new requests with
   * 503, lets its calls in flight finish within SHUTDOWN_GRACE_MS, closes its listening
   * streams and its HTTP server, then flushes its audit and closes its database pool),
   * then stops the embedded database if this process started it.
   */
  stop(): Promise<void>;
  /**
   * The last resort when {@link stop} hangs: writes what the audits still hold and stops
   * the embedded database, each bounded in time. The caller exits afterwards.
   */
  forceStop(): Promise<void>;
}

/** How long forceStop gives the audit flush and the database stop, each. */
const FORCE_STEP_MS = 3000;

/** How {@link startServers} serves: HTTP listeners (default) or MCP over this process's stdio. */
export interface StartOptions {
  /** Serve the one given server over stdin/stdout instead of listening on HTTP. */
  stdio?: boolean;
}

/** Starts the servers of a launch on one database (DATABASE_URL or embedded) and returns once they serve. */
export async function startServers(
  launch: LaunchConfig,
  options: StartOptions = {},
): Promise<RunningServers> {
  const { config } = launch;
  if (options.stdio && launch.servers.length !== 1) {
    throw new Error("--stdio serves exactly one server: run one server's own entry point");
  }
  Logger.overrideLogger(new PinoLoggerService(platformLogger(config, options.stdio)));
  const logger = new Logger('Launcher');
  const database = await resolveDatabase(config, (m) => logger.log(m));
  logger.log(`database ${maskUrl(database.url)} (${database.origin})`);
  for (const variable of launch.unknown) logger.warn(unknownVariableWarning(variable));
  logSecurityPosture(launch, logger);
  if (config.tracing) logger.log(`tracing: spans exported to ${maskUrl(config.tracing.tracesUrl)}`);
  const servers: RunningServers['servers'] = [];
  const tracings: ServerTracing[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      // Together, so that the servers of one process share one grace period.
      const closed = await Promise.allSettled(servers.map((s) => s.app.close()));
      for (const result of closed) {
        if (result.status === 'rejected') {
          logger.error(`closing a server failed: ${(result.reason as Error).message}`);
        }
      }
      // After the apps: every request span has ended, so the last batch holds them all.
      await Promise.all(tracings.map((t) => t.shutdown()));
      await database.stop();
    })());
  const forceStop = async () => {
    await within(
      Promise.allSettled(servers.map((s) => s.app.get(AuditService).flush())),
      FORCE_STEP_MS,
    );
    await within(database.stop(), FORCE_STEP_MS);
  };
  try {
    for (const { definition, settings } of launch.servers) {
      const server = { ...settings, name: definition.name, version: PLATFORM_VERSION };
      // One provider per server, not per process: each has its own resource (service.name).
      const tracing = config.tracing && createServerTracing(config.tracing, server);
      if (tracing) tracings.push(tracing);
      const runtime: ServerRuntime = {
        server,
        config,
        env: launch.env,
        databaseUrl: database.url,
        startedAt: new Date(),
        stdio: options.stdio,
        tracing,
      };
      const app = await createServerApp(definition, runtime);
      if (options.stdio) {
        await app.init();
        app.get(McpStdioService).serve();
        servers.push({ definition, runtime, app, url: 'stdio' });
        logger.log(`${definition.name} (${settings.id}) serving MCP on stdin/stdout`);
        continue;
      }
      await app.listen(settings.port, settings.host);
      runtime.server.port = (app.getHttpServer().address() as AddressInfo).port;
      const scheme = config.security.tls ? 'https' : 'http';
      const url = `${scheme}://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${runtime.server.port}`;
      servers.push({ definition, runtime, app, url });
      logger.log(
        startupSummary({ definition, url, id: settings.id }, config, database, launch.env),
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { config, database, servers, stop, forceStop };
}

/** Says at start who may change and call tools, so an exposed server is never open by surprise. */
function logSecurityPosture({ config, servers }: LaunchConfig, logger: Logger): void {
  const { keys, rateLimitPerMinute, rateLimitStore, tls, oauth } = config.security;
  if (oauth) {
    logger.log(
      `OAuth resource-server mode: access tokens of ${oauth.issuer} accepted (${oauth.algorithms.join(', ')}); tools:admin or the admin key needed for changes`,
    );
  } else if (!keys.hasAdminKey) {
    logger.warn(
      'ADMIN_API_KEY is not set: tools can be registered, changed and deleted from this machine (loopback) only',
    );
  }
  const exposed = servers
    .map((s) => s.settings)
    .filter((s) => !isLoopback(s.host) && s.host !== 'localhost');
  if (exposed.length > 0 && !keys.hasCallerKeys && !oauth) {
    logger.warn(
      `listening beyond loopback (${exposed.map((s) => s.host).join(', ')}) with no API_KEYS: anyone who can reach the port can call tools`,
    );
  }
  logger.log(
    `auth: admin key ${keys.hasAdminKey ? 'set' : 'not set'}, ${keys.size - (keys.hasAdminKey ? 1 : 0)} caller key(s); ` +
      `rate limit ${rateLimitPerMinute > 0 ? `${rateLimitPerMinute}/min per caller (${rateLimitStore === 'postgres' ? 'shared by all processes' : 'per process'})` : 'off'}; ${tls ? 'HTTPS' : 'HTTP'}`,
  );
}

/**
 * What closing may take beyond SHUTDOWN_GRACE_MS (the audit's last batch, database pools,
 * traces, the embedded database) before the process gives up and exits 1.
 */
export const FORCED_EXIT_MARGIN_MS = 5000;

/** Resolves when `work` settles or after `ms`, whichever comes first; never rejects. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** How {@link runServers} is told about the servers it does not start. */
export interface RunOptions {
  /**
   * Variables of other servers of the project, which share its `.env`: HTTP tools of the
   * servers started may not read them either (a server started alone still keeps another's
   * provider key out of reach).
   */
  alsoProtected?: EnvironmentClass[];
  /**
   * The project's directory: its `.env` is read from there and a relative `DATA_DIR` resolves
   * against it, so a server started by a desktop client from any working directory has the
   * settings and the database `npm start` has. The working directory when not given.
   */
  projectDir?: string;
}

/**
 * The command-line entry: reads the project's `.env` and the environment, starts the servers,
 * and stops everything cleanly on SIGINT/SIGTERM (exit 0) or a start-up error (exit 1).
 * A shutdown that has not finished SHUTDOWN_GRACE_MS + {@link FORCED_EXIT_MARGIN_MS} after
 * the signal still writes the audit and stops the database, then exits 1.
 * With `--stdio` it serves its one server over stdin/stdout and stops when stdin closes.
 */
export async function runServers(
  definitions: ServerDefinition[],
  options: RunOptions = {},
): Promise<void> {
  const stdio = process.argv.slice(2).includes('--stdio');
  const projectDir = options.projectDir ?? process.cwd();
  loadDotEnv(projectDir);
  let launch: LaunchConfig;
  try {
    launch = loadLaunchConfig(definitions, process.env, options.alsoProtected);
    launch.config.dataDir = resolve(projectDir, launch.config.dataDir);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // In MCP stdio mode stdout carries protocol messages only: every log line goes to stderr.
  if (stdio) launch.config.logDestination = 'stderr';
  Logger.overrideLogger(new PinoLoggerService(platformLogger(launch.config)));
  const logger = new Logger('Launcher');
  let startup: Promise<RunningServers> | undefined;
  let stopping = false;
  const running = () => startup?.catch(() => undefined);
  const shutdown = (signal: string) => {
    // One shutdown: a Ctrl-C reaches the process twice under npm or nest start (from the
    // terminal to the whole group, and forwarded by the parent).
    if (stopping) return;
    stopping = true;
    const graceMs = launch.config.shutdownGraceMs;
    logger.log(`${signal} received, shutting down (calls in flight have ${graceMs} ms)`);
    const force = setTimeout(() => {
      logger.error(
        `shutdown still running ${graceMs + FORCED_EXIT_MARGIN_MS} ms after ${signal}; writing the audit, stopping the database and exiting`,
      );
      void (async () => (await running())?.forceStop())().finally(() => process.exit(1));
    }, graceMs + FORCED_EXIT_MARGIN_MS);
    force.unref();
    // A signal during start-up waits for it, so the embedded database is never left running.
    void (async () => (await running())?.stop())().then(
      () => {
        logger.log('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error(`shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (stdio) process.stdin.once('end', () => shutdown('end of stdin'));
  try {
    startup = startServers(launch, { stdio });
    await startup;
  } catch (err) {
    logger.error(`start-up failed: ${(err as Error).message}`);
    process.exit(1);
  }
}
