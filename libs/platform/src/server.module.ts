import type { DynamicModule, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { httpPipelineProviders } from '@app/http';
import {
  AuditService,
  dataSourceOptions,
  HealthController,
  HttpToolExecutor,
  MetricsController,
  PlatformMetrics,
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
        StatsController,
        HealthController,
        MetricsController,
        McpController,
      ],
      providers: [
        ...httpPipelineProviders({
          keys: security.keys,
          docsRequireAuth: security.docsRequireAuth,
          rateLimitPerMinute: security.rateLimitPerMinute,
          maxBodyBytes: runtime.config.maxBodyBytes,
          maxCallBodyBytes: bodyLimits.largest.maxBodyBytes,
          maxJsonDepth: security.maxJsonDepth,
          maxJsonArrayLength: security.maxJsonArrayLength,
          jsonRpcPaths: [`/${MCP_PATH}`],
        }),
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
        ToolsService,
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
