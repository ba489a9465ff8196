/** Stable, documented error codes. Clients may switch on them; never rename one. */
export enum ErrorCode {
  INVALID_REQUEST = 'INVALID_REQUEST',
  MALFORMED_JSON = 'MALFORMED_JSON',
  INVALID_ARGUMENTS = 'INVALID_ARGUMENTS',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  TOOL_NOT_FOUND = 'TOOL_NOT_FOUND',
  TOOL_ALREADY_EXISTS = 'TOOL_ALREADY_EXISTS',
  TOOL_NOT_IMPLEMENTED = 'TOOL_NOT_IMPLEMENTED',
  TOOL_DISABLED = 'TOOL_DISABLED',
  BUILTIN_TOOL_PROTECTED = 'BUILTIN_TOOL_PROTECTED',
  IMPORTED_TOOL_PROTECTED = 'IMPORTED_TOOL_PROTECTED',
  PRECONDITION_FAILED = 'PRECONDITION_FAILED',
  UNKNOWN_SYMBOL = 'UNKNOWN_SYMBOL',
  UPSTREAM_ERROR = 'UPSTREAM_ERROR',
  UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT',
  UPSTREAM_RESPONSE_TOO_LARGE = 'UPSTREAM_RESPONSE_TOO_LARGE',
  HTTP_TOOL_HOST_REFUSED = 'HTTP_TOOL_HOST_REFUSED',
  TOOL_SECRET_MISSING = 'TOOL_SECRET_MISSING',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  INSUFFICIENT_SCOPE = 'INSUFFICIENT_SCOPE',
  AUTHORIZATION_SERVER_UNAVAILABLE = 'AUTHORIZATION_SERVER_UNAVAILABLE',
  RATE_LIMITED = 'RATE_LIMITED',
  BODY_TOO_COMPLEX = 'BODY_TOO_COMPLEX',
  TOOL_TIMEOUT = 'TOOL_TIMEOUT',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  TOO_MANY_STREAMS = 'TOO_MANY_STREAMS',
  CALL_CANCELLED = 'CALL_CANCELLED',
  OPENAPI_DOCUMENT_REFUSED = 'OPENAPI_DOCUMENT_REFUSED',
}

/** Base of every error the platform raises on purpose: a status, a stable code and details. */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super(400, ErrorCode.INVALID_REQUEST, message, details);
  }
}

export class InvalidArgumentsError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super(400, ErrorCode.INVALID_ARGUMENTS, message, details);
  }
}

/** What a server knows about a tool name it does not have: a likely typo, or other servers that have it. */
export interface ToolNameHint {
  /** The closest tool name on this server, when close enough to be a typo. */
  closest?: string;
  /** Other servers of the same database that have a tool of exactly this name. */
  elsewhere?: string[];
}

export class ToolNotFoundError extends PlatformError {
  constructor(name: string, serverId: string, hint: ToolNameHint = {}) {
    super(404, ErrorCode.TOOL_NOT_FOUND, toolNotFoundMessage(name, serverId, hint), {
      tool: name,
      server: serverId,
      ...(hint.closest ? { didYouMean: hint.closest } : {}),
      ...(hint.elsewhere?.length ? { onServers: hint.elsewhere } : {}),
    });
  }
}

function toolNotFoundMessage(name: string, serverId: string, hint: ToolNameHint): string {
  let message = `Tool '${name}' does not exist on ${serverId}`;
  if (hint.elsewhere?.length) {
    message += `; it is a tool of ${hint.elsewhere.join(' and ')}: call it on that server`;
  }
  if (hint.closest) message += `. Did you mean '${hint.closest}'?`;
  return message;
}

export class ToolConflictError extends PlatformError {
  constructor(name: string, serverId: string) {
    super(
      409,
      ErrorCode.TOOL_ALREADY_EXISTS,
      `A tool named '${name}' already exists on ${serverId}`,
      {
        tool: name,
        server: serverId,
      },
    );
  }
}

export class ToolNotImplementedError extends PlatformError {
  constructor(name: string) {
    super(
      501,
      ErrorCode.TOOL_NOT_IMPLEMENTED,
      `Tool '${name}' is registered but has nothing to execute it: it has no built-in handler and no executor`,
      { tool: name },
    );
  }
}

