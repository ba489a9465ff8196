import { isDeepStrictEqual } from 'node:util';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import type { RegisterToolDto, ToolParameterDto, UpdateToolDto } from './dto/tool.dto.js';
import type { CallResultView, ToolListView, ToolView } from './dto/responses.dto.js';
import type { CallRequest } from './dto/call-request.pipe.js';
import { AuditService } from './audit/audit.service.js';
import {
  BuiltinToolProtectedError,
  ImportedToolProtectedError,
  ErrorCode,
  InvalidRequestError,
  PlatformError,
  PreconditionFailedError,
  ToolDisabledError,
  ToolNotFoundError,
  ToolNotImplementedError,
} from '@app/core';

import { PlatformMetrics } from './metrics/metrics.js';
import { type ToolCallTracer, untracedToolCall } from '@app/core';
import { parametersToSchema, schemaToParameters, withOperation } from './executor/schema.js';
import { HttpToolExecutor } from './executor/http-executor.js';
import { type RegisteredTool, ToolRegistry } from './executor/tool-registry.js';
import { withCallTimeout } from './limits/call-timeout.js';
import {
  type CallContext,
  InsufficientScopeError,
  SERVER_RUNTIME,
  type ServerRuntime,
} from '@app/core';
import { missingScopes, TOOLS_CALL } from '@app/http';
import { TOOL_HANDLERS } from './tools.constants.js';
import { entityTagMatches } from './entity-tags.js';
import { toolDefinitionOf } from './tool.decorator.js';
import type { ToolEntity } from './tool.entity.js';
import type { ToolArguments, ToolHandler, ToolParameter } from './tool.types.js';
import { ToolChangeListener } from './tool-change.listener.js';
import { ToolSuggestions } from './tool-suggestions.js';
import { withOfflineHint } from './offline-hint.js';
import { type ToolChange, ToolsRepository } from './tools.repository.js';

const RESYNC_RETRY_MS = 1000;

export interface CallOutcome {
  tool: string;
  operation: string;
  result: unknown;
  durationMs: number;
}

/**
 * The one place tools are listed, registered and called, shared by the REST
 * controller and the MCP endpoint.
 */
