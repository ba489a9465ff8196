import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { PinoLoggerService, type PlatformConfig, rootLogger, type ServerRuntime } from '@app/core';
import { PipelineExpressAdapter, RequestContextMiddleware, useRequestPipeline } from '@app/http';
import { PlatformMetrics, runMigrationsLocked, TOOLS_DATA_SOURCE } from '@app/tools';
import { CONSOLE_PATH, mountConsole } from '../console/console-static.js';
import { serveOpenApi } from './openapi.js';
import type { ServerDefinition } from './server-definition.js';

/** Where Swagger UI, the OpenAPI document (JSON) and its YAML twin are served. */
const DOCS_PATH = 'docs';
const DOCS_PATHS = [`/${DOCS_PATH}`, `/${DOCS_PATH}-json`, `/${DOCS_PATH}-yaml`];

/**
 * Builds one server's Nest application without listening: the request pipeline first (for
 * every request, Swagger and console included), then the migrated database, Swagger and the
 * web console; Nest's routes come after them. HTTPS when TLS files are configured.
 */
export async function createServerApp(
  definition: ServerDefinition,
  runtime: ServerRuntime,
): Promise<NestExpressApplication> {
  const logger = platformLogger(runtime.config, runtime.stdio);
  const { security } = runtime.config;
  const app = await NestFactory.create<NestExpressApplication>(
    definition.module(runtime),
    new PipelineExpressAdapter(),
    {
      // JSON bodies are read by the body guard of @app/http, after the guards that may refuse the caller.
      bodyParser: false,
      logger: new PinoLoggerService(logger),
      abortOnError: false,
      httpsOptions: security.tls && {
        cert: readTlsFile('TLS_CERT_FILE', security.tls.certFile),
        key: readTlsFile('TLS_KEY_FILE', security.tls.keyFile),
      },
    },
  );
  app.disable('x-powered-by');
  // No hash of every response body: routes that offer revalidation set their own ETag.
  app.set('etag', false);
  app.set('query parser', 'simple');
  useRequestPipeline(app, {
    tracing: runtime.tracing?.middleware,
    requestContext: new RequestContextMiddleware(
      logger.child({ server: runtime.server.id }),
      app.get(PlatformMetrics),
    ),
    security,
    docsPaths: DOCS_PATHS,
    pagePaths: [`/${DOCS_PATH}`, CONSOLE_PATH],
  });
  await runMigrationsLocked(app.get<DataSource>(TOOLS_DATA_SOURCE));
  serveOpenApi(app, definition, runtime, DOCS_PATH);
  mountConsole(app, undefined, security.oauth ? [new URL(security.oauth.issuer).origin] : []);
  return app;
}

function readTlsFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(
      `${variable}=${path}: cannot read it (${(err as NodeJS.ErrnoException).code})`,
      {
        cause: err,
      },
    );
  }
}

/** The process's pino logger as the configuration describes it; on stderr when serving MCP over stdio. */
export function platformLogger(config: PlatformConfig, stdio = false): Logger {
  return rootLogger({
    level: config.logLevel,
    pretty: config.debug,
    destination: stdio ? 'stderr' : config.logDestination,
  });
}
