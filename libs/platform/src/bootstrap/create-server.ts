import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { PinoLoggerService, type PlatformConfig, rootLogger, type ServerRuntime } from '@app/core';
import {
  type InFlightRequests,
  PipelineExpressAdapter,
  RequestContextMiddleware,
  useRequestPipeline,
} from '@app/http';
import { PlatformMetrics, runMigrationsLocked, TOOLS_DATA_SOURCE } from '@app/tools';
import { mountConsole } from '../console/console-static.js';
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
  inFlight?: InFlightRequests,
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
    inFlight,
    security,
    docsPaths: DOCS_PATHS,
  });
  await runMigrationsLocked(app.get<DataSource>(TOOLS_DATA_SOURCE));
  setupSwagger(app, definition, runtime);
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

function setupSwagger(
  app: INestApplication,
  definition: ServerDefinition,
  runtime: ServerRuntime,
): void {
  const config = new DocumentBuilder()
    .setTitle(`${definition.name} (${runtime.server.id})`)
    .setDescription(
      `${definition.description}\n\nREST API of one MCP server. The same tools are served over MCP (Streamable HTTP) at \`/mcp\`.`,
    )
    .setVersion(runtime.server.version)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: runtime.config.security.oauth
        ? `ADMIN_API_KEY, one of API_KEYS, or an access token from ${runtime.config.security.oauth.issuer} issued for this server (scopes tools:read, tools:call, tools:admin)`
        : 'ADMIN_API_KEY or one of API_KEYS',
    })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    customSiteTitle: `${definition.name} API`,
  });
}
