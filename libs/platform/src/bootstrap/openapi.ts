import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  AuthenticationRequiredError,
  BuiltinToolProtectedError,
  DatabaseUnavailableError,
  ForbiddenError,
  InvalidArgumentsError,
  InvalidRequestError,
  PayloadTooLargeError,
  PlatformError,
  PreconditionFailedError,
  RateLimitedError,
  type ServerRuntime,
  toErrorBody,
  ToolConflictError,
  ToolDisabledError,
  ToolNotFoundError,
  ToolNotImplementedError,
  ToolTimeoutError,
  UpstreamError,
  UpstreamTimeoutError,
} from '@app/core';
import { API_KEY_SCHEME, bodyTooLarge, malformedJson, notJson } from '@app/http';
import {
  closestName,
  parseCallRequest,
  type RegisteredTool,
  toolDefinitionOf,
  TOOL_HANDLERS,
  type ToolArguments,
  type ToolHandler,
  ToolsService,
  withOfflineHint,
} from '@app/tools';
import type { ServerDefinition } from './server-definition.js';

/** What the document's examples are made of: this server and its own tools. */
interface Facts {
  runtime: ServerRuntime;
  tools: readonly RegisteredTool[];
  /** The first tool with examples (or the first tool): the one every single example names. */
  tool?: RegisteredTool;
  /** The offline settings of the first built-in tool that declares them. */
  offline?: Record<string, string>;
}

const ERROR_VIEW = '#/components/schemas/ErrorView';

type Operation = {
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; example?: unknown; schema?: unknown }>;
  requestBody?: { content: Record<string, { examples?: unknown; schema?: unknown }> };
  responses: Record<string, Response>;
};
type Response = {
  description?: string;
  content?: Record<string, { schema?: unknown; example?: unknown; examples?: unknown }>;
};

/**
 * Serves Swagger UI at `/<path>` and the OpenAPI document at `/<path>-json` and `-yaml`. The
 * document is built on its first request, once the server listens and its tools are loaded,
 * so that every example is one of this server's own tools; each answer names the server as
 * the client reached it in `servers`.
 */
export function serveOpenApi(
  app: INestApplication,
  definition: ServerDefinition,
  runtime: ServerRuntime,
  path: string,
): void {
  SwaggerModule.setup(path, app, () => openApiDocument(app, definition, runtime), {
    jsonDocumentUrl: `${path}-json`,
    yamlDocumentUrl: `${path}-yaml`,
    customSiteTitle: `${definition.name} API`,
    // Swagger's hook is generic in the request type; the adapter is Express.
    patchDocumentOnRequest: (req, _res, document) => ({
      ...document,
      servers: [
        { url: originOf(req as Request, runtime), description: `${definition.name} (this server)` },
      ],
    }),
  });
}

/** This server's origin as the client reached it (its Host header), or as it was configured. */
function originOf(req: Request, runtime: ServerRuntime): string {
  const host = req.headers.host;
  const scheme = runtime.config.security.tls ? 'https' : 'http';
  if (host && /^[A-Za-z0-9.:[\]-]+$/.test(host)) return `${scheme}://${host}`;
  const { host: bound, port } = runtime.server;
  return `${scheme}://${bound.includes(':') ? `[${bound}]` : bound}:${port}`;
}

/** The OpenAPI document of one server, its examples taken from its own tools. */
export function openApiDocument(
  app: INestApplication,
  definition: ServerDefinition,
  runtime: ServerRuntime,
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`${definition.name} (${runtime.server.id})`)
    .setDescription(
      `${definition.description}\n\nREST API of one MCP server. The same tools are served over MCP (Streamable HTTP) at \`/mcp\`. ` +
        'Every error is JSON with `statusCode`, `error`, a stable `code`, a `message` that says what to do, and `details`.',
    )
    .setVersion(runtime.server.version)
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key',
        description:
          'An API key from the server configuration, sent as `Authorization: Bearer <key>`: an opaque string, not a JWT. ' +
          'ADMIN_API_KEY registers, changes and deletes tools (without it, only clients on this machine may); ' +
          'a key of API_KEYS (or the admin key) calls tools, which need no key while API_KEYS is not set.' +
          (runtime.config.security.oauth
            ? ` In OAuth mode an access token from ${runtime.config.security.oauth.issuer} issued for this server is accepted too (scopes tools:read, tools:call, tools:admin).`
            : ''),
      },
      API_KEY_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const tools = app.get(ToolsService).list();
  const handlers = app.get<ToolHandler[]>(TOOL_HANDLERS);
  const tool = tools.find((t) => examplesOf(t).length > 0) ?? tools[0];
  const offline = handlers.map((h) => toolDefinitionOf(h)?.offline).find((o) => o !== undefined);
  teach(document, { runtime, tools, tool, offline });
  return document;
}

