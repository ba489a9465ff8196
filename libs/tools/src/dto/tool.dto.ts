import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SCOPE_TOKEN } from '@app/http';
import { PARAMETER_TYPES, type ParameterType } from '../tool.types.js';

const REQUIRED_SCOPE_DOC = {
  example: 'finance:trade',
  description:
    'In OAuth mode, a scope an access token must hold, besides tools:call, to see and call the tool',
};
const SCOPE_MESSAGE =
  'requiredScope must be one OAuth scope: 1 to 128 printable characters, no space, " or \\';

/**
 * Optional, but never null. class-validator's `@IsOptional()` lets `null` through
 * unchecked, and a `null` where a list or a string belongs would reach the service as
 * such; here `null` is checked like any other value (and refused with a 400 naming it).
 */
const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** What `parameters` must be, said when it is something else (a JSON Schema object, often). */
const PARAMETERS_LIST =
  'parameters must be a list of {name, type, description, required}, e.g. [{"name":"city","type":"string","required":true}]; a JSON Schema object is not accepted here: the server builds the inputSchema from the list';
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

/** An existing HTTP endpoint that runs the tool. */
export class HttpExecutorDto {
  @ApiProperty({ enum: ['http'], example: 'http' })
  @IsIn(['http'], { message: 'type must be http' })
  type!: 'http';

  @ApiProperty({
    example: 'http://127.0.0.1:8080/lookup',
    description: 'Its host must be in HTTP_TOOL_ALLOWED_HOSTS',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url!: string;

  @ApiPropertyOptional({
    enum: ['GET', 'POST'],
    default: 'POST',
    description: 'POST sends the arguments as a JSON body, GET as the query string',
  })
  @IsOmittable()
  @IsIn(['GET', 'POST'], { message: 'method must be GET or POST' })
  method?: 'GET' | 'POST';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Authorization: 'Bearer ${LOOKUP_API_TOKEN}' },
    description:
      'Extra request headers. Credentials must be `${ENV_NAME}` references, read from the server environment at call time and never stored.',
  })
  @IsOmittable()
  @IsObject({ message: 'headers must be an object of header names to strings' })
  headers?: Record<string, string>;

  @ApiPropertyOptional({ example: 5000, default: 10000, minimum: 1, maximum: 30000 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(30000)
  timeoutMs?: number;
}

export class RegisterToolDto {
  @ApiProperty({ example: 'new_tool', pattern: TOOL_NAME_PATTERN.source })
  @IsString()
  @Matches(TOOL_NAME_PATTERN, {
    message: 'name must be 1 to 128 letters, digits, _ . or - (^[A-Za-z0-9_.-]{1,128}$)',
  })
  // The last decorator is checked first: an empty form is told what is missing, not a pattern.
  @IsNotEmpty({ message: 'name is required: the tool name, e.g. lookup_order' })
  name!: string;

  @ApiPropertyOptional({
    example: 'New tool',
    description: 'Human-friendly title shown by MCP clients',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(256)
  title?: string;

  @ApiProperty({ example: 'Description of the new tool' })
  @IsString()
  @Matches(/\S/, { message: 'description must not be empty or blank' })
  @MaxLength(4000)
  @IsDefined({ message: 'description is required: what the tool does, for the model' })
  description!: string;

  @ApiPropertyOptional({ type: [ToolParameterDto], default: [] })
  @IsOmittable()
  @ValidateNested({ each: true })
  @Type(() => ToolParameterDto)
  @ArrayMaxSize(100, { message: 'parameters must have at most 100 entries' })
  @IsArray({ message: PARAMETERS_LIST })
  parameters: ToolParameterDto[] = [];

  @ApiPropertyOptional({
    type: HttpExecutorDto,
    description: 'What runs the tool; without one a call answers 501',
  })
  @IsOmittable()
  @ValidateNested()
  @Type(() => HttpExecutorDto)
  executor?: HttpExecutorDto;

  @ApiPropertyOptional(REQUIRED_SCOPE_DOC)
  @IsOmittable()
  @IsString()
  @Matches(SCOPE_TOKEN, { message: SCOPE_MESSAGE })
  requiredScope?: string;
}

/**
 * The `{name}` of every `/tools/{name}` route, held to the rule a registered name follows, so a
 * name no tool can have (control characters, `%00`, 129 characters...) is a 400 before any
 * lookup, never a database error.
 */
export class ToolNameParams {
  @ApiProperty({ example: 'get_time', pattern: TOOL_NAME_PATTERN.source })
  @IsString()
  @Matches(TOOL_NAME_PATTERN, {
    message: 'name in the path must match ^[A-Za-z0-9_.-]{1,128}$',
  })
  name!: string;
}

/** PATCH /tools/:name: every field optional; built-in tools accept only `enabled`. */
export class UpdateToolDto {
  @ApiPropertyOptional({ example: 'Shorter title' })
  @IsOmittable()
  @IsString()
  @MaxLength(256)
  title?: string;

  @ApiPropertyOptional({ example: 'What the tool does, for the model' })
  @IsOmittable()
  @IsString()
  @Matches(/\S/, { message: 'description must not be empty or blank' })
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({
    type: [ToolParameterDto],
    description: 'Replaces the whole parameter list (and so the inputSchema)',
  })
  @IsOmittable()
  @ValidateNested({ each: true })
  @Type(() => ToolParameterDto)
  @ArrayMaxSize(100, { message: 'parameters must have at most 100 entries' })
  @IsArray({ message: PARAMETERS_LIST })
  parameters?: ToolParameterDto[];

  @ApiPropertyOptional({
    type: HttpExecutorDto,
    nullable: true,
    description: 'A new executor, or null to remove it (calls then answer 501)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => HttpExecutorDto)
  executor?: HttpExecutorDto | null;

  @ApiPropertyOptional({
    ...REQUIRED_SCOPE_DOC,
    // `string | null` reflects as Object: the schema names the type itself.
    type: String,
    nullable: true,
    description: `${REQUIRED_SCOPE_DOC.description}; null removes it`,
  })
  @IsOptional()
  @IsString()
  @Matches(SCOPE_TOKEN, { message: SCOPE_MESSAGE })
  requiredScope?: string | null;

  @ApiPropertyOptional({
    example: false,
    description: 'false hides the tool from MCP and refuses calls (409 TOOL_DISABLED)',
  })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}
