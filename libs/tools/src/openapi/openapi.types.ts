/**
 * The parts of a dereferenced OpenAPI 3.0/3.1 document the import reads (no `$ref` is
 * left once the parser has resolved it). Everything is optional: the parser has validated
 * the document, but the import still reads defensively.
 */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  servers?: OpenApiServer[];
  paths?: Record<string, OpenApiPathItem | undefined>;
}

export interface OpenApiServer {
  url: string;
  variables?: Record<string, { default?: string }>;
}

export interface OpenApiPathItem {
  summary?: string;
  description?: string;
  servers?: OpenApiServer[];
  parameters?: OpenApiParameter[];
  [method: string]: unknown;
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  servers?: OpenApiServer[];
  parameters?: OpenApiParameter[];
  requestBody?: {
    description?: string;
    required?: boolean;
    content?: Record<string, OpenApiMedia>;
  };
  responses?: Record<string, { content?: Record<string, OpenApiMedia> } | undefined>;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  description?: string;
  required?: boolean;
  deprecated?: boolean;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  schema?: unknown;
  content?: Record<string, OpenApiMedia>;
}

export interface OpenApiMedia {
  schema?: unknown;
}