/** The example arguments a tool declares (`examples` of its inputSchema). */
function examplesOf(tool: RegisteredTool): ToolArguments[] {
  const examples = tool.record.inputSchema.examples;
  return Array.isArray(examples)
    ? examples.filter((e): e is ToolArguments => typeof e === 'object' && e !== null)
    : [];
}

/** Puts this server's tools into the examples, and a real error body under every error status. */
function teach(document: OpenAPIObject, facts: Facts): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      const operation = value as Operation;
      const route = `${method.toUpperCase()} ${path}`;
      // Said, not left out: an operation without `security` would inherit a document-wide one.
      operation.security ??= [];
      if (route === 'POST /tools/call') callExamples(operation, facts);
      if (method === 'get' && facts.tool) {
        for (const p of operation.parameters ?? []) {
          if (p.in === 'path' && p.name === 'name') p.example = facts.tool.record.name;
        }
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const errors = Number(status) >= 400 ? errorExamples(route, Number(status), facts) : [];
        if (errors.length === 0) continue;
        const json = (response.content ??= {})['application/json'] ?? {};
        // An answer of its own shape (the health checks' 503) keeps its own example.
        if (json.schema && (json.schema as { $ref?: string }).$ref !== ERROR_VIEW) continue;
        response.content['application/json'] = json;
        json.schema = { $ref: ERROR_VIEW };
        delete json.example;
        json.examples = Object.fromEntries(
          errors.map((e) => [e.code, { summary: e.code, value: toErrorBody(e, path) }]),
        );
      }
    }
  }
  serverExamples(document, facts);
}

/** `POST /tools/call`: one example per example of each of this server's tools, first tool first. */
function callExamples(operation: Operation, { tools, tool }: Facts): void {
  const json = operation.requestBody?.content['application/json'];
  if (!json) return;
  const named = tool ? [tool, ...tools.filter((t) => t !== tool)] : [];
  const examples: Record<string, unknown> = {};
  for (const t of named) {
    const { name, description } = t.record;
    examplesOf(t).forEach((args, i) => {
      examples[i === 0 ? name : `${name} (${i + 1})`] = {
        summary: `${name}: ${description.split(/(?<=\.)\s/)[0]}`,
        value: { name, arguments: args },
      };
    });
  }
  if (Object.keys(examples).length === 0 && tool) {
    examples[tool.record.name] = { value: { name: tool.record.name, arguments: {} } };
  }
  if (Object.keys(examples).length > 0) json.examples = examples;
}

/** A name one letter off the tool's own: what a typo looks like. */
function misspelt(name: string): string {
  return name.length > 3 ? name.slice(0, -2) + name.slice(-1) : `${name}x`;
}

