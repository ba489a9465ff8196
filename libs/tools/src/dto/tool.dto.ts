import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PARAMETER_TYPES, type ParameterType } from '../tool.types.js';

export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
export const PARAMETER_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export class ToolParameterDto {
  @ApiProperty({ example: 'param1', pattern: PARAMETER_NAME_PATTERN.source })
  @IsString()
  @Matches(PARAMETER_NAME_PATTERN, { message: 'name must match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$' })
  name!: string;

  @ApiProperty({ enum: PARAMETER_TYPES, example: 'string' })
  @IsIn(PARAMETER_TYPES, { message: `type must be one of ${PARAMETER_TYPES.join(', ')}` })
  type!: ParameterType;

  @ApiPropertyOptional({ example: 'Parameter description', default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description: string = '';

  @ApiPropertyOptional({ example: true, default: false })
  @IsOptional()
  @IsBoolean()
  required: boolean = false;
}

export class RegisterToolDto {
  @ApiProperty({ example: 'new_tool', pattern: TOOL_NAME_PATTERN.source })
  @IsString()
  @Matches(TOOL_NAME_PATTERN, { message: 'name must match ^[A-Za-z0-9_.-]{1,128}$' })
  name!: string;

  @ApiPropertyOptional({
    example: 'New tool',
    description: 'Human-friendly title shown by MCP clients',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  title?: string;

  @ApiProperty({ example: 'Description of the new tool' })
  @IsString()
  @IsNotEmpty({ message: 'description must not be empty' })
  @MaxLength(4000)
  description!: string;

  @ApiPropertyOptional({ type: [ToolParameterDto], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ToolParameterDto)
  parameters: ToolParameterDto[] = [];
}

export class CallToolDto {
  @ApiProperty({ example: 'get_stock_price' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { operation: 'execute', symbol: 'AAPL' },
    description:
      "The tool's arguments, checked against its inputSchema. `operation` defaults to `execute`.",
  })
  @IsOptional()
  @IsObject({ message: 'arguments must be a JSON object' })
  arguments: Record<string, unknown> = {};
}

/** PATCH /tools/:name: every field optional; built-in tools accept only `enabled`. */
export class UpdateToolDto {
  @ApiPropertyOptional({ example: 'Shorter title' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  title?: string;

  @ApiPropertyOptional({ example: 'What the tool does, for the model' })
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'description must not be empty' })
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({
    type: [ToolParameterDto],
    description: 'Replaces the whole parameter list (and so the inputSchema)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ToolParameterDto)
  parameters?: ToolParameterDto[];

  @ApiPropertyOptional({
    example: false,
    description: 'false hides the tool from MCP and refuses calls (409 TOOL_DISABLED)',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
