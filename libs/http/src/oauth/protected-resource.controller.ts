import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Access } from '../access.decorator.js';
import { HTTP_PIPELINE_OPTIONS, type HttpPipelineOptions } from '../pipeline.options.js';
import type { ProtectedResourceMetadata } from './oauth-resource-server.js';

/**
 * RFC 9728 Protected Resource Metadata, mounted in OAuth mode only: the same document at
 * `/.well-known/oauth-protected-resource` and under any path suffix (the MCP resource's
 * `/mcp`, or the path a proxy's public resource URL has), so whichever a client derives from
 * the resource or reads from a challenge, it finds it. Public by nature, readable from any
 * origin (browser-based MCP clients read it before they have a token).
 */
@ApiExcludeController()
@Controller('.well-known/oauth-protected-resource')
@Access('open')
export class ProtectedResourceController {
  constructor(@Inject(HTTP_PIPELINE_OPTIONS) private readonly options: HttpPipelineOptions) {}

  @Get()
  @Header('Access-Control-Allow-Origin', '*')
  @Header('Cache-Control', 'public, max-age=300')
  document(): ProtectedResourceMetadata {
    // Registered only when options.oauth is set (see the composition module).
    return this.options.oauth!.metadata();
  }

  @Get('*path')
  @Header('Access-Control-Allow-Origin', '*')
  @Header('Cache-Control', 'public, max-age=300')
  documentForPath(): ProtectedResourceMetadata {
    return this.document();
  }
}
