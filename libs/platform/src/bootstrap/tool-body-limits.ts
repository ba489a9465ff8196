import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError, type PlatformError } from '@app/core';
import { type ParsedRequest, pathOf, type Step } from '@app/core';
import { checkJsonBounds } from '@app/tools';
import { sendError } from '../security/respond.js';
import { toolDefinitionOf } from '@app/tools';
import type { ToolHandler } from '@app/tools';

export interface BodyLimits {
  maxBodyBytes: number;
  maxArrayLength: number;
}

/** Size of the raw body, recorded by the JSON parser's `verify` hook. */
const BODY_BYTES = Symbol('bodyBytes');
type Measured = IncomingMessage & { [BODY_BYTES]?: number };

/**
 * Body limits per tool: a tool may declare larger ones with `@Tool({ maxBodyBytes, maxArrayLength })`.
 * Calls (`POST /tools/call`, `POST /mcp`) are parsed up to the largest declared limit, then held
 * to their own tool's limit before anything else looks at them; every other route keeps the server's.
 * Every parsed body is also held to the JSON bounds (depth, array length, storable strings).
 */
export class ToolBodyLimits {
  private readonly byTool = new Map<string, BodyLimits>();
  /** The most any call may send. */
  readonly largest: BodyLimits;

  constructor(
    readonly defaults: BodyLimits,
    handlers: ToolHandler[],
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

  /** True for the routes whose body limit depends on the tool called. */
  isCall(req: IncomingMessage): boolean {
    return callRouteOf(req) !== undefined;
  }

  /** `verify` hook for express.json: remembers how many bytes the body had. */
  readonly measure = (req: IncomingMessage, _res: unknown, buf: Buffer): void => {
    (req as Measured)[BODY_BYTES] = buf.length;
  };

  /** The limits that apply to this request once its body is parsed. */
  limitsFor(req: ParsedRequest): BodyLimits {
    return this.isCall(req)
      ? this.byTool.get(calledTool(req.body) ?? '') || this.defaults
      : this.defaults;
  }

  /**
   * What is wrong with a parsed body, if anything: a call larger than its tool allows (413),
   * or JSON that breaks the bounds (400). `bytes`: the body's size, when not measured by the parser.
   */
  problemWith(
    req: ParsedRequest,
    bytes = (req as Measured)[BODY_BYTES],
  ): PlatformError | undefined {
    const limits = this.limitsFor(req);
    if (bytes !== undefined && bytes > limits.maxBodyBytes && this.isCall(req)) {
      const name = calledTool(req.body);
      return new PayloadTooLargeError(
        `The request body has ${bytes} bytes; ${name ? `tool '${name}'` : 'this call'} accepts at most ${limits.maxBodyBytes}`,
        { bytes, maxBodyBytes: limits.maxBodyBytes, ...(name ? { tool: name } : {}) },
      );
    }
    return checkJsonBounds(req.body, {
      maxDepth: this.maxDepth,
      maxArrayLength: limits.maxArrayLength,
    });
  }

  /** Middleware after the body parser: answers {@link problemWith} (a JSON-RPC error on /mcp). */
  readonly check: Step = (req, res, next) => {
    const problem = this.problemWith(req);
    if (!problem) return next();
    sendError(req, res, problem);
  };
}

/** The route of a request that calls a tool (`POST /tools/call` or `POST /mcp`), else undefined. */
export function callRouteOf(req: IncomingMessage): '/tools/call' | '/mcp' | undefined {
  if (req.method !== 'POST') return undefined;
  const path = pathOf(req);
  return path === '/tools/call' || path === '/mcp' ? path : undefined;
}

/** The tool a REST call (`{ name }`) or an MCP `tools/call` request (`{ params: { name } }`) names. */
function calledTool(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as { name?: unknown; method?: unknown; params?: { name?: unknown } };
  if (typeof b.name === 'string') return b.name;
  if (b.method === 'tools/call' && typeof b.params?.name === 'string') return b.params.name;
  return undefined;
}
