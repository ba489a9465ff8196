import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PARAMETER_TYPES, type ToolAnnotations } from '../tool.types.js';

class ParameterView {
  @ApiProperty({ example: 'symbol' }) name!: string;
  @ApiProperty({ enum: PARAMETER_TYPES, example: 'string' }) type!: string;
  @ApiProperty({ example: 'Ticker symbol, e.g. AAPL' }) description!: string;
  @ApiProperty({ example: true }) required!: boolean;
}

export class ToolView {
  @ApiProperty({ example: 'get_stock_price' }) name!: string;
  @ApiPropertyOptional({ example: 'Stock price', nullable: true }) title!: string | null;
  @ApiProperty({ example: 'Current price of a stock' }) description!: string;
  @ApiProperty({ type: [ParameterView] }) parameters!: ParameterView[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] },
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
    type: 'string',
    nullable: true,
    example: 'finance:trade',
    description: 'An OAuth scope a token needs, besides tools:call, to see and call the tool',
  })
  requiredScope!: string | null;
  @ApiProperty({ example: true }) builtin!: boolean;
  @ApiProperty({ example: true }) enabled!: boolean;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ example: 'server_a' }) server!: string;
  @ApiProperty({ example: '2026-11-25T04:24:19.506Z' }) createdAt!: string;
  @ApiProperty({ example: '2026-11-25T04:24:19.506Z' }) updatedAt!: string;
}

export class ToolListView {
  @ApiProperty({ example: 'server_a' }) server!: string;
  @ApiProperty({ example: 3 }) count!: number;
  @ApiProperty({ type: [ToolView] }) tools!: ToolView[];
}

export class CallResultView {
  @ApiProperty({ example: 'get_stock_price' }) tool!: string;
  @ApiProperty({ example: 'server_a' }) server!: string;
  @ApiProperty({ example: 'execute' }) operation!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { symbol: 'AAPL', price: 189.84, currency: 'USD', source: 'simulated' },
  })
  result!: unknown;
  @ApiProperty({ example: 1.7 }) durationMs!: number;
}

export class HealthView {
  @ApiProperty({ enum: ['healthy', 'unhealthy'], example: 'healthy' }) status!: string;
  @ApiProperty({ example: 'Server A' }) server!: string;
  @ApiProperty({ example: 3001 }) port!: number;
  @ApiProperty({ enum: ['connected', 'disconnected'], example: 'connected' }) database!: string;
  @ApiProperty({ example: '2026-11-25T04:24:19.506Z' }) timestamp!: string;
}

export class InfoView {
  @ApiProperty({ example: 'Server A' }) server!: string;
  @ApiProperty({ example: 'server_a' }) id!: string;
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ example: 3001 }) port!: number;
  @ApiProperty({ example: 'http://127.0.0.1:3001/mcp' }) mcpEndpoint!: string;
  @ApiProperty({ example: 42.5 }) uptimeSeconds!: number;
  @ApiProperty({ example: 3 }) toolCount!: number;
  @ApiProperty({ example: ['get_time', 'lookup_order'] })
  tools!: string[];
}

export class ErrorView {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'Not Found' }) error!: string;
  @ApiProperty({ example: 'TOOL_NOT_FOUND' }) code!: string;
  @ApiProperty({ example: "Tool 'nope' does not exist on server_a" }) message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: unknown;
  @ApiProperty({ example: '/tools/call' }) path!: string;
  @ApiProperty({ example: '2026-11-25T04:24:19.506Z' }) timestamp!: string;
}