/** The errors a route really answers with `status`, built by the classes that answer them. */
function errorExamples(route: string, status: number, facts: Facts): PlatformError[] {
  const id = facts.runtime.server.id;
  const name = facts.tool?.record.name ?? 'lookup_order';
  const call = route === 'POST /tools/call';
  switch (status) {
    case 400:
      if (call) return [argumentsError(facts), envelopeError(), malformedJson()];
      if (route === 'POST /tools') {
        return [
          new InvalidRequestError(
            'name is required: the tool name, e.g. lookup_order; description is required: what the tool does, for the model',
          ),
          malformedJson(),
        ];
      }
      if (route.startsWith('PATCH')) {
        return [
          new InvalidRequestError(
            'Nothing to change: give at least one of title, description, parameters, executor, enabled',
          ),
        ];
      }
      if (route.endsWith('/stats')) {
        return [
          new InvalidRequestError(
            `window must be a duration such as 15m, 1h or 7d, at most ${facts.runtime.config.audit.retentionDays}d (AUDIT_RETENTION_DAYS)`,
            { field: 'window' },
          ),
        ];
      }
      return [malformedJson()];
    case 401:
      return [new AuthenticationRequiredError()];
    case 403:
      return [new ForbiddenError('This key may call tools but not change them')];
    case 404: {
      const typo = misspelt(name);
      const closest = closestName(
        typo,
        facts.tools.map((t) => t.record.name),
      );
      return [new ToolNotFoundError(typo, id, { closest })];
    }
    case 409:
      if (call) return [new ToolDisabledError(name, id)];
      if (route === 'POST /tools') return [new ToolConflictError(name, id)];
      return [
        new BuiltinToolProtectedError(
          name,
          route.startsWith('DELETE')
            ? 'it cannot be deleted (PATCH {"enabled":false} disables it)'
            : 'its description comes from its code and cannot be changed',
        ),
      ];
    case 412:
      return [
        new PreconditionFailedError('new_tool', '"3-1b4e28ba-2fa1-11d2-883f-0016d3cca427"', 3),
      ];
    case 413:
      return call
        ? [
            new PayloadTooLargeError(
              `The request body has 2000000 bytes; tool '${name}' accepts at most ${facts.runtime.config.maxBodyBytes}`,
              { bytes: 2000000, maxBodyBytes: facts.runtime.config.maxBodyBytes, tool: name },
            ),
          ]
        : [bodyTooLarge()];
    case 415:
      return [notJson('application/x-www-form-urlencoded')];
    case 429:
      return [new RateLimitedError(facts.runtime.config.security.rateLimitPerMinute || 60, 42)];
    case 501:
      return [new ToolNotImplementedError('new_tool')];
    case 502: {
      const failed = new UpstreamError('The data provider is unreachable (ENOTFOUND)', {
        reason: 'ENOTFOUND',
      });
      return [facts.offline ? (withOfflineHint(failed, facts.offline) as PlatformError) : failed];
    }
    case 503:
      return [new DatabaseUnavailableError()];
    case 504:
      return [
        new ToolTimeoutError(name, facts.runtime.config.callTimeoutMs),
        new UpstreamTimeoutError('The data provider did not answer within 5000 ms', {
          timeoutMs: 5000,
        }),
      ];
    default:
      return [];
  }
}

/** What the first example tool says to arguments it cannot take: its real validation error. */
function argumentsError({ tool }: Facts): PlatformError {
  try {
    tool?.validate({ operation: 'execute', unexpected: true });
  } catch (err) {
    if (err instanceof PlatformError) return err;
  }
  return new InvalidArgumentsError('arguments.unexpected is not a parameter of this tool');
}

/** What the body check says to a call that names no tool. */
function envelopeError(): PlatformError {
  try {
    parseCallRequest({ arguments: {} });
  } catch (err) {
    if (err instanceof PlatformError) return err;
  }
  return new InvalidRequestError('name must be a string naming the tool');
}

/** The property examples of the answers, made this server's: its name, id, port and a tool of its own. */
function serverExamples(document: OpenAPIObject, { runtime, tools, tool }: Facts): void {
  const schemas = (document.components?.schemas ?? {}) as Record<
    string,
    { properties?: Record<string, { example?: unknown }> }
  >;
  const set = (schema: string, property: string, example: unknown) => {
    const p = schemas[schema]?.properties?.[property];
    if (p && example !== undefined) p.example = example;
  };
  const { id, name, port, host } = runtime.server;
  const toolName = tool?.record.name;
  for (const schema of [
    'ToolView',
    'ToolListView',
    'CallResultView',
    'StatsView',
    'ToolStatsView',
  ]) {
    set(schema, 'server', id);
  }
  set('ToolView', 'name', toolName);
  set('ToolView', 'description', tool?.record.description);
  set('CallResultView', 'tool', toolName);
  set('ToolStatsView', 'tool', toolName);
  set('ToolUsageView', 'tool', toolName);
  for (const schema of ['HealthView', 'InfoView']) {
    set(schema, 'server', name);
    set(schema, 'port', port);
  }
  set('InfoView', 'id', id);
  set('InfoView', 'toolCount', tools.length);
  set(
    'InfoView',
    'tools',
    tools.slice(0, 5).map((t) => t.record.name),
  );
  set('InfoView', 'mcpEndpoint', `http://${host.includes(':') ? `[${host}]` : host}:${port}/mcp`);
}