@Injectable()
export class ToolsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ToolsService.name);
  private listCache?: { revision: string; etag: string; json: string };
  private resyncTimer?: NodeJS.Timeout;
  private closed = false;
  /** Chosen once: with tracing off a call costs one call of a no-op. */
  private readonly traceCall: ToolCallTracer;
  /** The offline settings built-in tools declare, by tool name. */
  private readonly offline = new Map<string, Record<string, string>>();

  constructor(
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    @Inject(TOOL_HANDLERS) private readonly handlers: ToolHandler[],
    private readonly registry: ToolRegistry,
    private readonly repository: ToolsRepository,
    private readonly changes: ToolChangeListener,
    private readonly http: HttpToolExecutor,
    private readonly audit: AuditService,
    private readonly suggestions: ToolSuggestions,
    @Optional() private readonly metrics?: PlatformMetrics,
  ) {
    this.traceCall = runtime.tracing?.toolCall ?? untracedToolCall;
  }

  get serverId(): string {
    return this.runtime.server.id;
  }

  /** Seeds the built-in tools, loads the catalogue and follows changes made by other processes. */
  async onApplicationBootstrap(): Promise<void> {
    const builtins = this.handlers.map((handler) => {
      const def = toolDefinitionOf(handler);
      if (!def) throw new Error(`${handler.constructor.name} is not decorated with @Tool(...)`);
      this.registry.addHandler(def.name, handler);
      if (def.offline) this.offline.set(def.name, def.offline);
      const inputSchema = withOperation(def.inputSchema);
      return {
        serverId: this.serverId,
        name: def.name,
        title: def.title ?? null,
        description: def.description,
        parameters: schemaToParameters(inputSchema),
        inputSchema,
        outputSchema: def.outputSchema ?? null,
        annotations: def.annotations ?? null,
        requiredScope: def.requiredScope ?? null,
      };
    });
    const names = new Set<string>();
    for (const b of builtins) {
      if (names.has(b.name)) throw new Error(`Two built-in tools are named '${b.name}'`);
      names.add(b.name);
    }
    await this.repository.upsertBuiltins(builtins);
    this.changes.subscribe((change) => void this.onChange(change));
    await this.changes.start();
    await this.reload();
    this.logger.log(`${this.registry.size} tools loaded for ${this.serverId}`);
  }

  /** Reloads the whole catalogue from the database. */
  async reload(): Promise<void> {
    this.registry.replaceAll(await this.repository.findAll(this.serverId));
  }

  list(): readonly RegisteredTool[] {
    return this.registry.list();
  }

  /** The tool named `name`; a 404 that suggests the likely name (here or on another server) otherwise. */
  async get(name: string): Promise<RegisteredTool> {
    const tool = this.registry.get(name);
    if (!tool) throw await this.suggestions.notFound(name);
    return tool;
  }

  /** The 404 of a name this server does not have, with the closest name and other servers that have it. */
  notFound(name: string): Promise<ToolNotFoundError> {
    return this.suggestions.notFound(name);
  }

  /** Stores a new tool for this server; it is callable here at once and announced to other processes. */
  async register(dto: RegisterToolDto): Promise<RegisteredTool> {
    const parameters = normaliseParameters(dto.parameters);
    const executor = dto.executor ? await this.http.check(dto.executor) : null;
    const record = await this.repository.insert({
      serverId: this.serverId,
      name: dto.name,
      title: dto.title ?? null,
      description: dto.description,
      parameters,
      inputSchema: parametersToSchema(parameters),
      outputSchema: null,
      annotations: null,
      requiredScope: dto.requiredScope ?? null,
      executor,
      builtin: false,
      enabled: true,
    });
    return this.registry.upsert(record);
  }

  /**
   * Changes a tool. `ifMatch` (the `If-Match` header) must name the current version
   * when given; built-in tools only accept `enabled`. A change that changes nothing
   * keeps the version.
   */
  async update(name: string, dto: UpdateToolDto, ifMatch?: string): Promise<RegisteredTool> {
    const fields = Object.entries(dto)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
    if (fields.length === 0) {
      throw new InvalidRequestError(
        'Nothing to change: give at least one of title, description, parameters, executor, requiredScope, enabled',
      );
    }
    const parameters = dto.parameters && normaliseParameters(dto.parameters);
    const executor = dto.executor ? await this.http.check(dto.executor) : dto.executor;
    const record = await this.explainNotFound(name, () =>
      this.repository.update(this.serverId, name, (current) => {
        checkIfMatch(current, ifMatch);
        const patch: Partial<ToolEntity> = {};
        if (dto.enabled !== undefined && dto.enabled !== current.enabled)
          patch.enabled = dto.enabled;
        const definition = fields.filter((f) => f !== 'enabled');
        if (current.builtin && definition.length > 0) {
          throw new BuiltinToolProtectedError(
            name,
            `its ${definition.join(', ')} ${definition.length === 1 ? 'comes' : 'come'} from its code and cannot be changed`,
          );
        }
        if (dto.title !== undefined && dto.title !== current.title) patch.title = dto.title;
        if (dto.description !== undefined && dto.description !== current.description) {
          patch.description = dto.description;
        }
        if (parameters && !sameParameters(parameters, current.parameters)) {
          patch.parameters = parameters;
          patch.inputSchema = parametersToSchema(parameters);
        }
        if (executor !== undefined && !isDeepStrictEqual(executor, current.executor)) {
          patch.executor = executor;
        }
        // The same parameters or executor sent back (a form saving every field) are no change.
        const fromDocument = (['parameters', 'executor'] as const).filter((f) => f in patch);
        if (current.importSource !== null && fromDocument.length > 0) {
          throw new ImportedToolProtectedError(name, current.importSource, fromDocument);
        }
        if (dto.requiredScope !== undefined && dto.requiredScope !== current.requiredScope) {
          patch.requiredScope = dto.requiredScope;
        }
        return Object.keys(patch).length > 0 ? patch : null;
      }),
    );
    return this.registry.upsert(record);
  }

  /** Deletes a runtime tool; built-in tools can only be disabled. */
  async remove(name: string, ifMatch?: string): Promise<void> {
    await this.explainNotFound(name, () =>
      this.repository.delete(this.serverId, name, (current) => {
        checkIfMatch(current, ifMatch);
        if (current.builtin) {
          throw new BuiltinToolProtectedError(
            name,
            'it cannot be deleted (PATCH {"enabled":false} disables it)',
          );
        }
      }),
    );
    this.registry.remove(name);
  }

  /** Runs a change of the tool `name`; its plain 404 becomes one that suggests the likely name. */
  private async explainNotFound<T>(name: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (err) {
      throw err instanceof ToolNotFoundError ? await this.notFound(name) : err;
    }
  }

  /**
   * `GET /tools` as JSON text with its entity tag, built once per state of the catalogue:
   * a server with 10,000 tools serialises its list once per change, not once per request.
   */
  listDocument(): { etag: string; json: string } {
    const revision = this.registry.revision;
    if (this.listCache?.revision !== revision) {
      const tools = this.list().map((t) => this.view(t));
      const body: ToolListView = { server: this.serverId, count: tools.length, tools };
      this.listCache = { revision, etag: `W/"tools-${revision}"`, json: JSON.stringify(body) };
    }
    return this.listCache;
  }

  /** `POST /tools/call`: runs the call and answers with its outcome and the server that ran it. */
  async answer(request: CallRequest, context: CallContext): Promise<CallResultView> {
    const outcome = await this.call(request.name, request.arguments, context);
    return { ...outcome, server: this.serverId };
  }

  /** The entity tag of a tool's current version, for `ETag` and `If-Match`. */
  etag(tool: RegisteredTool): string {
    return etagOf(tool.record);
  }

  /**
   * Validates the arguments against the tool's schema and runs its executor within
   * CALL_TIMEOUT_MS. One measurement and one outcome feed both the metrics and the
   * audit record (every call of an existing tool is audited, refused ones too).
   */
  async call(name: string, args: ToolArguments, context: CallContext): Promise<CallOutcome> {
    const started = performance.now();
    const calledAt = new Date();
    const tool = this.registry.get(name);
    const span = this.traceCall(tool ? name : '(unknown)', context.transport);
    let errorCode: string | undefined;
    try {
      if (!tool) throw await this.notFound(name);
      if (context.scopes) this.checkScopes(tool, context.scopes);
      const result = await this.execute(tool, args, context, span.traceparent);
      return {
        tool: name,
        operation: typeof args.operation === 'string' ? args.operation : 'execute',
        result,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      };
    } catch (err) {
      errorCode = err instanceof PlatformError ? err.code : ErrorCode.INTERNAL_ERROR;
      throw this.withOfflineHint(name, err);
    } finally {
      const durationMs = performance.now() - started;
      // Unknown names share one label: clients must not be able to mint new series.
      this.metrics?.observeToolCall(
        tool ? name : '(unknown)',
        context.transport,
        errorCode ?? 'ok',
        durationMs / 1000,
      );
      // Recording never throws or waits; rows are written in batches.
      if (tool) {
        this.audit.record({
          tool: name,
          caller: context.caller,
          transport: context.transport,
          status: errorCode === undefined ? 'ok' : 'error',
          errorCode,
          durationMs,
          requestId: context.requestId,
          calledAt,
        });
      }
      span.end(errorCode ?? 'ok');
    }
  }

  private async execute(
    tool: RegisteredTool,
    args: ToolArguments,
    context: CallContext,
    traceparent: string | undefined,
  ): Promise<unknown> {
    const { name } = tool.record;
    if (!tool.record.enabled) throw new ToolDisabledError(name, this.serverId);
    tool.validate(args);
    const executor = tool.executor;
    if (!executor) throw new ToolNotImplementedError(name);
    const { serverId } = this;
    const { transport, requestId, caller } = context;
    return withCallTimeout(name, this.runtime.config.callTimeoutMs, context, (signal) =>
      executor.execute(args, {
        serverId,
        transport,
        requestId,
        caller,
        traceparent,
        // Made on first read: most built-in tools never look at it.
        get signal() {
          return signal();
        },
      }),
    );
  }

  /** The error of a call of `name`, told how to answer offline when its data provider failed. */
  private withOfflineHint(name: string, err: unknown): unknown {
    const offline = this.offline.get(name);
    return offline ? withOfflineHint(err, offline) : err;
  }

  /** The OAuth scopes a token needs to call `tool`: `tools:call` and the tool's own, if it has one. */
  scopesToCall(tool: RegisteredTool): string[] {
    const own = tool.record.requiredScope;
    return own && own !== TOOLS_CALL ? [TOOLS_CALL, own] : [TOOLS_CALL];
  }

  /** Throws the 403 `insufficient_scope` (with the scopes to ask for) when `granted` falls short of calling `tool`. */
  checkScopes(tool: RegisteredTool, granted: ReadonlySet<string>): void {
    const needed = this.scopesToCall(tool);
    if (missingScopes(needed, granted).length === 0) return;
    throw new InsufficientScopeError(
      needed,
      `Calling '${tool.record.name}' needs an access token with the scope ${needed.join(' and ')}`,
    );
  }

  /** Public JSON view of a tool. */
  view(tool: RegisteredTool): ToolView {
    return toView(tool.record);
  }

  private async onChange(change: ToolChange | 'resync'): Promise<void> {
    if (change === 'resync') return this.resync();
    try {
      if (change.action === 'reload') return await this.reload();
      const record = await this.repository.findOne(this.serverId, change.name);
      if (record) this.registry.upsert(record);
      else this.registry.remove(change.name);
    } catch (err) {
      this.logger.warn(`could not apply a tool change: ${(err as Error).message}`);
    }
  }

  /**
   * Reads the whole catalogue again after notifications may have been missed; tries again
   * each second until it succeeds, since a skipped resync would leave this process stale.
   */
  private async resync(): Promise<void> {
    try {
      await this.reload();
    } catch (err) {
      this.logger.warn(`could not resynchronise the registry: ${(err as Error).message}`);
      if (this.closed) return;
      this.resyncTimer = setTimeout(() => void this.resync(), RESYNC_RETRY_MS);
      this.resyncTimer.unref();
    }
  }

  onApplicationShutdown(): void {
    this.closed = true;
    clearTimeout(this.resyncTimer);
  }
}

