import {
  type DynamicModule,
  type MiddlewareConsumer,
  type ModuleMetadata,
  type NestModule,
  type Provider,
  RequestMethod,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './database/database.js';
import { PlatformExceptionFilter } from './errors/platform-exception.filter.js';
import { AuditService } from './audit/audit.service.js';
import { StatsController } from './audit/stats.controller.js';
import { StatsService } from './audit/stats.service.js';
import { HttpToolExecutor } from './executor/http-executor.js';
import { ToolRegistry } from './executor/tool-registry.js';
import { validationPipe } from './errors/validation.pipe.js';
import { HealthController } from './health/health.controller.js';
import { McpMiddleware } from './mcp/mcp.middleware.js';
import { MCP_PATH, MCP_PROVIDERS } from './mcp/mcp.providers.js';
import { McpStdioService } from './mcp/mcp-stdio.service.js';
import { MetricsController } from './observability/metrics.controller.js';
import { PlatformMetrics } from './observability/metrics.js';
import { SERVER_RUNTIME, type ServerRuntime } from './server-runtime.js';
import { ToolChangeListener } from './tool-change.listener.js';
import type { ToolHandler } from './tool.types.js';
import { TOOL_HANDLERS, TOOLS_DATA_SOURCE } from './tools.constants.js';
import { ToolsController } from './tools.controller.js';
import { ToolsRepository } from './tools.repository.js';
import { ToolsService } from './tools.service.js';

export interface ToolsModuleOptions {
  runtime: ServerRuntime;
  /** This server's built-in tools: classes decorated with `@Tool(...)`. */
  handlers: Type<ToolHandler>[];
  /** Modules that provide what the handlers inject (data providers, clients...). */
  imports?: ModuleMetadata['imports'];
  providers?: Provider[];
}

/** The shared tool platform: registry, REST API, MCP endpoint, database and error handling for one server. */
export class ToolsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(McpMiddleware).forRoutes({ path: MCP_PATH, method: RequestMethod.ALL });
  }

  static forRoot(options: ToolsModuleOptions): DynamicModule {
    // Each server owns a named DataSource: two servers may share one process (npm start).
    const dataSourceName = `tools_${options.runtime.server.id}`;
    return {
      module: ToolsModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.runtime.databaseUrl),
          name: dataSourceName,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        ...(options.imports ?? []),
      ],
      controllers: [ToolsController, StatsController, HealthController, MetricsController],
      providers: [
        { provide: SERVER_RUNTIME, useValue: options.runtime },
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
        { provide: APP_FILTER, useClass: PlatformExceptionFilter },
        { provide: APP_PIPE, useValue: validationPipe() },
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
