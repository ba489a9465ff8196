import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode } from '@app/core';
import { Access, DocumentBody } from '@app/http';
import { ErrorView } from '../dto/responses.dto.js';
import { ImportOpenApiDto, ImportResultView } from './openapi-import.dto.js';
import { OpenApiImportBusyError, ReaderErrorCode } from './openapi-reader.errors.js';
import { OpenApiImportService } from './openapi-import.service.js';

const BUSY = ReaderErrorCode.OPENAPI_IMPORT_BUSY;

@ApiTags('tools')
@Controller('tools')
export class OpenApiImportController {
  constructor(private readonly imports: OpenApiImportService) {}

  @Post('import')
  @Access('admin')
  @DocumentBody()
  @ApiOperation({
    summary: 'Import a REST API as tools from its OpenAPI document',
    description:
      'One HTTP tool per operation of an OpenAPI 3.0 or 3.1 document (inline or read from a URL that passes the SSRF guard). Importing the same source with the same prefix again syncs: changed operations are updated, gone ones removed, the rest left alone, in one transaction announced once to MCP clients. `dryRun` answers 200 and stores nothing.',
  })
  @ApiBody({
    type: ImportOpenApiDto,
    examples: {
      url: {
        value: {
          source: { url: 'http://127.0.0.1:8080/openapi.json' },
          prefix: 'petstore_',
          dryRun: true,
        },
      },
    },
  })
  @ApiOkResponse({ type: ImportResultView, description: 'Dry run: what the import would do' })
  @ApiCreatedResponse({ type: ImportResultView, description: 'Imported' })
  @ApiBadRequestResponse({
    type: ErrorView,
    description:
      'OPENAPI_DOCUMENT_REFUSED (details.reason: too-large, not-openapi, invalid, unresolvable-ref, circular-ref, too-many-operations, unreachable, no-base-url), HTTP_TOOL_HOST_REFUSED, or INVALID_REQUEST naming the field',
  })
  @ApiPayloadTooLargeResponse({
    type: ErrorView,
    description: 'The body is far above the document limit',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorView,
    description: `${BUSY}: one document is being read and as many as may wait are waiting (with Retry-After); ${ReaderErrorCode.OPENAPI_READER_FAILED}: the worker reading it stopped, nothing was imported; ${ErrorCode.SHUTTING_DOWN}`,
    headers: {
      'Retry-After': {
        description: `Seconds to wait (${BUSY})`,
        schema: { type: 'integer' },
      },
    },
  })
  async import(
    @Body() dto: ImportOpenApiDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportResultView> {
    // The document as the body parser made it: the validated DTO leaves it out, as
    // class-transformer would deep-copy it (see ImportOpenApiDto).
    const document = (req.body as { source?: { document?: unknown } } | undefined)?.source
      ?.document;
    const result = await this.imports.import(dto, document).catch((err: unknown) => {
      if (err instanceof OpenApiImportBusyError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
      }
      throw err;
    });
    res.status(result.dryRun ? 200 : 201);
    return result;
  }
}
