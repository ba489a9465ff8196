import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  type Type,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { PayloadTooLargeError, type PlatformError } from '@app/core';
import { bodyBytesOf, CallBody, checkJsonBounds } from '@app/http';
import { toolDefinitionOf } from '../tool.decorator.js';
import type { ToolHandler } from '../tool.types.js';

export interface BodyLimits {
  maxBodyBytes: number;
  maxArrayLength: number;
}

/**
 * Body limits per tool: a tool may declare larger ones with `@Tool({ maxBodyBytes, maxArrayLength })`.
 * Calls are read up to the largest declared limit ({@link largest}), then held to their own
 * tool's limit and the JSON bounds before anything else looks at them.
 */
export class ToolBodyLimits {
  private readonly byTool = new Map<string, BodyLimits>();
  /** The most any call may send. */
  readonly largest: BodyLimits;

  constructor(
    readonly defaults: BodyLimits,
    /** Built-in tools, as classes or instances. */
    handlers: Array<Type<ToolHandler> | ToolHandler>,
    /** How deeply any JSON body may nest (MAX_JSON_DEPTH). */
    private readonly maxDepth = Infinity,
  ) {
    let largest = { ...defaults };
    for (const handler of handlers) {
      const def = toolDefinitionOf(handler);
      if (!def || (def.maxBodyBytes === undefined && def.maxArrayLength === undefined)) continue;
      const limits = {
        maxBodyBytes: Math.max(defaults.maxBodyBytes, def.maxBodyBytes ?? 0),
        maxArrayLength: Math.max(defaults.maxArrayLength, def.maxArrayLength ?? 0),
      };
      this.byTool.set(def.name, limits);
      largest = {
        maxBodyBytes: Math.max(largest.maxBodyBytes, limits.maxBodyBytes),
        maxArrayLength: Math.max(largest.maxArrayLength, limits.maxArrayLength),
      };
    }
    this.largest = largest;
  }

  /** The limits of the tool a call body names (the server's for a tool that declares none). */
  limitsFor(body: unknown): BodyLimits {
    return this.byTool.get(calledTool(body) ?? '') || this.defaults;
  }

  /**
   * What is wrong with a call's parsed body, if anything: larger than its tool allows (413),
   * or JSON that breaks the bounds (400). `bytes`: the body's size as the parser read it.
   */
  problemWith(body: unknown, bytes: number | undefined): PlatformError | undefined {
    const limits = this.limitsFor(body);
    if (bytes !== undefined && bytes > limits.maxBodyBytes) {
      const name = calledTool(body);
      return new PayloadTooLargeError(
        `The request body has ${bytes} bytes; ${name ? `tool '${name}'` : 'this call'} accepts at most ${limits.maxBodyBytes}`,
        { bytes, maxBodyBytes: limits.maxBodyBytes, ...(name ? { tool: name } : {}) },
      );
    }
    return checkJsonBounds(body, {
      maxDepth: this.maxDepth,
      maxArrayLength: limits.maxArrayLength,
    });
  }
}

/** The guard of the tool-call routes: {@link ToolBodyLimits.problemWith} on the parsed body. */
@Injectable()
export class ToolBodyLimitsGuard implements CanActivate {
  constructor(private readonly limits: ToolBodyLimits) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const problem = this.limits.problemWith(req.body, bodyBytesOf(req));
    if (problem) throw problem;
    return true;
  }
}

/**
 * A route that takes tool calls (`POST /tools/call`, `/mcp`): its body is read up to the
 * largest call any tool accepts, then held to the called tool's own limits and the JSON bounds.
 */
export const ToolCallLimits = (): MethodDecorator & ClassDecorator =>
  applyDecorators(CallBody(), UseGuards(ToolBodyLimitsGuard));

/** The tool a REST call (`{ name }`) or an MCP `tools/call` request (`{ params: { name } }`) names. */
function calledTool(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as { name?: unknown; method?: unknown; params?: { name?: unknown } };
  if (typeof b.name === 'string') return b.name;
  if (b.method === 'tools/call' && typeof b.params?.name === 'string') return b.params.name;
  return undefined;
}
