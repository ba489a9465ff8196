import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@app/core';
import { TOOL_HANDLERS, TOOLS_DATA_SOURCE } from '@app/tools';
import type { ToolHandler } from '@app/tools';
import { mountConsole } from '../console/console-static.js';
import { runMigrationsLocked } from '@app/tools';
import { PinoLoggerService, rootLogger } from '@app/core';
import { PlatformMetrics } from '@app/tools';
import { requestContext } from '@app/core';
import type { ServerRuntime } from '@app/core';
import { sendError } from '../security/respond.js';
import { securitySteps } from '../security/security.js';
import { McpHttpEndpoint } from '@app/mcp';
import { ToolsService } from '@app/tools';
import { callLane } from './call-lane.js';
import { installFrontDoor } from './front-door.js';
import type { InFlightRequests } from './in-flight.js';
import { ToolBodyLimits } from './tool-body-limits.js';
import type { ServerDefinition } from './server-definition.js';

/**
 * Builds one server's Nest application (security middleware, JSON body limits,
 * migrated database, Swagger, web console) without listening. HTTPS when TLS files are configured.
 */
export async function createServerApp(
  definition: ServerDefinition,
  runtime: ServerRuntime,
  inFlight?: InFlightRequests,
): Promise<NestExpressApplication> {
  const logger = platformLogger(runtime.config, runtime.stdio);
  const { security } = runtime.config;
  const app = await NestFactory.create<NestExpressApplication>(definition.module(runtime), {
    bodyParser: false,
    logger: new PinoLoggerService(logger),
    abortOnError: false,
    httpsOptions: security.tls && {
      cert: readTlsFile('TLS_CERT_FILE', security.tls.certFile),
      key: readTlsFile('TLS_KEY_FILE', security.tls.keyFile),
    },
  });
  app.disable('x-powered-by');
  // No hash of every response body: routes that offer revalidation set their own ETag.
  app.set('etag', false);
  app.set('query parser', 'simple');
  const limits = new ToolBodyLimits(
    { maxBodyBytes: runtime.config.maxBodyBytes, maxArrayLength: security.maxJsonArrayLength },
    app.get<ToolHandler[]>(TOOL_HANDLERS),
    security.maxJsonDepth,
  );
  // In front of Express, in this order, for every request. Tracing and the request context
  // come first, so that even a body the parser rejects gets a span, a request id, a log line
  // and a metric; tool calls with a plain JSON body are answered by the call lane.
  installFrontDoor(
    app,
    [
      ...(runtime.tracing ? [runtime.tracing.middleware] : []),
      requestContext({
        logger: logger.child({ server: runtime.server.id }),
        metrics: app.get(PlatformMetrics),
      }),
      ...(inFlight ? [inFlight.middleware] : []),
      ...securitySteps(security),
      callLane({ limits, tools: app.get(ToolsService), mcp: app.get(McpHttpEndpoint) }),
    ],
    new PinoLoggerService(logger),
  );
  // Everything else is Express's: bodies parsed to the largest limit a call may have, then
  // held to their route's or tool's limits and the JSON bounds.
  const json = (limit: number) =>
    express.json({
      limit,
      strict: true,
      type: ['application/json', 'application/*+json'],
      verify: limits.measure,
    });
  const routeJson = json(limits.defaults.maxBodyBytes);
  const callJson = json(limits.largest.maxBodyBytes);
  app.use((req: Request, res: Response, next: NextFunction) =>
    (limits.isCall(req) ? callJson : routeJson)(req, res, next),
  );
  app.use(limits.check);
  // Body-parser failures happen before Nest's filters; answer them in the same JSON shape.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    sendError(req, res, err);
  });
  await runMigrationsLocked(app.get<DataSource>(TOOLS_DATA_SOURCE));
  setupSwagger(app, definition, runtime);
  mountConsole(app);
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
      description: 'ADMIN_API_KEY or one of API_KEYS',
    })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: `${definition.name} API`,
  });
}