export class ToolDisabledError extends PlatformError {
  constructor(name: string, serverId: string) {
    super(
      409,
      ErrorCode.TOOL_DISABLED,
      `Tool '${name}' is disabled on ${serverId}; enable it with PATCH /tools/${name} {"enabled":true}`,
      { tool: name, server: serverId },
    );
  }
}

/** Built-in tools come from code: they may be disabled and enabled, never deleted or changed. */
export class BuiltinToolProtectedError extends PlatformError {
  constructor(name: string, attempted: string) {
    super(
      409,
      ErrorCode.BUILTIN_TOOL_PROTECTED,
      `Tool '${name}' is built in: it can be disabled or enabled, but ${attempted}`,
      { tool: name },
    );
  }
}

/**
 * An imported tool's parameters and executor are its OpenAPI operation's: changed here, they
 * would no longer match the request mapping made from the document, and the next import of it
 * would call the tool unchanged. They change by importing the changed document.
 */
export class ImportedToolProtectedError extends PlatformError {
  constructor(name: string, source: string, attempted: string[]) {
    super(
      409,
      ErrorCode.IMPORTED_TOOL_PROTECTED,
      `Tool '${name}' was imported from ${source}: its ${attempted.join(' and ')} come from that OpenAPI document; change the document and import it again (POST /tools/import)`,
      { tool: name, source },
    );
  }
}

/** `If-Match` named a version of the tool that is no longer current. */
export class PreconditionFailedError extends PlatformError {
  constructor(name: string, currentEtag: string, currentVersion: number) {
    super(
      412,
      ErrorCode.PRECONDITION_FAILED,
      `Tool '${name}' has changed since you read it (now version ${currentVersion}); GET it again and retry`,
      { tool: name, etag: currentEtag, version: currentVersion },
    );
  }
}

/** The market data provider knows no instrument by this symbol: the caller's mistake, so a 404. */
export class UnknownSymbolError extends PlatformError {
  constructor(symbol: string, provider: string, field = 'symbol') {
    super(
      404,
      ErrorCode.UNKNOWN_SYMBOL,
      `${field} '${symbol}' is not a symbol known to ${provider}`,
      {
        field,
        symbol,
        provider,
      },
    );
  }
}

/** A data provider or HTTP endpoint behind a tool answered with an error or garbage. */
export class UpstreamError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super(502, ErrorCode.UPSTREAM_ERROR, message, details);
  }
}

/**
 * The SSRF guard refused an HTTP tool's target: 400 when registering it, 502 at call
 * time (after DNS resolution or on a redirect), naming the rule that refused it.
 */
export class HttpToolHostRefusedError extends PlatformError {
  constructor(status: 400 | 502, message: string, details: { rule: string; url?: string }) {
    super(status, ErrorCode.HTTP_TOOL_HOST_REFUSED, message, details);
  }
}

/** The HTTP endpoint behind a tool answered with more than HTTP_TOOL_MAX_RESPONSE_BYTES. */
export class UpstreamResponseTooLargeError extends PlatformError {
  constructor(limitBytes: number) {
    super(
      502,
      ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE,
      `The upstream response is larger than HTTP_TOOL_MAX_RESPONSE_BYTES (${limitBytes} bytes)`,
      { limitBytes },
    );
  }
}

/** An HTTP tool's header refers to an environment variable this server does not have. */
export class ToolSecretMissingError extends PlatformError {
  constructor(tool: string, variable: string) {
    super(
      503,
      ErrorCode.TOOL_SECRET_MISSING,
      `Tool '${tool}' needs the environment variable ${variable}, which is not set on this server`,
      { tool, variable },
    );
  }
}

/** A data provider or HTTP endpoint behind a tool did not answer in time. */
export class UpstreamTimeoutError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super(504, ErrorCode.UPSTREAM_TIMEOUT, message, details);
  }
}

export class DatabaseUnavailableError extends PlatformError {
  constructor(message = 'The database is unavailable; try again shortly') {
    super(503, ErrorCode.DATABASE_UNAVAILABLE, message);
  }
}

