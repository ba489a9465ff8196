import { Transform } from 'class-transformer';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { type AllowedHost, parseAllowedHosts } from './allowed-hosts.js';
import { KeyRing, parseApiKeys } from './api-keys.js';
import { IsHttpUrl, IsIntegerBetween, toBoolean, toList, toLower, trimSlash } from './env-rules.js';
import { type OAuthSettings, oauthSettings, OAuthVariables } from './oauth.config.js';
import { ProviderSecret } from './provider-secret.js';
import { ToolSecrets } from './tool-secrets.js';
import {
  ConfigError,
  type Environment,
  Secret,
  validateEnvironment,
  variableNames,
} from './validate-environment.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const RATE_LIMIT_STORES = ['postgres', 'memory'] as const;
/** Where rate-limit counters live: shared by every process in PostgreSQL, or per process. */
export type RateLimitStoreType = (typeof RATE_LIMIT_STORES)[number];

const API_KEY_ENTRY = String.raw`\s*(?:[A-Za-z0-9_.-]{1,64}:)?[^\s,]{16,512}\s*`;
const API_KEYS = new RegExp(`^${API_KEY_ENTRY}(?:,${API_KEY_ENTRY})*$`);
const ORIGIN = String.raw`\s*https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/?\s*`;
const ORIGINS = new RegExp(`^(?:\\s*\\*\\s*|${ORIGIN}(?:,${ORIGIN})*)$`);
const HOST_LIST = /^\s*(\*|[A-Za-z0-9.:\-[\]]+(\s*,\s*[A-Za-z0-9.:\-[\]]+)*)?\s*$/;
const ORIGIN_LIST = /^\s*(\*|[A-Za-z0-9.:/*\-[\]]+(\s*,\s*[A-Za-z0-9.:/*\-[\]]+)*)?\s*$/;
/** `key=value` pairs separated by commas, as the OpenTelemetry specification writes headers. */
const OTLP_HEADERS = /^\s*[^\s=,]+\s*=[^,]*(,\s*[^\s=,]+\s*=[^,]*)*$/;
const SERVICE_NAME = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

/**
 * Every environment variable the platform itself reads, with its default and its rule: the
 * same for every server (the OAuth ones in {@link OAuthVariables}). Each app declares its own
 * (its port, its data providers) in its own classes; the rest of the code receives a typed
 * {@link PlatformConfig}.
 */
export class PlatformVariables extends OAuthVariables {
  @Secret()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Transform(toBoolean) @IsBoolean() DEBUG: boolean = false;
  @Transform(toLower)
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @IsString() DATA_DIR = './.data';
  @IsIntegerBetween(1, 65535) EMBEDDED_DB_PORT: number = 54329;

  @IsIntegerBetween(1024, 100 * 1024 * 1024) MAX_BODY_BYTES: number = 1048576;

  @Secret()
  @IsOptional()
  @Matches(/^\S{16,512}$/, { message: 'must be 16 to 512 characters without spaces' })
  ADMIN_API_KEY?: string;
  @Secret()
  @IsOptional()
  @Matches(API_KEYS, {
    message:
      'must be a comma-separated list of key or name:key entries, each key 16 to 512 characters',
  })
  API_KEYS?: string;
  @Transform(toBoolean) @IsBoolean() DOCS_REQUIRE_AUTH: boolean = false;
  @IsIntegerBetween(0, 1_000_000) RATE_LIMIT_PER_MINUTE: number = 0;
  @Transform(toLower)
  @IsIn(RATE_LIMIT_STORES, { message: `must be one of ${RATE_LIMIT_STORES.join(', ')}` })
  RATE_LIMIT_STORE: RateLimitStoreType = 'postgres';
  @IsOptional()
  @Matches(ORIGINS, {
    message: 'must be * or a comma-separated list of origins such as https://app.example.com',
  })
  CORS_ORIGINS?: string;
  @IsOptional() @IsString() TLS_CERT_FILE?: string;
  @IsOptional() @IsString() TLS_KEY_FILE?: string;
  @IsIntegerBetween(2, 1000) MAX_JSON_DEPTH: number = 64;
  @IsIntegerBetween(1, 10_000_000) MAX_JSON_ARRAY_LENGTH: number = 1_000_000;
  @IsIntegerBetween(100, 600_000) CALL_TIMEOUT_MS: number = 30_000;
  @IsIntegerBetween(0, 60_000) SHUTDOWN_GRACE_MS: number = 5000;
  @Matches(HOST_LIST, { message: 'must be a comma-separated list of host names, or *' })
  MCP_ALLOWED_HOSTS = '';
  @Matches(ORIGIN_LIST, {
    message: 'must be a comma-separated list of origins or host names, or *',
  })
  MCP_ALLOWED_ORIGINS = '';
  @IsIntegerBetween(1, 1000) MCP_PAGE_SIZE: number = 100;
  /** Most MCP listening streams (GET /mcp and subscriptions/listen together) one process holds. */
  @IsIntegerBetween(1, 1_000_000) MCP_MAX_STREAMS: number = 16_384;
  /** How often an idle MCP listening stream gets an SSE comment, so proxies keep it open. */
  @IsIntegerBetween(1000, 300_000) MCP_KEEP_ALIVE_MS: number = 15_000;

  @IsString() HTTP_TOOL_ALLOWED_HOSTS = '';
  @IsIntegerBetween(1024, 100 * 1024 * 1024) HTTP_TOOL_MAX_RESPONSE_BYTES: number = 1048576;
  @IsIntegerBetween(1, 3650) AUDIT_RETENTION_DAYS: number = 30;

  /** Most operations one OpenAPI import may turn into tools (POST /tools/import). */
  @IsIntegerBetween(1, 100_000) OPENAPI_MAX_OPERATIONS: number = 1000;
  /** Largest OpenAPI document an import reads, inline or from its URL. */
  @IsIntegerBetween(1024, 100 * 1024 * 1024) OPENAPI_MAX_DOCUMENT_BYTES: number = 5 * 1024 * 1024;

  /** OTLP/HTTP collector base URL (`/v1/traces` is appended); setting it turns tracing on. */
  @IsOptional()
  @IsHttpUrl('must be an http(s) URL such as http://localhost:4318')
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** `service.name` of the traces; each server's id when not set. */
  @IsOptional()
  @Matches(SERVICE_NAME, { message: 'must be 1 to 255 printable ASCII characters' })
  OTEL_SERVICE_NAME?: string;
  /** Headers sent to the collector (often an API key): validated, never shown. */
  @Secret()
  @IsOptional()
  @Matches(OTLP_HEADERS, { message: 'must be a comma-separated list of key=value pairs' })
  OTEL_EXPORTER_OTLP_HEADERS?: string;
}

/** The platform's settings, the same for every server a launcher starts. */
export interface PlatformConfig {
  databaseUrl?: string;
  dataDir: string;
  embeddedDbPort: number;
  debug: boolean;
  logLevel: LogLevel;
  /** stdout normally; stderr in MCP stdio mode, where stdout carries protocol messages only. */
  logDestination: 'stdout' | 'stderr';
  maxBodyBytes: number;
  security: SecurityConfig;
  /** Time budget of one tool call, in milliseconds. */
  callTimeoutMs: number;
  /** How long shutdown waits for calls in flight, in milliseconds. */
  shutdownGraceMs: number;
  mcp: McpSettings;
  httpTools: HttpToolSettings;
  openapi: OpenApiImportSettings;
  audit: { retentionDays: number };
  /** OpenTelemetry traces; absent (off) unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing?: TracingSettings;
}

/** Where and as whom traces are exported (OTLP over HTTP, JSON). */
export interface TracingSettings {
  /** The collector's traces URL: OTEL_EXPORTER_OTLP_ENDPOINT plus `/v1/traces`. */
  tracesUrl: string;
  /** OTEL_SERVICE_NAME; each server's id when absent. */
  serviceName?: string;
  /** OTEL_EXPORTER_OTLP_HEADERS, still in its `key=value,...` form. */
  headers?: ProviderSecret;
}

export interface McpSettings {
  /** Extra Host names accepted on `/mcp` besides loopback names; `['*']` accepts any. */
  allowedHosts: string[];
  /** Extra Origin host names accepted on `/mcp` besides loopback names; `['*']` accepts any. */
  allowedOrigins: string[];
  /** Tools per `tools/list` page. */
  pageSize: number;
  /** Most listening streams open at once in one process, of both kinds together. */
  maxStreams: number;
  /** Interval of the SSE comment every idle listening stream gets, in ms. */
  keepAliveMs: number;
}

export interface HttpToolSettings {
  /** Hosts HTTP tools may call; empty means HTTP tools cannot be registered or called. */
  allowedHosts: AllowedHost[];
  maxResponseBytes: number;
  /**
   * How HTTP tools resolve host names: the system's resolver (getaddrinfo) when absent. Code that
   * embeds the platform may give its own; the e2e tests play a rebinding DNS server with it.
   */
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
  /** The `${NAME}` secrets HTTP tools may read: never a setting of the platform or a server. */
  secrets: ToolSecrets;
}

/** Limits of `POST /tools/import`. */
export interface OpenApiImportSettings {
  /** OPENAPI_MAX_OPERATIONS: a document with more operations is refused whole. */
  maxOperations: number;
  /** OPENAPI_MAX_DOCUMENT_BYTES: a larger document is refused whole. */
  maxDocumentBytes: number;
}

export interface SecurityConfig {
  /** Admin and caller keys; holds the secrets without ever printing them. */
  keys: KeyRing;
  docsRequireAuth: boolean;
  /** Calls per minute per caller on /tools/call and /mcp; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** RATE_LIMIT_STORE: `postgres` (one budget across all processes of a server) or `memory`. */
  rateLimitStore: RateLimitStoreType;
  /** Origins allowed by CORS; empty means none, `['*']` means any. */
  corsOrigins: string[];
  tls?: { certFile: string; keyFile: string };
  /** OAuth 2.1 resource-server mode; absent unless OAUTH_ISSUER is set. */
  oauth?: OAuthSettings;
  maxJsonDepth: number;
  maxJsonArrayLength: number;
}

/** The names of the platform's own variables. */
export const PLATFORM_VARIABLES: readonly string[] = variableNames(PlatformVariables);

/**
 * Reads, validates and types the platform's configuration; throws {@link ConfigError} naming
 * each bad variable. `serverVariables` are the variables the servers being started declare:
 * like the platform's own, HTTP tools may never read them.
 */
export function loadConfig(
  env: Environment = process.env,
  serverVariables: Iterable<string> = [],
): PlatformConfig {
  const vars = validateEnvironment(PlatformVariables, env);
  let allowedHosts: AllowedHost[];
  try {
    allowedHosts = parseAllowedHosts(vars.HTTP_TOOL_ALLOWED_HOSTS);
  } catch (err) {
    throw new ConfigError([`HTTP_TOOL_ALLOWED_HOSTS: ${(err as Error).message}`]);
  }
  const security = securityConfig(vars);
  return {
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.DATA_DIR,
    embeddedDbPort: vars.EMBEDDED_DB_PORT,
    debug: vars.DEBUG,
    logLevel: vars.DEBUG && vars.LOG_LEVEL === 'info' ? 'debug' : vars.LOG_LEVEL,
    logDestination: 'stdout',
    maxBodyBytes: vars.MAX_BODY_BYTES,
    security,
    callTimeoutMs: vars.CALL_TIMEOUT_MS,
    shutdownGraceMs: vars.SHUTDOWN_GRACE_MS,
    mcp: {
      allowedHosts: toList(vars.MCP_ALLOWED_HOSTS),
      allowedOrigins: toList(vars.MCP_ALLOWED_ORIGINS),
      pageSize: vars.MCP_PAGE_SIZE,
      maxStreams: vars.MCP_MAX_STREAMS,
      keepAliveMs: vars.MCP_KEEP_ALIVE_MS,
    },
    httpTools: {
      allowedHosts,
      maxResponseBytes: vars.HTTP_TOOL_MAX_RESPONSE_BYTES,
      secrets: new ToolSecrets([...PLATFORM_VARIABLES, ...serverVariables]),
    },
    openapi: {
      maxOperations: vars.OPENAPI_MAX_OPERATIONS,
      maxDocumentBytes: vars.OPENAPI_MAX_DOCUMENT_BYTES,
    },
    audit: { retentionDays: vars.AUDIT_RETENTION_DAYS },
    tracing: tracingSettings(vars),
  };
}

/** Tracing is on only when a collector is named; the OTLP specification appends the signal path. */
function tracingSettings(vars: PlatformVariables): TracingSettings | undefined {
  if (!vars.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return {
    tracesUrl: `${trimSlash(vars.OTEL_EXPORTER_OTLP_ENDPOINT)}/v1/traces`,
    serviceName: vars.OTEL_SERVICE_NAME,
    headers: vars.OTEL_EXPORTER_OTLP_HEADERS
      ? new ProviderSecret(vars.OTEL_EXPORTER_OTLP_HEADERS)
      : undefined,
  };
}

/** Checks the rules that span several security variables and builds the key ring. */
function securityConfig(vars: PlatformVariables): SecurityConfig {
  const problems: string[] = [];
  let keys: KeyRing | undefined;
  try {
    keys = new KeyRing(vars.ADMIN_API_KEY, parseApiKeys(vars.API_KEYS ?? ''));
  } catch (err) {
    problems.push(`API_KEYS=(hidden): ${(err as Error).message}`);
  }
  if (vars.DOCS_REQUIRE_AUTH && !vars.ADMIN_API_KEY && !vars.API_KEYS && !vars.OAUTH_ISSUER) {
    problems.push(
      'DOCS_REQUIRE_AUTH=true: needs ADMIN_API_KEY, API_KEYS or OAUTH_ISSUER to be set',
    );
  }
  let oauth: OAuthSettings | undefined;
  try {
    oauth = oauthSettings(vars);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (Boolean(vars.TLS_CERT_FILE) !== Boolean(vars.TLS_KEY_FILE)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE: set both to serve HTTPS, or neither');
  }
  if (problems.length > 0 || !keys) throw new ConfigError(problems);
  const origins = (vars.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);
  return {
    keys,
    docsRequireAuth: vars.DOCS_REQUIRE_AUTH,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    rateLimitStore: vars.RATE_LIMIT_STORE,
    corsOrigins: origins,
    tls:
      vars.TLS_CERT_FILE && vars.TLS_KEY_FILE
        ? { certFile: vars.TLS_CERT_FILE, keyFile: vars.TLS_KEY_FILE }
        : undefined,
    oauth,
    maxJsonDepth: vars.MAX_JSON_DEPTH,
    maxJsonArrayLength: vars.MAX_JSON_ARRAY_LENGTH,
  };
}

/** Loads `<dir>/.env` when present (the working directory by default); real environment variables win. */
export function loadDotEnv(dir = process.cwd()): void {
  try {
    process.loadEnvFile(join(dir, '.env'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * The nearest directory at or above `from` (a file URL or path) that holds a `package.json`:
 * the project a server belongs to, wherever the process was started from.
 */
export function findProjectDir(from: string | URL): string {
  const start = from instanceof URL || from.startsWith('file:') ? fileURLToPath(from) : from;
  for (let dir = dirname(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** Shows a database URL with its password replaced, safe for logs. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
