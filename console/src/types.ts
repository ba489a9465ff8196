export type ParameterType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
export const PARAMETER_TYPES: ParameterType[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
];

export interface ToolParameter {
  name: string;
  type: ParameterType;
  description: string;
  required: boolean;
}

export interface HttpExecutor {
  type: 'http';
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export type JsonSchema = Record<string, unknown>;

/** A tool as GET /tools and GET /tools/:name show it. */
export interface Tool {
  name: string;
  title: string | null;
  description: string;
  parameters: ToolParameter[];
  inputSchema: JsonSchema;
  outputSchema: JsonSchema | null;
  annotations: Record<string, unknown> | null;
  builtin: boolean;
  enabled: boolean;
  version: number;
  server: string;
  createdAt: string;
  updatedAt: string;
  executor?: HttpExecutor | { type: string } | null;
  /** Where an imported tool came from; its parameters and executor are its document's. */
  openapi?: { source: string; operationId: string } | null;
}

export interface ToolList {
  server: string;
  count: number;
  tools: Tool[];
}

export interface Info {
  server: string;
  id: string;
  version: string;
  port: number;
  mcpEndpoint: string;
  uptimeSeconds: number;
  toolCount: number;
}

export interface Health {
  status: string;
  server: string;
  port: number;
  database: string;
  timestamp: string;
}

export interface CallResult {
  tool: string;
  server: string;
  operation: string;
  result: unknown;
  durationMs: number;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: unknown;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Per-tool usage over the stats window. */
export interface Usage {
  calls: number;
  /** 0..1 */
  errorRate: number | null;
  p95Ms: number | null;
}

/** One operation of an OpenAPI import, as POST /tools/import lists it. */
export interface ImportedOperation {
  name: string;
  operationId: string;
  method: string;
  path: string;
  summary?: string;
  tags: string[];
}

/** What POST /tools/import did (201) or would do (200, dry run). */
export interface ImportResult {
  server: string;
  dryRun: boolean;
  source: string;
  prefix: string;
  title: string;
  openapi: string;
  operations: number;
  created: ImportedOperation[];
  updated: ImportedOperation[];
  unchanged: ImportedOperation[];
  removed: Array<{ name: string; operationId?: string; method?: string; path?: string }>;
  skipped: Array<Omit<ImportedOperation, 'name'> & { reason: string }>;
}
