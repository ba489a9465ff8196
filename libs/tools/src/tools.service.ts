import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { RegisterToolDto } from './dto/tool.dto.js';
import type { ToolView } from './dto/responses.dto.js';
import {
  InvalidRequestError,
  ToolNotFoundError,
  ToolNotImplementedError,
} from './errors/tool-errors.js';
import { parametersToSchema, schemaToParameters, withOperation } from './executor/schema.js';
import { type RegisteredTool, ToolRegistry } from './executor/tool-registry.js';
import { withCallTimeout } from './security/call-timeout.js';
import { SERVER_RUNTIME, type ServerRuntime } from './server-runtime.js';
import { TOOL_HANDLERS } from './tools.constants.js';
import { toolDefinitionOf } from './tool.decorator.js';
import type { ToolEntity } from './tool.entity.js';
import type { ToolArguments, ToolCallContext, ToolHandler } from './tool.types.js';
import { ToolChangeListener } from './tool-change.listener.js';
import { type ToolChange, ToolsRepository } from './tools.repository.js';

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
export class ToolsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ToolsService.name);

  constructor(
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    @Inject(TOOL_HANDLERS) private readonly handlers: ToolHandler[],
    private readonly registry: ToolRegistry,
    private readonly repository: ToolsRepository,
    private readonly changes: ToolChangeListener,
  ) {}

  get serverId(): string {
    return this.runtime.server.id;
  }

  /** Seeds the built-in tools, loads the catalogue and follows changes made by other processes. */
  async onApplicationBootstrap(): Promise<void> {
    const builtins = this.handlers.map((handler) => {
      const def = toolDefinitionOf(handler);
      if (!def) throw new Error(`${handler.constructor.name} is not decorated with @Tool(...)`);
      this.registry.addHandler(def.name, handler);
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

  get(name: string): RegisteredTool {
    const tool = this.registry.get(name);
    if (!tool) throw new ToolNotFoundError(name, this.serverId);
    return tool;
  }

  /** Stores a new tool for this server; it is callable here at once and announced to other processes. */
  async register(dto: RegisterToolDto): Promise<RegisteredTool> {
    const seen = new Map<string, number>();
    dto.parameters.forEach((p, i) => {
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
    const parameters = dto.parameters.map((p) => ({
      name: p.name,
      type: p.type,
      description: p.description ?? '',
      required: p.required ?? false,
    }));
    const record = await this.repository.insert({
      serverId: this.serverId,
      name: dto.name,
      title: dto.title ?? null,
      description: dto.description,
      parameters,
      inputSchema: parametersToSchema(parameters),
      outputSchema: null,
      annotations: null,
      builtin: false,
      enabled: true,
    });
    return this.registry.upsert(record);
  }

  /** Validates the arguments against the tool's schema and runs its executor within CALL_TIMEOUT_MS. */
  async call(
    name: string,
    args: ToolArguments,
    context: Omit<ToolCallContext, 'serverId' | 'signal'> & { signal?: AbortSignal },
  ): Promise<CallOutcome> {
    const tool = this.get(name);
    tool.validate(args);
    if (!tool.handler) throw new ToolNotImplementedError(name);
    const handler = tool.handler;
    const started = performance.now();
    const result = await withCallTimeout(
      name,
      this.runtime.config.callTimeoutMs,
      context.signal,
      (signal) => handler.execute(args, { ...context, serverId: this.serverId, signal }),
    );
    return {
      tool: name,
      operation: typeof args.operation === 'string' ? args.operation : 'execute',
      result,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
  }

  /** Public JSON view of a tool. */
  view(tool: RegisteredTool): ToolView {
    return toView(tool.record);
  }

  private async onChange(change: ToolChange | 'resync'): Promise<void> {
    try {
      if (change === 'resync') return await this.reload();
      const record = await this.repository.findOne(this.serverId, change.name);
      if (record) this.registry.upsert(record);
      else this.registry.remove(change.name);
    } catch (err) {
      this.logger.warn(`could not apply a tool change: ${(err as Error).message}`);
    }
  }
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
    builtin: r.builtin,
    enabled: r.enabled,
    version: r.version,
    server: r.serverId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
