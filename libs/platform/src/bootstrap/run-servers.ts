import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, loadDotEnv, maskUrl, type PlatformConfig } from '@app/core';
import { type DatabaseHandle, resolveDatabase } from '@app/core';
import type { ServerRuntime } from '@app/core';
import { PLATFORM_VERSION } from '@app/core';
import { PinoLoggerService } from '@app/core';
import { createServerTracing, type ServerTracing } from '@app/core';
import { InFlightRequests, isLoopback } from '@app/http';
import { createServerApp, platformLogger, type ServerDefinition } from './create-server.js';
import { McpStdioService } from '@app/mcp';

/** Servers started together with the database they use. */
export interface RunningServers {
  config: PlatformConfig;
  database: DatabaseHandle;
  servers: Array<{
    definition: ServerDefinition;
    runtime: ServerRuntime;
    app: NestExpressApplication;
    url: string;
    inFlight: InFlightRequests;
  }>;
  /**
   * Stops accepting, lets calls in flight finish (at most SHUTDOWN_GRACE_MS), closes
   * every server (flushing what they buffer), then stops the embedded database if
   * this process started it.
   */
  stop(): Promise<void>;
}

/** How {@link startServers} serves: HTTP listeners (default) or MCP over this process's stdio. */
export interface StartOptions {
  /** Serve the one given server over stdin/stdout instead of listening on HTTP. */
  stdio?: boolean;
}

/** Starts the given servers on one database (DATABASE_URL or embedded) and returns once they serve. */
export async function startServers(
  definitions: ServerDefinition[],
  config: PlatformConfig,
  options: StartOptions = {},
): Promise<RunningServers> {
  if (options.stdio && definitions.length !== 1) {
    throw new Error('--stdio serves exactly one server: use start:server-a or start:server-b');
  }
  Logger.overrideLogger(new PinoLoggerService(platformLogger(config, options.stdio)));
  const logger = new Logger('Launcher');
  const database = await resolveDatabase(config, (m) => logger.log(m));
  logger.log(`database ${maskUrl(database.url)} (${database.origin})`);
  logSecurityPosture(config, logger);
  if (config.tracing) logger.log(`tracing: spans exported to ${maskUrl(config.tracing.tracesUrl)}`);
  const servers: RunningServers['servers'] = [];
  const tracings: ServerTracing[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const s of servers) if (!s.runtime.stdio) s.app.getHttpServer().close();
      const drained = await Promise.all(
        servers.map((s) => s.inFlight.drain(config.shutdownGraceMs)),
      );
      if (drained.includes(false)) {
        logger.warn(
          `calls still running after SHUTDOWN_GRACE_MS=${config.shutdownGraceMs}; closing them`,
        );
      }
      for (const s of servers) s.app.getHttpServer().closeAllConnections();
      await Promise.allSettled(servers.map((s) => s.app.close()));
      // After the apps: every request span has ended, so the last batch holds them all.
      await Promise.all(tracings.map((t) => t.shutdown()));
      await database.stop();
    })());
  try {
    for (const definition of definitions) {
      const settings = config.servers[definition.key];
      const server = { ...settings, name: definition.name, version: PLATFORM_VERSION };
      // One provider per server, not per process: each has its own resource (service.name).
      const tracing = config.tracing && createServerTracing(config.tracing, server);
      if (tracing) tracings.push(tracing);
      const runtime: ServerRuntime = {
        server,
        config,
        databaseUrl: database.url,
        startedAt: new Date(),
        stdio: options.stdio,
        tracing,
      };
      const inFlight = new InFlightRequests();
      const app = await createServerApp(definition, runtime, inFlight);
      if (options.stdio) {
        await app.init();
        app.get(McpStdioService).serve();
        servers.push({ definition, runtime, app, url: 'stdio', inFlight });
        logger.log(`${definition.name} (${settings.id}) serving MCP on stdin/stdout`);
        continue;
      }
      await app.listen(settings.port, settings.host);
      runtime.server.port = (app.getHttpServer().address() as AddressInfo).port;
      const scheme = config.security.tls ? 'https' : 'http';
      const url = `${scheme}://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${runtime.server.port}`;
      servers.push({ definition, runtime, app, url, inFlight });
      logger.log(
        `${definition.name} (${settings.id}) listening on ${url}  docs: ${url}/docs  mcp: ${url}/mcp`,
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { config, database, servers, stop };
}

/** Says at start who may change and call tools, so an exposed server is never open by surprise. */
function logSecurityPosture(config: PlatformConfig, logger: Logger): void {
  const { keys, rateLimitPerMinute, tls } = config.security;
  if (!keys.hasAdminKey) {
    logger.warn(
      'ADMIN_API_KEY is not set: tools can be registered, changed and deleted from this machine (loopback) only',
    );
  }
  const exposed = Object.values(config.servers).filter(
    (s) => !isLoopback(s.host) && s.host !== 'localhost',
  );
  if (exposed.length > 0 && !keys.hasCallerKeys) {
    logger.warn(
      `listening beyond loopback (${exposed.map((s) => s.host).join(', ')}) with no API_KEYS: anyone who can reach the port can call tools`,
    );
  }
  logger.log(
    `auth: admin key ${keys.hasAdminKey ? 'set' : 'not set'}, ${keys.size - (keys.hasAdminKey ? 1 : 0)} caller key(s); ` +
      `rate limit ${rateLimitPerMinute > 0 ? `${rateLimitPerMinute}/min per caller` : 'off'}; ${tls ? 'HTTPS' : 'HTTP'}`,
  );
}

/**
 * The command-line entry: reads `.env` and the environment, starts the servers,
 * and stops everything cleanly on SIGINT/SIGTERM (exit 0) or a start-up error (exit 1).
 * With `--stdio` it serves its one server over stdin/stdout and stops when stdin closes.
 */
export async function runServers(definitions: ServerDefinition[]): Promise<void> {
  const stdio = process.argv.slice(2).includes('--stdio');
  loadDotEnv();
  let config: PlatformConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // In MCP stdio mode stdout carries protocol messages only: every log line goes to stderr.
  if (stdio) config.logDestination = 'stderr';
  Logger.overrideLogger(new PinoLoggerService(platformLogger(config)));
  const logger = new Logger('Launcher');
  let startup: Promise<RunningServers> | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 9000);
    force.unref();
    // A signal during start-up waits for it, so the embedded database is never left running.
    void (async () => {
      const running = await startup?.catch(() => undefined);
      await running?.stop();
    })().then(
      () => process.exit(0),
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
    startup = startServers(definitions, config, { stdio });
    await startup;
  } catch (err) {
    logger.error(`start-up failed: ${(err as Error).message}`);
    process.exit(1);
  }
}
