import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { parseCallRequest } from '@app/tools';
import { answerException } from '../errors/platform-exception.filter.js';
import { nameRoute, type ParsedRequest, type Step } from '@app/core';
import type { McpHttpEndpoint } from '@app/mcp';
import { callOrigin } from '@app/core';
import { sendError } from '../security/respond.js';
import type { ToolsService } from '@app/tools';
import { callRouteOf, type ToolBodyLimits } from './tool-body-limits.js';

export interface CallLaneOptions {
  limits: ToolBodyLimits;
  tools: ToolsService;
  mcp: McpHttpEndpoint;
}

/** The one content type the lane reads itself: JSON in UTF-8, the only thing MCP clients send. */
const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*"?utf-8"?[ \t]*)?$/i;

/**
 * The hot path: `POST /tools/call` and `POST /mcp` with a plain JSON body, answered by the
 * last step of the front door (bootstrap/front-door.ts). The steps before it (request id,
 * access log, metrics, in-flight count, security headers, CORS, authentication, rate limit)
 * have run; it does what Express would do next, in the same order and with the same answers,
 * without Express's per-request setup, the body parser's content negotiation and decoders,
 * the router and Nest's per-route pipeline (see Performance in the README for the numbers).
 *
 * 1. The body is read up to the largest call limit and parsed as the body parser would
 *    (strict: an object or an array; empty is `{}`); its errors carry the body parser's
 *    `type`, so {@link sendError} answers them in the same words as after the parser.
 * 2. {@link ToolBodyLimits.problemWith}: the tool's own size limit and the JSON bounds.
 * 3. `/tools/call`: {@link parseCallRequest} and {@link ToolsService.answer}, as the
 *    controller does; `/mcp`: the MCP endpoint, as its middleware does.
 *
 * Anything else ({@link laneRoute}: another charset or media type, a compressed body, no
 * body) goes on to Express: the body parser, the same checks as middleware, then the
 * controller or the MCP middleware, which answer alike (test/call-lane.e2e-spec.ts).
 */
export function callLane({ limits, tools, mcp }: CallLaneOptions): Step {
  const logger = new Logger('Errors');
  const maxBytes = limits.largest.maxBodyBytes;

  const answerRest = async (req: ParsedRequest, res: ServerResponse): Promise<void> => {
    try {
      const view = await tools.answer(parseCallRequest(req.body), callOrigin(req, res));
      const json = JSON.stringify(view);
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(json),
      });
      res.end(json);
    } catch (err) {
      answerException(req, res, err, logger);
    }
  };

  return (incoming, res, next) => {
    const route = laneRoute(incoming);
    if (!route) return next();
    // Named for the request metrics and the access log, refusals of its body included.
    nameRoute(res, route);
    const req: ParsedRequest = incoming;
    readBody(req, maxBytes).then(
      (body) => {
        try {
          req.body = parseJson(body);
        } catch (err) {
          return next(err);
        }
        const problem = limits.problemWith(req, body.length);
        if (problem) return sendError(req, res, problem);
        if (route === '/mcp')
          mcp.handle(req, res).catch((err) => answerException(req, res, err, logger));
        else void answerRest(req, res);
      },
      (err: unknown) => next(err),
    );
  };
}

/** The route of a request the lane takes, or undefined. */
export function laneRoute(req: IncomingMessage): '/tools/call' | '/mcp' | undefined {
  const route = callRouteOf(req);
  if (!route) return undefined;
  const { headers } = req;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  // No body at all: the body parser's business (it leaves `req.body` unset).
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined)
    return undefined;
  const type = headers['content-type'];
  return type !== undefined && PLAIN_JSON.test(type) ? route : undefined;
}

/** An error in the body parser's shape (`status`, `type`), answered by the same handler. */
function bodyError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, type });
}

/**
 * Reads a request body of at most `limit` bytes. A refused body is read off to its end
 * before the promise rejects, so the answer does not race the client's upload.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    const length = declared === undefined ? undefined : Number(declared);
    const chunks: Buffer[] = [];
    let received = 0;
    const refuse = (error: Error) => {
      stop();
      if (req.readableEnded || req.destroyed) return reject(error);
      req.once('end', () => reject(error));
      req.once('close', () => reject(error));
      req.resume();
    };
    const tooLarge = () => bodyError(413, 'entity.too.large', 'request entity too large');
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) refuse(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      if (length !== undefined && received !== length) {
        reject(bodyError(400, 'request.size.invalid', 'request size did not match content length'));
      } else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    };
    const onClose = () => {
      stop();
      reject(bodyError(400, 'request.aborted', 'request aborted'));
    };
    const onError = (err: Error) => {
      stop();
      reject(Object.assign(err, { status: 400, type: 'request.aborted' }));
    };
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onError);
    };
    if (length !== undefined && length > limit) return refuse(tooLarge());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onError);
  });
}

/**
 * JSON as the body parser reads it in strict mode: UTF-8 with an optional byte-order mark,
 * an object or an array at the top, and an empty body read as `{}`.
 */
export function parseJson(body: Buffer): unknown {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return {};
  const c = text.charCodeAt(0);
  // Almost every body starts with its brace; only the others need the whitespace skipped.
  const first = c === 0x7b || c === 0x5b ? text[0] : /^[ \t\n\r]*(.)/.exec(text)?.[1];
  if (first === '{' || first === '[') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // answered below
    }
  }
  throw bodyError(400, 'entity.parse.failed', 'The request body is not valid JSON');
}
