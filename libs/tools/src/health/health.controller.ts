import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '@app/http';
import { HealthView, InfoView } from '../dto/responses.dto.js';
import { LivenessView, ReadinessView } from './probes.dto.js';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { ToolsRepository } from '../tools.repository.js';
import { ToolsService } from '../tools.service.js';

@ApiTags('server')
@Access('open')
@Controller()
export class HealthController {
  constructor(
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    private readonly repository: ToolsRepository,
    private readonly tools: ToolsService,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Is the server up and is its database reachable?' })
  @ApiOkResponse({ type: HealthView })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'The database is unreachable' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const connected = await this.repository.ping();
    res.status(connected ? 200 : 503);
    return {
      status: connected ? 'healthy' : 'unhealthy',
      server: this.runtime.server.name,
      port: this.runtime.server.port,
      database: connected ? 'connected' : 'disconnected',
      timestamp: new Date().toISOString(),
    };
  }

  @Get('health/live')
  @ApiOperation({
    summary: 'Liveness probe: the process answers HTTP (never checks the database)',
  })
  @ApiOkResponse({ type: LivenessView })
  live(): LivenessView {
    const uptimeSeconds = Math.round((Date.now() - this.runtime.startedAt.getTime()) / 100) / 10;
    return { status: 'alive', uptimeSeconds };
  }

  @Get('health/ready')
  @ApiOperation({
    summary: 'Readiness probe: the database answers, so this process can take traffic',
  })
  @ApiOkResponse({ type: ReadinessView })
  @ApiServiceUnavailableResponse({
    type: ReadinessView,
    description: 'The database is unreachable',
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessView> {
    const connected = await this.repository.ping();
    res.status(connected ? 200 : 503);
    return {
      status: connected ? 'ready' : 'not_ready',
      database: connected ? 'connected' : 'disconnected',
      tools: this.tools.list().length,
    };
  }

  @Get('info')
  @ApiOperation({ summary: 'Server name, id, version, MCP endpoint, uptime and tools' })
  @ApiOkResponse({ type: InfoView })
  info(): InfoView {
    const { server, startedAt } = this.runtime;
    const tools = this.tools.list().map((t) => t.record.name);
    const host = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host;
    return {
      server: server.name,
      id: server.id,
      version: server.version,
      port: server.port,
      mcpEndpoint: `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/mcp`,
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
      toolCount: tools.length,
      tools,
    };
  }
}
