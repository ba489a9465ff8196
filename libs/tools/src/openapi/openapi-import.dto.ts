import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Exclude, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsNotEmpty,
  IsDefined,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** Optional, but never null (as in the tool DTOs: class-validator's @IsOptional lets null through). */
const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

export const IMPORT_PREFIX_PATTERN = /^[A-Za-z0-9_.-]{0,64}$/;

/** Where the document is: a URL to read it from, or the document itself. */
export class OpenApiSourceDto {
  @ApiPropertyOptional({
    example: 'http://127.0.0.1:8080/openapi.json',
    description: 'Read with GET (JSON or YAML); its host must be in HTTP_TOOL_ALLOWED_HOSTS',
  })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The OpenAPI 3.0 or 3.1 document itself (JSON)',
  })
  // Left out of the DTO: class-transformer would deep-copy a document of megabytes (100 to
  // 300 ms on the event loop) that the import reads, and checks, from the body as parsed.
  @Exclude({ toClassOnly: true })
  @Allow()
  document?: Record<string, unknown>;
}

/** `POST /tools/import`. */
export class ImportOpenApiDto {
  @ApiProperty({ type: OpenApiSourceDto, description: 'Exactly one of url or document' })
  @IsDefined({ message: 'source is required: {"url": "..."} or {"document": {...}}' })
  @IsObject({ message: 'source must be an object: {"url": "..."} or {"document": {...}}' })
  @ValidateNested()
  @Type(() => OpenApiSourceDto)
  source!: OpenApiSourceDto;

  @ApiPropertyOptional({
    example: 'http://127.0.0.1:8080/v2',
    description: "Where calls go; default: the document's first server (operation servers win)",
  })
  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  baseUrl?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['getPetById', 'store'],
    description: 'Import only the operations with these operationIds or tags',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  include?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['deletePet'],
    description: 'Leave out the operations with these operationIds or tags',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  exclude?: string[];

  @ApiPropertyOptional({
    example: 'petstore_',
    default: '',
    pattern: IMPORT_PREFIX_PATTERN.source,
    description: 'Put before every tool name; with the source, names what a re-import syncs',
  })
  @IsOmittable()
  @IsString()
  @Matches(IMPORT_PREFIX_PATTERN, { message: 'prefix must match ^[A-Za-z0-9_.-]{0,64}$' })
  prefix?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Authorization: 'Bearer ${PETSTORE_TOKEN}' },
    description:
      'Headers sent with every call; credentials must be `${ENV_NAME}` references, read at call time and never stored',
  })
  @IsOmittable()
  @IsObject({ message: 'headers must be an object of header names to strings' })
  headers?: Record<string, string>;

  @ApiPropertyOptional({
    default: false,
    description: 'true: answer what the import would do (200) and store nothing',
  })
  @IsOmittable()
  @IsBoolean()
  dryRun?: boolean;
}

class ImportedOperationView {
  @ApiProperty({ example: 'petstore_getPetById' }) name!: string;
  @ApiProperty({ example: 'getPetById' }) operationId!: string;
  @ApiProperty({ example: 'GET' }) method!: string;
  @ApiProperty({ example: '/pet/{petId}' }) path!: string;
  @ApiPropertyOptional({ example: 'Find pet by ID' }) summary?: string;
  @ApiProperty({ example: ['pet'] }) tags!: string[];
}

class RemovedToolView {
  @ApiProperty({ example: 'petstore_deletePet' }) name!: string;
  @ApiPropertyOptional({ example: 'deletePet' }) operationId?: string;
  @ApiPropertyOptional({ example: 'DELETE' }) method?: string;
  @ApiPropertyOptional({ example: '/pet/{petId}' }) path?: string;
}

class SkippedOperationView {
  @ApiProperty({ example: 'uploadFile' }) operationId!: string;
  @ApiProperty({ example: 'POST' }) method!: string;
  @ApiProperty({ example: '/pet/{petId}/uploadImage' }) path!: string;
  @ApiPropertyOptional({ example: 'uploads an image' }) summary?: string;
  @ApiProperty({ example: ['pet'] }) tags!: string[];
  @ApiProperty({ example: 'its request body is not JSON (multipart/form-data)' }) reason!: string;
}

/** What an import did (201) or would do (200, dry run). */
export class ImportResultView {
  @ApiProperty({ example: 'my_server' }) server!: string;
  @ApiProperty({ example: false }) dryRun!: boolean;
  @ApiProperty({ example: 'http://127.0.0.1:8080/openapi.json' }) source!: string;
  @ApiProperty({ example: '' }) prefix!: string;
  @ApiProperty({ example: 'Swagger Petstore' }) title!: string;
  @ApiProperty({ example: '3.0.0' }) openapi!: string;
  @ApiProperty({ example: 20, description: 'Operations in the document' }) operations!: number;
  @ApiProperty({ type: [ImportedOperationView] }) created!: ImportedOperationView[];
  @ApiProperty({ type: [ImportedOperationView] }) updated!: ImportedOperationView[];
  @ApiProperty({ type: [ImportedOperationView] }) unchanged!: ImportedOperationView[];
  @ApiProperty({
    type: [RemovedToolView],
    description: 'Tools of this source and prefix whose operation is gone or no longer chosen',
  })
  removed!: RemovedToolView[];
  @ApiProperty({ type: [SkippedOperationView] }) skipped!: SkippedOperationView[];
}
