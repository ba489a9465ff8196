import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { codeOfStatus, ErrorCode, PlatformError } from '@app/core';
import { checkJsonBounds, type JsonBounds } from './json-bounds.js';
import { HTTP_PIPELINE_OPTIONS, type HttpPipelineOptions } from './pipeline.options.js';
import { RouteMetadata } from './route-metadata.js';

export const CALL_BODY_METADATA = 'mcp-multi-server:call-body';

/**
 * Marks a route that takes tool calls: its body is read up to the largest body any tool
 * accepts, and the route's own guard then holds it to the called tool's limits and the JSON
 * bounds (`@ToolCallLimits()` in @app/tools puts both on a route).
 */
export const CallBody = (): MethodDecorator & ClassDecorator =>
  SetMetadata(CALL_BODY_METADATA, true);

export const DOCUMENT_BODY_METADATA = 'mcp-multi-server:document-body';

/**
 * Marks a route that takes a whole document (an OpenAPI import): its body is read up to the
 * document limit instead of MAX_BODY_BYTES, still after the caller is admitted.
 */
export const DocumentBody = (): MethodDecorator & ClassDecorator =>
  SetMetadata(DOCUMENT_BODY_METADATA, true);

/** Where the JSON body guard records a body's size on its request. */
export const BODY_BYTES = Symbol('bodyBytes');
type Measured = IncomingMessage & { [BODY_BYTES]?: number };

/** How many bytes the request's JSON body had (after any content decoding), once parsed. */
export function bodyBytesOf(req: IncomingMessage): number | undefined {
  return (req as Measured)[BODY_BYTES];
}

/**
 * The global guard (APP_GUARD, after access and rate limit) that reads JSON bodies with
 * Express's own parser (body-parser: strict JSON, `application/json` and `application/*+json`,
 * gzip/deflate/br, UTF-8/16/32): up to MAX_BODY_BYTES, or up to the largest tool call on
 * `@CallBody()` routes. It runs after the guards that refuse a caller, not as middleware
 * before them, so a caller without a key or past the rate limit is answered before a byte of
 * their body (up to the largest tool call) is read. Parser errors (malformed JSON, too large,
 * an unsupported charset) are thrown in the route's context, so the route's filter answers
 * them: the platform's JSON error, or a JSON-RPC error on /mcp. Bodies of other routes are held
 * to the JSON bounds here; call routes are bounded by their own guard, per tool.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  private readonly callBodies: RouteMetadata<boolean>;
  private readonly documentBodies: RouteMetadata<boolean>;
  private readonly routeJson: RequestHandler;
  private readonly callJson: RequestHandler;
  private readonly documentJson: RequestHandler;
  private readonly bounds: JsonBounds;

  constructor(reflector: Reflector, @Inject(HTTP_PIPELINE_OPTIONS) options: HttpPipelineOptions) {
    this.callBodies = new RouteMetadata(reflector, CALL_BODY_METADATA);
    this.routeJson = jsonParser(options.maxBodyBytes);
    this.callJson = jsonParser(options.maxCallBodyBytes);
    this.documentBodies = new RouteMetadata(reflector, DOCUMENT_BODY_METADATA);
    this.documentJson = jsonParser(options.maxDocumentBodyBytes);
    this.bounds = { maxDepth: options.maxJsonDepth, maxArrayLength: options.maxJsonArrayLength };
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    // No body to read (most GETs): skip the parser and its promise.
    if (
      req.headers['content-length'] === undefined &&
      req.headers['transfer-encoding'] === undefined
    )
      return true;
    const problem = unsupportedBody(req);
    if (problem) throw problem;
    const call = this.callBodies.of(context) === true;
    const parse = call
      ? this.callJson
      : this.documentBodies.of(context) === true
        ? this.documentJson
        : this.routeJson;
    return new Promise((resolve, reject) => {
      parse(req, http.getResponse<Response>(), (err?: unknown) => {
        if (err) return reject(fromBodyParser(err));
        const problem = call ? undefined : checkJsonBounds(req.body, this.bounds);
        if (problem) reject(problem);
        else resolve(true);
      });
    });
  }
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A 415 for a body that is not declared as JSON. The parser would skip it, and the route would
 * then see no body at all and answer about missing fields: the real mistake is the header.
 */
function unsupportedBody(req: Request): PlatformError | undefined {
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) === 0) return undefined;
  if (req.is(JSON_TYPES)) return undefined;
  return notJson(req.headers['content-type']);
}

/** The 415 of a body sent as `sent` (a Content-Type, or none) where JSON is expected. */
export function notJson(sent: string | undefined): PlatformError {
  return new PlatformError(
    415,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    `Content-Type must be application/json: the body was sent ${sent ? `as ${sent}` : 'without a Content-Type'}`,
    { contentType: sent ?? null },
  );
}

function jsonParser(limit: number): RequestHandler {
  return express.json({
    limit,
    strict: true,
    type: JSON_TYPES,
    verify: (req, _res, buf) => {
      (req as Measured)[BODY_BYTES] = buf.length;
    },
  });
}

/** The answer to a body that is not valid JSON. */
export function malformedJson(): PlatformError {
  return new PlatformError(400, ErrorCode.MALFORMED_JSON, 'The request body is not valid JSON');
}

/** The answer to a body past the route's limit. */
export function bodyTooLarge(): PlatformError {
  return new PlatformError(413, ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large');
}

/**
 * The parser's refusals as the platform's errors, so the filters answer them like any other.
 * body-parser's errors carry their HTTP status (http-errors), and a body that is not JSON is
 * the SyntaxError JSON.parse threw; the code follows the status ({@link codeOfStatus}), and
 * the message is written for the client. Anything else is passed on as it is.
 */
export function fromBodyParser(err: unknown): unknown {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return err;
  if (err instanceof SyntaxError) return malformedJson();
  if (status === 413) return bodyTooLarge();
  const message = status === 400 ? 'The request body was incomplete' : (err as Error).message;
  return new PlatformError(status, codeOfStatus(status), message);
}
