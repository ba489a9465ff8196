import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Access } from '@app/http';
import { ErrorView } from '../dto/responses.dto.js';
import { ToolNameParams } from '../dto/tool.dto.js';
import { ToolsService } from '../tools.service.js';
import { DEFAULT_WINDOW, StatsService } from './stats.service.js';

class LatencyView {
  @ApiProperty({ type: Number, example: 2.1, nullable: true }) p50!: number | null;
  @ApiProperty({ type: Number, example: 9.8, nullable: true }) p95!: number | null;
  @ApiProperty({ type: Number, example: 31.4, nullable: true }) p99!: number | null;
}

class UsageView {
  @ApiProperty({ example: 1200 }) calls!: number;
  @ApiProperty({ example: 6 }) errors!: number;
  @ApiProperty({ example: 0.005, description: 'errors / calls' }) errorRate!: number;
  @ApiProperty({ type: LatencyView, description: 'Latency percentiles in milliseconds' })
  latencyMs!: LatencyView;
  @ApiProperty({ example: { rest: 800, mcp: 400 } }) byTransport!: Record<string, number>;
  @ApiProperty({ example: { UPSTREAM_TIMEOUT: 4, INVALID_ARGUMENTS: 2 } })
  errorCodes!: Record<string, number>;
}

class ToolUsageView extends UsageView {
  @ApiProperty({ example: 'lookup_order' }) tool!: string;
}

class WindowView {
  @ApiProperty({ example: 'my_server' }) server!: string;
  @ApiProperty({ example: '24h' }) window!: string;
  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' }) since!: string;
  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' }) until!: string;
}

export class ToolStatsView extends WindowView {
  @ApiProperty({ example: 'lookup_order' }) tool!: string;
  @ApiProperty({ example: 1200 }) calls!: number;
  @ApiProperty({ example: 6 }) errors!: number;
  @ApiProperty({ example: 0.005 }) errorRate!: number;
  @ApiProperty({ type: LatencyView }) latencyMs!: LatencyView;
  @ApiProperty({ example: { rest: 800, mcp: 400 } }) byTransport!: Record<string, number>;
  @ApiProperty({ example: { UPSTREAM_TIMEOUT: 4 } }) errorCodes!: Record<string, number>;
}

export class StatsView extends WindowView {
  @ApiProperty({ type: UsageView }) total!: UsageView;
  @ApiProperty({ type: [ToolUsageView] }) tools!: ToolUsageView[];
}

const WINDOW_QUERY = {
  name: 'window',
  required: false,
  example: '1h',
  description: `How far back: a number and m, h or d (default ${DEFAULT_WINDOW}, at most AUDIT_RETENTION_DAYS)`,
};

/** Usage of this server's tools, from the `tool_calls` audit. */
@ApiTags('stats')
@ApiBadRequestResponse({ type: ErrorView, description: 'A window that is not 15m, 1h, 7d...' })
@ApiServiceUnavailableResponse({ type: ErrorView, description: 'The database is unavailable' })
@Access('open')
@Controller()
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly tools: ToolsService,
  ) {}

  @Get('stats')
  @ApiOperation({
    summary: 'Usage of every tool of this server',
    description:
      'Calls (REST and MCP), errors, error rate and p50/p95/p99 latency per tool and in total over a window.',
  })
  @ApiQuery(WINDOW_QUERY)
  @ApiOkResponse({ type: StatsView })
  overview(@Query('window') window?: string): Promise<StatsView> {
    return this.stats.overview(window);
  }

  @Get('tools/:name/stats')
  @ApiOperation({ summary: 'Usage of one tool over a window' })
  @ApiParam({ name: 'name', example: 'lookup_order' })
  @ApiQuery(WINDOW_QUERY)
  @ApiOkResponse({ type: ToolStatsView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such tool on this server' })
  async forTool(
    @Param() { name }: ToolNameParams,
    @Query('window') window?: string,
  ): Promise<ToolStatsView> {
    await this.tools.get(name);
    return this.stats.forTool(name, window);
  }
}
