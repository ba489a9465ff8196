import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { CallToolDto, RegisterToolDto } from './dto/tool.dto.js';
import { CallResultView, ErrorView, ToolListView, ToolView } from './dto/responses.dto.js';
import { callerName } from './security/caller.js';
import { ToolsService } from './tools.service.js';

@ApiTags('tools')
@ApiBadRequestResponse({
  type: ErrorView,
  description: 'Invalid input; the message names the field',
})
@Controller('tools')
export class ToolsController {
  constructor(private readonly tools: ToolsService) {}

  @Get()
  @ApiOperation({ summary: "List this server's tools" })
  @ApiOkResponse({ type: ToolListView })
  list(): ToolListView {
    const tools = this.tools.list().map((t) => this.tools.view(t));
    return { server: this.tools.serverId, count: tools.length, tools };
  }

  @Post()
  @ApiOperation({
    summary: 'Register a new tool on this server',
    description: 'Stored in PostgreSQL and served at once by this server only (REST and MCP).',
  })
  @ApiBody({ type: RegisterToolDto })
  @ApiCreatedResponse({ type: ToolView })
  @ApiConflictResponse({
    type: ErrorView,
    description: 'A tool with this name already exists on this server',
  })
  async register(@Body() dto: RegisterToolDto): Promise<ToolView> {
    return this.tools.view(await this.tools.register(dto));
  }

  @Post('call')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Call a tool',
    description: 'Arguments are validated against the tool inputSchema before anything runs.',
  })
  @ApiBody({ type: CallToolDto })
  @ApiOkResponse({ type: CallResultView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such tool on this server' })
  @ApiPayloadTooLargeResponse({ type: ErrorView })
  @ApiResponse({ status: 501, type: ErrorView, description: 'The tool has nothing to execute it' })
  @ApiResponse({ status: 502, type: ErrorView, description: 'The upstream data provider failed' })
  @ApiResponse({
    status: 504,
    type: ErrorView,
    description: 'The upstream data provider timed out',
  })
  async call(@Body() dto: CallToolDto, @Req() req: Request): Promise<CallResultView> {
    const outcome = await this.tools.call(dto.name, dto.arguments, {
      transport: 'rest',
      requestId: req.header('x-request-id'),
      caller: callerName(req),
    });
    return { ...outcome, server: this.tools.serverId };
  }
}
