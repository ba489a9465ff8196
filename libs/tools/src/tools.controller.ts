import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiPreconditionFailedResponse,
  ApiResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CALL_REQUEST_SCHEMA, type CallRequest, CallRequestPipe } from './dto/call-request.pipe.js';
import { RegisterToolDto, ToolNameParams, UpdateToolDto } from './dto/tool.dto.js';
import { CallResultView, ErrorView, ToolListView, ToolView } from './dto/responses.dto.js';
import type { CallContext } from '@app/core';
import { Access, CallOrigin, RateLimit } from '@app/http';
import { entityTagMatches } from './entity-tags.js';
import { ToolCallLimits } from './limits/tool-body-limits.js';
import { ToolsService } from './tools.service.js';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag from GET /tools/:name; a stale one gets 412 instead of overwriting',
  example: '"1-1b4e28ba-2fa1-11d2-883f-0016d3cca427"',
};

const ETAG = { type: 'string' } as const;
const BAD_INPUT = { type: ErrorView, description: 'Invalid input; the message names the field' };
const NOT_JSON = {
  type: ErrorView,
  description: 'UNSUPPORTED_MEDIA_TYPE: the body is not sent as Content-Type: application/json',
};

@ApiTags('tools')
@Controller('tools')
export class ToolsController {
  constructor(private readonly tools: ToolsService) {}

  // First of the controller's routes: Express tries routes in order, and this one is the hot path.
  @Post('call')
  @Access('caller')
  @RateLimit()
  @ToolCallLimits()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Call a tool',
    description: 'Arguments are validated against the tool inputSchema before anything runs.',
  })
  @ApiBody({ schema: CALL_REQUEST_SCHEMA })
  @ApiOkResponse({ type: CallResultView })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse({
    type: ErrorView,
    description: 'TOOL_NOT_FOUND: no such tool on this server (the message suggests one)',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorView })
  @ApiUnsupportedMediaTypeResponse(NOT_JSON)
  @ApiConflictResponse({ type: ErrorView, description: 'TOOL_DISABLED: the tool is disabled' })
  @ApiResponse({ status: 501, type: ErrorView, description: 'The tool has nothing to execute it' })
  @ApiResponse({ status: 502, type: ErrorView, description: 'The upstream data provider failed' })
  @ApiResponse({
    status: 504,
    type: ErrorView,
    description: 'The upstream data provider timed out',
  })
  call(
    @Body(CallRequestPipe) body: CallRequest,
    @CallOrigin('rest') context: CallContext,
  ): Promise<CallResultView> {
    return this.tools.answer(body, context);
  }

  @Get()
  @Access('open')
  @ApiOperation({
    summary: "List this server's tools",
    description:
      'The `ETag` names this state of the catalogue: send it back in `If-None-Match` to get `304 Not Modified` until a tool changes (how the web console polls).',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag of this list' })
  @ApiOkResponse({
    type: ToolListView,
    headers: { ETag: { description: 'This list state', schema: ETAG } },
  })
  @ApiResponse({ status: 304, description: 'Nothing changed since the ETag sent' })
  list(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): void {
    const { etag, json } = this.tools.listDocument();
    res.setHeader('ETag', etag);
    // Decided here, not by Express: its freshness check gives up when the request says
    // `Cache-Control: no-cache`, which fetch() adds to every request with If-None-Match.
    if (ifNoneMatch !== undefined && entityTagMatches(ifNoneMatch, etag)) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(json);
  }

  @Post()
  @Access('admin')
  @ApiOperation({
    summary: 'Register a new tool on this server',
    description: 'Stored in PostgreSQL and served at once by this server only (REST and MCP).',
  })
  @ApiBody({ type: RegisterToolDto })
  @ApiCreatedResponse({
    type: ToolView,
    headers: { ETag: { description: 'The version created', schema: ETAG } },
  })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiPayloadTooLargeResponse({ type: ErrorView })
  @ApiUnsupportedMediaTypeResponse(NOT_JSON)
  @ApiConflictResponse({
    type: ErrorView,
    description: 'A tool with this name already exists on this server',
  })
  async register(
    @Body() dto: RegisterToolDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ToolView> {
    const tool = await this.tools.register(dto);
    res.setHeader('ETag', this.tools.etag(tool));
    return this.tools.view(tool);
  }

  @Get(':name')
  @Access('open')
  @ApiOperation({
    summary: 'Read one tool',
    description:
      'Disabled tools are shown too (`enabled: false`). The `ETag` header names this version: send it back in `If-Match` when you change the tool.',
  })
  @ApiParam({ name: 'name', example: 'new_tool' })
  @ApiOkResponse({
    type: ToolView,
    headers: {
      ETag: {
        description: 'Current version of the tool',
        schema: { ...ETAG, example: '"3-1b4e28ba-2fa1-11d2-883f-0016d3cca427"' },
      },
    },
  })
  @ApiNotFoundResponse({
    type: ErrorView,
    description: 'TOOL_NOT_FOUND: no such tool on this server (the message suggests one)',
  })
  async getOne(
    @Param() { name }: ToolNameParams,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ToolView> {
    const tool = await this.tools.get(name);
    res.setHeader('ETag', this.tools.etag(tool));
    return this.tools.view(tool);
  }

  @Patch(':name')
  @Access('admin')
  @ApiOperation({
    summary: 'Change a tool (description, title, parameters, enabled)',
    description:
      'Every change bumps `version` and is announced to MCP clients on every process of this server. Built-in tools accept only `enabled`.',
  })
  @ApiParam({ name: 'name', example: 'new_tool' })
  @ApiHeader(IF_MATCH)
  @ApiBody({
    type: UpdateToolDto,
    examples: {
      disable: { value: { enabled: false } },
      describe: { value: { description: 'Looks up a customer by id' } },
    },
  })
  @ApiOkResponse({
    type: ToolView,
    headers: { ETag: { description: 'The new version', schema: ETAG } },
  })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse({
    type: ErrorView,
    description: 'TOOL_NOT_FOUND: no such tool on this server',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorView })
  @ApiUnsupportedMediaTypeResponse(NOT_JSON)
  @ApiConflictResponse({
    type: ErrorView,
    description:
      "BUILTIN_TOOL_PROTECTED: a built-in tool can only be enabled or disabled; IMPORTED_TOOL_PROTECTED: an imported tool's parameters and executor come from its OpenAPI document",
  })
  @ApiPreconditionFailedResponse({
    type: ErrorView,
    description: 'PRECONDITION_FAILED: If-Match names a version that is no longer current',
  })
  async update(
    @Param() { name }: ToolNameParams,
    @Body() dto: UpdateToolDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ToolView> {
    const tool = await this.tools.update(name, dto, ifMatch);
    res.setHeader('ETag', this.tools.etag(tool));
    return this.tools.view(tool);
  }

  @Delete(':name')
  @Access('admin')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a runtime tool',
    description:
      'Built-in tools cannot be deleted (409 BUILTIN_TOOL_PROTECTED); disable them instead.',
  })
  @ApiParam({ name: 'name', example: 'new_tool' })
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({
    type: ErrorView,
    description: 'TOOL_NOT_FOUND: no such tool on this server',
  })
  @ApiConflictResponse({ type: ErrorView, description: 'BUILTIN_TOOL_PROTECTED' })
  @ApiPreconditionFailedResponse({ type: ErrorView, description: 'PRECONDITION_FAILED' })
  async remove(
    @Param() { name }: ToolNameParams,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.tools.remove(name, ifMatch);
  }
}