function normaliseParameters(list: ToolParameterDto[]): ToolParameter[] {
  const seen = new Map<string, number>();
  list.forEach((p, i) => {
    if (p.name === 'operation') {
      throw new InvalidRequestError(
        `parameters[${i}].name 'operation' is reserved by the platform`,
        {
          field: `parameters[${i}].name`,
        },
      );
    }
    if (seen.has(p.name)) {
      throw new InvalidRequestError(
        `parameters[${i}].name '${p.name}' repeats parameters[${seen.get(p.name)}].name`,
        { field: `parameters[${i}].name` },
      );
    }
    seen.set(p.name, i);
  });
  return list.map((p) => ({
    name: p.name,
    type: p.type,
    description: p.description ?? '',
    required: p.required ?? false,
  }));
}

/**
 * Parameters given over REST against those stored. The platform's own `operation`, which a
 * client cannot send (it is reserved) but an imported tool's stored list holds, is left out.
 * Compared as values: PostgreSQL's jsonb does not keep the order of an object's keys.
 */
function sameParameters(given: ToolParameter[], stored: ToolParameter[]): boolean {
  return isDeepStrictEqual(
    given,
    stored.filter((p) => p.name !== 'operation'),
  );
}

/** Version plus id: a tool deleted and created again never matches an old tag. */
function etagOf(r: ToolEntity): string {
  return `"${r.version}-${r.id}"`;
}

/** `If-Match: *`, one tag or a list (weak prefixes ignored); absent means "no precondition". */
function checkIfMatch(current: ToolEntity, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const etag = etagOf(current);
  if (entityTagMatches(ifMatch, etag)) return;
  throw new PreconditionFailedError(current.name, etag, current.version);
}

function toView(r: ToolEntity): ToolView {
  return {
    name: r.name,
    title: r.title,
    description: r.description,
    parameters: r.parameters,
    inputSchema: r.inputSchema,
    outputSchema: r.outputSchema,
    annotations: r.annotations,
    requiredScope: r.requiredScope,
    executor: r.executor as Record<string, unknown> | null,
    openapi:
      r.importSource === null || r.importOperation === null
        ? null
        : { source: r.importSource, prefix: r.importPrefix ?? '', ...r.importOperation },
    builtin: r.builtin,
    enabled: r.enabled,
    version: r.version,
    server: r.serverId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