/** No key, or a key the server does not know. */
export class AuthenticationRequiredError extends PlatformError {
  constructor(message = 'A valid API key is required: send Authorization: Bearer <key>') {
    super(401, ErrorCode.UNAUTHORIZED, message);
  }
}

/** A known key that is not allowed to do this (a caller key on an admin route, a remote write with no admin key). */
export class ForbiddenError extends PlatformError {
  constructor(message: string) {
    super(403, ErrorCode.FORBIDDEN, message);
  }
}

/**
 * An OAuth access token that is valid but lacks a scope this needs (RFC 6750 `insufficient_scope`):
 * the answer's challenge names `scopes`, so the client can ask for them (step-up).
 */
export class InsufficientScopeError extends PlatformError {
  constructor(
    readonly scopes: readonly string[],
    message = `This needs the scope ${scopes.join(' and ')}`,
  ) {
    super(403, ErrorCode.INSUFFICIENT_SCOPE, message, { requiredScopes: scopes });
  }
}

/** The authorization server's metadata or keys could not be fetched, so no token can be checked now. */
export class AuthorizationServerUnavailableError extends PlatformError {
  constructor(detail: string) {
    super(
      503,
      ErrorCode.AUTHORIZATION_SERVER_UNAVAILABLE,
      `Access tokens cannot be checked right now: ${detail}`,
    );
  }
}

export class RateLimitedError extends PlatformError {
  constructor(limit: number, retryAfterSeconds: number) {
    super(
      429,
      ErrorCode.RATE_LIMITED,
      `Too many calls: at most ${limit} per minute; retry in ${retryAfterSeconds} s`,
      { limitPerMinute: limit, retryAfterSeconds },
    );
  }
}

/** A request body larger than the route or the called tool accepts. */
export class PayloadTooLargeError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super(413, ErrorCode.PAYLOAD_TOO_LARGE, message, details);
  }
}

/** A JSON body nested too deep, with an array too long, or with a prototype-pollution key. */
export class BodyTooComplexError extends PlatformError {
  constructor(message: string, details?: unknown) {
    super(400, ErrorCode.BODY_TOO_COMPLEX, message, details);
  }
}

/** A tool's executor ran past CALL_TIMEOUT_MS; it was told to stop through its AbortSignal. */
export class ToolTimeoutError extends PlatformError {
  constructor(name: string, timeoutMs: number) {
    super(504, ErrorCode.TOOL_TIMEOUT, `Tool '${name}' did not finish within ${timeoutMs} ms`, {
      tool: name,
      timeoutMs,
    });
  }
}

/** The server is shutting down and takes no new work. */
export class ShuttingDownError extends PlatformError {
  constructor() {
    super(503, ErrorCode.SHUTTING_DOWN, 'The server is shutting down; retry on another instance');
  }
}

/** This process already holds MCP_MAX_STREAMS listening streams. */
export class TooManyStreamsError extends PlatformError {
  constructor(limit: number) {
    super(
      503,
      ErrorCode.TOO_MANY_STREAMS,
      `This server already holds ${limit} listening streams (MCP_MAX_STREAMS); retry later or on another instance`,
      { limit },
    );
  }
}

/** The client went away or cancelled the request before the tool finished (nobody reads the answer). */
export class CallCancelledError extends PlatformError {
  constructor(name: string) {
    super(499, ErrorCode.CALL_CANCELLED, `The call of tool '${name}' was cancelled by the client`, {
      tool: name,
    });
  }
}

/** Why an OpenAPI document cannot be imported; `reason` is stable enough to switch on. */
export type OpenApiRefusal =
  | 'too-large'
  | 'not-openapi'
  | 'invalid'
  | 'unresolvable-ref'
  | 'circular-ref'
  | 'too-many-operations'
  | 'unreachable'
  | 'no-base-url';

/** An OpenAPI document was refused as a whole: nothing of it is imported. */
export class OpenApiDocumentError extends PlatformError {
  constructor(reason: OpenApiRefusal, message: string, details?: Record<string, unknown>) {
    super(400, ErrorCode.OPENAPI_DOCUMENT_REFUSED, message, { reason, ...details });
  }
}
