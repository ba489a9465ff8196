import type { DynamicModule, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import {
  httpPipelineProviders,
  OAuthResourceServer,
  ProtectedResourceController,
  RATE_LIMIT_STORE,
  type RateLimitStore,
} from '@app/http';
import {
  AuditService,
  dataSourceOptions,
  HealthController,
  HttpToolExecutor,
  MetricsController,
  OpenApiImportController,
  OpenApiImportService,
  OpenApiReaderPool,
  PlatformMetrics,
  RATE_LIMITS_TABLE,
  StatsController,
  StatsService,
  TOOL_HANDLERS,
  ToolBodyLimits,
  ToolChangeListener,
  type ToolHandler,
  ToolRegistry,
  ToolsController,
  ToolsRepository,
  ToolsService,
  ToolSuggestions,
  TOOLS_DATA_SOURCE,
} from '@app/tools';
import {
  MCP_APP_VIEWS,
  MCP_PATH,
  MCP_PROVIDERS,
  type McpAppView,
  McpController,
  McpStdioService,
} from '@app/mcp';

export interface ToolsModuleOptions {
  runtime: ServerRuntime;
  /** This server's built-in tools: classes decorated with `@Tool(...)`. */
  handlers: Type<ToolHandler>[];
  /** Modules that provide what the handlers inject (data providers, clients...). */
  imports?: ModuleMetadata['imports'];
  providers?: Provider[];
  /** MCP Apps views of this server's tools, served as `ui://` resources. */
  views?: McpAppView[];
}

/**
 * The shared tool platform for one server: registry, REST API and MCP endpoint (both behind
 * the one request pipeline of @app/http: access, rate limit and body guards, the REST
 * exception filter, the validation pipe), database and metrics.
 */
export class ToolsModule {
  static forRoot(options: ToolsModuleOptions): DynamicModule {
    const { runtime } = options;
    // Each server owns a named DataSource: two servers may share one process (npm start).
    const dataSourceName = `tools_${runtime.server.id}`;
    const { security } = runtime.config;
    // From the tools' own declarations, known before anything starts: the parser's limit for calls.
    const bodyLimits = new ToolBodyLimits(
      { maxBodyBytes: runtime.config.maxBodyBytes, maxArrayLength: security.maxJsonArrayLength },
      options.handlers,
      security.maxJsonDepth,
    );
    const oauth =
      security.oauth &&
      new OAuthResourceServer(security.oauth, () => resourceOf(runtime), runtime.server.name);
    return {
      module: ToolsModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(runtime.databaseUrl),
          name: dataSourceName,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        ...(options.imports ?? []),
      ],
      controllers: [
        ToolsController,
        OpenApiImportController,
        StatsController,
        HealthController,
        MetricsController,
        McpController,
        ...(oauth ? [ProtectedResourceController] : []),
      ],
      providers: [
        ...httpPipelineProviders({
          keys: security.keys,
          oauth,
          docsRequireAuth: security.docsRequireAuth,
          rateLimitPerMinute: security.rateLimitPerMinute,
          maxBodyBytes: runtime.config.maxBodyBytes,
          maxCallBodyBytes: bodyLimits.largest.maxBodyBytes,
          // The document plus room for the import's other fields: the service holds the
          // document itself to OPENAPI_MAX_DOCUMENT_BYTES and says so in a 400.
          maxDocumentBodyBytes: runtime.config.openapi.maxDocumentBytes + 64 * 1024,
          maxJsonDepth: security.maxJsonDepth,
          maxJsonArrayLength: security.maxJsonArrayLength,
          jsonRpcPaths: [`/${MCP_PATH}`],
          shutdownGraceMs: runtime.config.shutdownGraceMs,
        }),
        {
          provide: RATE_LIMIT_STORE,
          useFactory: (dataSource: DataSource): RateLimitStore =>
            security.rateLimitStore === 'memory'
              ? { type: 'memory' }
              : {
                  type: 'postgres',
                  client: dataSource,
                  clientType: 'typeorm',
                  tableName: RATE_LIMITS_TABLE,
                  scope: runtime.server.id,
                },
          inject: [TOOLS_DATA_SOURCE],
        },
        { provide: ToolBodyLimits, useValue: bodyLimits },
        { provide: SERVER_RUNTIME, useValue: runtime },
        { provide: MCP_APP_VIEWS, useValue: options.views ?? [] },
        { provide: TOOLS_DATA_SOURCE, useExisting: getDataSourceToken(dataSourceName) },
        ...options.handlers,
        {
          provide: TOOL_HANDLERS,
          useFactory: (...h: ToolHandler[]) => h,
          inject: options.handlers,
        },
        ...(options.providers ?? []),
        HttpToolExecutor,
        AuditService,
        StatsService,
        ToolRegistry,
        ToolsRepository,
        ToolChangeListener,
        ToolSuggestions,
        ToolsService,
        OpenApiImportService,
        OpenApiReaderPool,
        ...MCP_PROVIDERS,
        PlatformMetrics,
      ],
      exports: [
        ToolsService,
        ToolRegistry,
        McpStdioService,
        PlatformMetrics,
        SERVER_RUNTIME,
        TOOLS_DATA_SOURCE,
      ],
    };
  }
}

/**
 * A server's OAuth resource identifier: what its settings name (`OAUTH_RESOURCE_A`...), else
 * its MCP URL as it listens, read once the port is known (0 asks the system for one).
 */
function resourceOf({ server, config }: ServerRuntime): string {
  if (server.resource) return server.resource;
  const scheme = config.security.tls ? 'https' : 'http';
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `${scheme}://${host}:${server.port}/${MCP_PATH}`;
}
