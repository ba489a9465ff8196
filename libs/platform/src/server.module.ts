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
import { dataSourceOptions } from '@app/tools';
import { PlatformExceptionFilter } from './errors/platform-exception.filter.js';
import { AuditService } from '@app/tools';
import { StatsController } from '@app/tools';
import { StatsService } from '@app/tools';
import { HttpToolExecutor } from '@app/tools';
import { ToolRegistry } from '@app/tools';
import { validationPipe } from './errors/validation.pipe.js';
import { HealthController } from '@app/tools';
import { McpMiddleware } from '@app/mcp';
import { MCP_PATH, MCP_PROVIDERS } from '@app/mcp';
import { McpStdioService } from '@app/mcp';
import { MetricsController } from '@app/tools';
import { PlatformMetrics } from '@app/tools';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { ToolChangeListener } from '@app/tools';
import type { ToolHandler } from '@app/tools';
import { TOOL_HANDLERS, TOOLS_DATA_SOURCE } from '@app/tools';
import { ToolsController } from '@app/tools';
import { ToolsRepository } from '@app/tools';
import { ToolsService } from '@app/tools';

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
