import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PARAMETER_TYPES, type ToolAnnotations } from '../tool.types.js';

class ParameterView {
  @ApiProperty({ example: 'order_id' }) name!: string;
  @ApiProperty({ enum: PARAMETER_TYPES, example: 'string' }) type!: string;
  @ApiProperty({ example: 'The order number' }) description!: string;
  @ApiProperty({ example: true }) required!: boolean;
}

export class OpenApiOriginView {
  @ApiProperty({
    example: 'http://127.0.0.1:8080/openapi.json',
    description: 'The document URL, or `document:<info.title>` for a document sent inline',
  })
  source!: string;
  @ApiProperty({ example: 'petstore_' }) prefix!: string;
  @ApiProperty({ example: 'getPetById' }) operationId!: string;
  @ApiProperty({ example: 'GET' }) method!: string;
  @ApiProperty({ example: '/pet/{petId}' }) path!: string;
}

export class ToolView {
  @ApiProperty({ example: 'lookup_order' }) name!: string;
  @ApiPropertyOptional({ type: String, example: 'Order lookup', nullable: true })
  title!: string | null;
  @ApiProperty({ example: 'Looks up an order by its number' }) description!: string;
  @ApiProperty({ type: [ParameterView] }) parameters!: ParameterView[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      type: 'object',
      properties: { order_id: { type: 'string' } },
      required: ['order_id'],
    },
  })
  inputSchema!: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  outputSchema!: Record<string, unknown> | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { readOnlyHint: true },
  })
  annotations!: ToolAnnotations | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'How a runtime tool runs; secret headers appear only as ${ENV_NAME} references',
    example: {
      type: 'http',
      url: 'http://127.0.0.1:8080/lookup',
      method: 'POST',
      headers: { Authorization: 'Bearer ${LOOKUP_API_TOKEN}' },
      timeoutMs: 10000,
    },
  })
  executor!: Record<string, unknown> | null;
  @ApiPropertyOptional({
    type: OpenApiOriginView,
    nullable: true,
    description: 'Where an imported tool came from (POST /tools/import); null for other tools',
  })
  openapi!: OpenApiOriginView | null;
  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    example: 'finance:trade',
    description: 'An OAuth scope a token needs, besides tools:call, to see and call the tool',
  })
  requiredScope!: string | null;
  @ApiProperty({ example: true }) builtin!: boolean;
  @ApiProperty({ example: true }) enabled!: boolean;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ example: 'my_server' }) server!: string;
  @ApiProperty({ example: '2026-11-25T04:24:19.506Z' }) createdAt!: string;
  @ApiProperty({ example: '2026-11-25T04:24:19.506Z' }) updatedAt!: string;
}

export class ToolListView {
  @ApiProperty({ example: 'my_server' }) server!: string;
  @ApiProperty({ example: 3 }) count!: number;
  @ApiProperty({ type: [ToolView] }) tools!: ToolView[];
}

export class CallResultView {
  @ApiProperty({ example: 'lookup_order' }) tool!: string;
  @ApiProperty({ example: 'my_server' }) server!: string;
  @ApiProperty({ example: 'execute' }) operation!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The tool's answer, as its outputSchema describes",
    example: { order_id: 'A-1001', status: 'shipped' },
  })
  result!: unknown;
  @ApiProperty({ example: 1.7 }) durationMs!: number;
}

export class HealthView {
  @ApiProperty({ enum: ['healthy', 'unhealthy'], example: 'healthy' }) status!: string;
  @ApiProperty({ example: 'My Server' }) server!: string;
  @ApiProperty({ example: 3000 }) port!: number;
  @ApiProperty({ enum: ['connected', 'disconnected'], example: 'connected' }) database!: string;
  @ApiProperty({ example: '2026-11-25T04:24:19.506Z' }) timestamp!: string;
}

export class InfoView {
  @ApiProperty({ example: 'My Server' }) server!: string;
  @ApiProperty({ example: 'my_server' }) id!: string;
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ example: 3000 }) port!: number;
  @ApiProperty({ example: 'http://127.0.0.1:3000/mcp' }) mcpEndpoint!: string;
  @ApiProperty({ example: 42.5 }) uptimeSeconds!: number;
  @ApiProperty({ example: 3 }) toolCount!: number;
  @ApiProperty({ example: ['lookup_order', 'new_tool'] })
  tools!: string[];
}

export class ErrorView {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'Not Found' }) error!: string;
  @ApiProperty({ example: 'TOOL_NOT_FOUND' }) code!: string;
  @ApiProperty({
    example: "Tool 'lookup_ordr' does not exist on my_server. Did you mean 'lookup_order'?",
  })
  message!: string;
  @ApiPropertyOptional({
    description: 'More about it: the fields at fault (a list), or the tool, limits and settings',
    oneOf: [
      { type: 'object', additionalProperties: true },
      { type: 'array', items: {} },
    ],
  })
  details?: unknown;
  @ApiProperty({ example: '/tools/call' }) path!: string;
  @ApiProperty({ example: '2026-11-25T04:24:19.506Z' }) timestamp!: string;
}
