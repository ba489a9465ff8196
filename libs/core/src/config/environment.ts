import { inspect } from 'node:util';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

import { type AllowedHost, parseAllowedHosts } from './allowed-hosts.js';
import { KeyRing, parseApiKeys } from './api-keys.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
const toLower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export const MARKET_DATA_PROVIDERS = ['yahoo', 'finnhub', 'simulated'] as const;
export type MarketDataProviderName = (typeof MARKET_DATA_PROVIDERS)[number];
export const NEWS_PROVIDERS = ['rss', 'simulated'] as const;
export type NewsProviderName = (typeof NEWS_PROVIDERS)[number];

/** Public feeds that need no key: Yahoo Finance per symbol, plus general market headlines. */
export const DEFAULT_NEWS_FEEDS = [
  'https://feeds.finance.yahoo.com/rss/2.0/headline?s={symbol}&region=US&lang=en-US',
  'https://finance.yahoo.com/news/rssindex',
  'https://www.cnbc.com/id/100003114/device/rss/rss.html',
  'https://feeds.content.dowjones.io/public/rss/mw_topstories',
];
const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };
const FEED_LIST = /^\s*https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*\s*$/;

const HOST = /^[A-Za-z0-9.:\-[\]]+$/;
const SERVER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const API_KEY_ENTRY = String.raw`\s*(?:[A-Za-z0-9_.-]{1,64}:)?[^\s,]{16,512}\s*`;
const API_KEYS = new RegExp(`^${API_KEY_ENTRY}(?:,${API_KEY_ENTRY})*$`);
const ORIGIN = String.raw`\s*https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/?\s*`;
const ORIGINS = new RegExp(`^(?:\\s*\\*\\s*|${ORIGIN}(?:,${ORIGIN})*)$`);
const HOST_LIST = /^\s*(\*|[A-Za-z0-9.:\-[\]]+(\s*,\s*[A-Za-z0-9.:\-[\]]+)*)?\s*$/;
const ORIGIN_LIST = /^\s*(\*|[A-Za-z0-9.:/*\-[\]]+(\s*,\s*[A-Za-z0-9.:/*\-[\]]+)*)?\s*$/;
/** `key=value` pairs separated by commas, as the OpenTelemetry specification writes headers. */
const OTLP_HEADERS = /^\s*[^\s=,]+\s*=[^,]*(,\s*[^\s=,]+\s*=[^,]*)*$/;
const SERVICE_NAME = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;
const toList = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * Every environment variable the platform reads, with its default and its rule.
 * This class is the only place that knows variable names; the rest of the code
 * receives a typed {@link PlatformConfig}.
 */
export class EnvironmentVariables {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT_A: number = 3001;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT_B: number = 3002;

  @Matches(SERVER_ID, { message: 'must match ^[A-Za-z0-9_.-]{1,64}$' }) SERVER_A_NAME = 'server_a';
  @Matches(SERVER_ID, { message: 'must match ^[A-Za-z0-9_.-]{1,64}$' }) SERVER_B_NAME = 'server_b';
  @Matches(HOST, { message: 'must be a host name or IP address' }) SERVER_A_HOST = '127.0.0.1';
  @Matches(HOST, { message: 'must be a host name or IP address' }) SERVER_B_HOST = '127.0.0.1';

  @Transform(toBoolean) @IsBoolean() DEBUG: boolean = false;
  @Transform(toLower)
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @IsString() DATA_DIR = './.data';
  @Transform(toInt) @IsInt() @Min(1) @Max(65535) EMBEDDED_DB_PORT: number = 54329;

  @Transform(toLower)
  @IsIn(MARKET_DATA_PROVIDERS, { message: `must be one of ${MARKET_DATA_PROVIDERS.join(', ')}` })
  MARKET_DATA_PROVIDER: MarketDataProviderName = 'yahoo';
  @Transform(toLower)
  @IsIn(NEWS_PROVIDERS, { message: `must be one of ${NEWS_PROVIDERS.join(', ')}` })
  NEWS_PROVIDER: NewsProviderName = 'rss';
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL' })
  YAHOO_FINANCE_BASE_URL = 'https://query1.finance.yahoo.com';
  /** Comma-separated RSS/Atom feed URLs; `{symbol}` in a URL makes it a per-symbol feed. */
  @Matches(FEED_LIST, { message: 'must be a comma-separated list of http(s) URLs' })
  NEWS_FEEDS = DEFAULT_NEWS_FEEDS.join(',');
  /** Finnhub's key; required when MARKET_DATA_PROVIDER=finnhub (checked in financeSettings). */
  @IsOptional()
  @Matches(/^\S{8,256}$/, { message: 'must be 8 to 256 characters without spaces' })
  FINNHUB_API_KEY?: string;
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL' })
  FINNHUB_BASE_URL = 'https://finnhub.io/api/v1';
  /** Exchange rates for calculate_portfolio's baseCurrency (Frankfurter, ECB reference rates). */
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL' })
  FX_BASE_URL = 'https://api.frankfurter.app';
  @Transform(toInt) @IsInt() @Min(1) @Max(120000) PROVIDER_TIMEOUT_MS: number = 5000;
  @Transform(toInt) @IsInt() @Min(0) @Max(3600000) QUOTE_CACHE_TTL_MS: number = 15000;
  @Transform(toInt) @IsInt() @Min(0) @Max(3600000) NEWS_CACHE_TTL_MS: number = 120000;
  @Transform(toInt) @IsInt() @Min(0) @Max(3600000) FX_CACHE_TTL_MS: number = 300000;
  @Transform(toLower)
  @IsIn(['simulated', 'open-meteo'], { message: 'must be one of simulated, open-meteo' })
  WEATHER_PROVIDER = 'open-meteo';
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL' })
  WEATHER_FORECAST_URL = 'https://api.open-meteo.com/v1/forecast';
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL' })
  WEATHER_GEOCODING_URL = 'https://geocoding-api.open-meteo.com/v1/search';
  @Transform(toInt) @IsInt() @Min(100) @Max(120000) WEATHER_TIMEOUT_MS: number = 5000;
  @Transform(toInt) @IsInt() @Min(0) @Max(86400) WEATHER_CACHE_TTL_SECONDS: number = 600;

  @Transform(toInt) @IsInt() @Min(1) @Max(10_000_000) DATA_MAX_ITEMS: number = 1_000_000;
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000_000) TEXT_MAX_CHARS: number = 100_000;

  @Transform(toInt) @IsInt() @Min(1024) @Max(100 * 1024 * 1024) MAX_BODY_BYTES: number = 1048576;

  @IsOptional()
  @Matches(/^\S{16,512}$/, { message: 'must be 16 to 512 characters without spaces' })
  ADMIN_API_KEY?: string;
  @IsOptional()
  @Matches(API_KEYS, {
    message:
      'must be a comma-separated list of key or name:key entries, each key 16 to 512 characters',
  })
  API_KEYS?: string;
  @Transform(toBoolean) @IsBoolean() DOCS_REQUIRE_AUTH: boolean = false;
  @Transform(toInt) @IsInt() @Min(0) @Max(1_000_000) RATE_LIMIT_PER_MINUTE: number = 0;
  @IsOptional()
  @Matches(ORIGINS, {
    message: 'must be * or a comma-separated list of origins such as https://app.example.com',
  })
  CORS_ORIGINS?: string;
  @IsOptional() @IsString() TLS_CERT_FILE?: string;
  @IsOptional() @IsString() TLS_KEY_FILE?: string;
  @Transform(toInt) @IsInt() @Min(2) @Max(1000) MAX_JSON_DEPTH: number = 64;
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000_000) MAX_JSON_ARRAY_LENGTH: number = 1_000_000;
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000) CALL_TIMEOUT_MS: number = 30_000;
  @Transform(toInt) @IsInt() @Min(0) @Max(60_000) SHUTDOWN_GRACE_MS: number = 5000;
  @Matches(HOST_LIST, { message: 'must be a comma-separated list of host names, or *' })
  MCP_ALLOWED_HOSTS = '';
  @Matches(ORIGIN_LIST, {
    message: 'must be a comma-separated list of origins or host names, or *',
  })
  MCP_ALLOWED_ORIGINS = '';
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) MCP_PAGE_SIZE: number = 100;

  @IsString() HTTP_TOOL_ALLOWED_HOSTS = '';
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  HTTP_TOOL_MAX_RESPONSE_BYTES: number = 1048576;
  @Transform(toInt) @IsInt() @Min(1) @Max(3650) AUDIT_RETENTION_DAYS: number = 30;

  /** OTLP/HTTP collector base URL (`/v1/traces` is appended); setting it turns tracing on. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL such as http://localhost:4318' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** `service.name` of the traces; each server's id when not set. */
  @IsOptional()
  @Matches(SERVICE_NAME, { message: 'must be 1 to 255 printable ASCII characters' })
  OTEL_SERVICE_NAME?: string;
  /** Headers sent to the collector (often an API key): validated, never shown. */
  @IsOptional()
  @Matches(OTLP_HEADERS, { message: 'must be a comma-separated list of key=value pairs' })
  OTEL_EXPORTER_OTLP_HEADERS?: string;
}

/** Variables whose values never appear in messages. */
const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'ADMIN_API_KEY',
  'API_KEYS',
  'FINNHUB_API_KEY',
  'OTEL_EXPORTER_OTLP_HEADERS',
]);

/**
 * A data provider's key: readable by the one place that sends it, and shown as `(hidden)`
 * by JSON, string conversion and `console.log`, so a stray dump of the config gives nothing away.
 */
export class ProviderSecret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The key itself, for the request header that carries it. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '(hidden)';
  }

  toString(): string {
    return '(hidden)';
  }

  [inspect.custom](): string {
    return 'ProviderSecret (hidden)';
  }
}

export interface ServerSettings {
  /** Stable id stored in `tools.server_id`, e.g. `server_a`. */
  id: string;
  host: string;
  port: number;
}

export interface PlatformConfig {
  databaseUrl?: string;
  dataDir: string;
  embeddedDbPort: number;
  debug: boolean;
  logLevel: LogLevel;
  /** stdout normally; stderr in MCP stdio mode, where stdout carries protocol messages only. */
  logDestination: 'stdout' | 'stderr';
  maxBodyBytes: number;
  servers: { a: ServerSettings; b: ServerSettings };
  providers: {
    marketData: MarketDataProviderName;
    news: NewsProviderName;
    weather: string;
    /** Time budget of one upstream call by any data provider. */
    timeoutMs: number;
  };
  finance: FinanceSettings;
  security: SecurityConfig;
  /** Time budget of one tool call, in milliseconds. */
  callTimeoutMs: number;
  /** How long shutdown waits for calls in flight, in milliseconds. */
  shutdownGraceMs: number;
  /** Server B's utility tools. */
  utility: UtilitySettings;
  mcp: McpSettings;
  httpTools: HttpToolSettings;
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
}

export interface HttpToolSettings {
  /** Hosts HTTP tools may call; empty means HTTP tools cannot be registered or called. */
  allowedHosts: AllowedHost[];
  maxResponseBytes: number;
}

export interface SecurityConfig {
  /** Admin and caller keys; holds the secrets without ever printing them. */
  keys: KeyRing;
  docsRequireAuth: boolean;
  /** Calls per minute per caller on /tools/call and /mcp; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Origins allowed by CORS; empty means none, `['*']` means any. */
  corsOrigins: string[];
  tls?: { certFile: string; keyFile: string };
  maxJsonDepth: number;
  maxJsonArrayLength: number;
}

export interface UtilitySettings {
  weather: {
    forecastUrl: string;
    geocodingUrl: string;
    timeoutMs: number;
    cacheTtlSeconds: number;
  };
  /** Most items `data_processor` accepts in one call. */
  dataMaxItems: number;
  /** Longest text (in user-perceived characters) `text_analyzer` accepts. */
  textMaxChars: number;
}

/** Where Server A's data providers live and how long their answers are reused. */
export interface FinanceSettings {
  yahooBaseUrl: string;
  finnhub: { baseUrl: string; apiKey?: ProviderSecret };
  /** Frankfurter's API, for exchange rates when MARKET_DATA_PROVIDER is a real provider. */
  fxBaseUrl: string;
  newsFeeds: string[];
  quoteCacheTtlMs: number;
  newsCacheTtlMs: number;
  fxCacheTtlMs: number;
}

/** Thrown when the environment holds a value the platform cannot start with. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads, validates and types the configuration; throws {@link ConfigError} naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(vars, { skipMissingProperties: false, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => {
        const value = SECRET_VARIABLES.has(e.property) ? '(hidden)' : JSON.stringify(e.value);
        return `${e.property}=${value}: ${Object.values(e.constraints ?? {}).join('; ')}`;
      }),
    );
  }
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
    servers: {
      a: { id: vars.SERVER_A_NAME, host: vars.SERVER_A_HOST, port: vars.PORT_A },
      b: { id: vars.SERVER_B_NAME, host: vars.SERVER_B_HOST, port: vars.PORT_B },
    },
    providers: {
      marketData: vars.MARKET_DATA_PROVIDER,
      news: vars.NEWS_PROVIDER,
      weather: vars.WEATHER_PROVIDER,
      timeoutMs: vars.PROVIDER_TIMEOUT_MS,
    },
    finance: financeSettings(vars),
    security,
    callTimeoutMs: vars.CALL_TIMEOUT_MS,
    shutdownGraceMs: vars.SHUTDOWN_GRACE_MS,
    utility: {
      weather: {
        forecastUrl: vars.WEATHER_FORECAST_URL,
        geocodingUrl: vars.WEATHER_GEOCODING_URL,
        timeoutMs: vars.WEATHER_TIMEOUT_MS,
        cacheTtlSeconds: vars.WEATHER_CACHE_TTL_SECONDS,
      },
      dataMaxItems: vars.DATA_MAX_ITEMS,
      textMaxChars: vars.TEXT_MAX_CHARS,
    },
    mcp: {
      allowedHosts: toList(vars.MCP_ALLOWED_HOSTS),
      allowedOrigins: toList(vars.MCP_ALLOWED_ORIGINS),
      pageSize: vars.MCP_PAGE_SIZE,
    },
    httpTools: { allowedHosts, maxResponseBytes: vars.HTTP_TOOL_MAX_RESPONSE_BYTES },
    audit: { retentionDays: vars.AUDIT_RETENTION_DAYS },
    tracing: tracingSettings(vars),
  };
}

/** Tracing is on only when a collector is named; the OTLP specification appends the signal path. */
function tracingSettings(vars: EnvironmentVariables): TracingSettings | undefined {
  if (!vars.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return {
    tracesUrl: `${trimSlash(vars.OTEL_EXPORTER_OTLP_ENDPOINT)}/v1/traces`,
    serviceName: vars.OTEL_SERVICE_NAME,
    headers: vars.OTEL_EXPORTER_OTLP_HEADERS
      ? new ProviderSecret(vars.OTEL_EXPORTER_OTLP_HEADERS)
      : undefined,
  };
}

const SECRET_REFERENCE_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;
/** The platform's own variables (database URL, API keys...) are never readable by a tool. */
const PLATFORM_VARIABLES = new Set(Object.keys(new EnvironmentVariables()));

/** Why `name` cannot be used as a `${NAME}` secret reference in an HTTP tool's header, if it cannot. */
export function toolSecretProblem(name: string): string | undefined {
  if (!SECRET_REFERENCE_NAME.test(name)) return 'must be an upper-case environment variable name';
  if (PLATFORM_VARIABLES.has(name)) return "is one of the platform's own settings";
  return undefined;
}

/** Reads a secret an HTTP tool refers to, at call time; never one of the platform's own settings. */
export function readToolSecret(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return toolSecretProblem(name) === undefined ? env[name] : undefined;
}

/** Checks the rules that span several security variables and builds the key ring. */
function securityConfig(vars: EnvironmentVariables): SecurityConfig {
  const problems: string[] = [];
  let keys: KeyRing | undefined;
  try {
    keys = new KeyRing(vars.ADMIN_API_KEY, parseApiKeys(vars.API_KEYS ?? ''));
  } catch (err) {
    problems.push(`API_KEYS=(hidden): ${(err as Error).message}`);
  }
  if (vars.DOCS_REQUIRE_AUTH && !vars.ADMIN_API_KEY && !vars.API_KEYS) {
    problems.push('DOCS_REQUIRE_AUTH=true: needs ADMIN_API_KEY or API_KEYS to be set');
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
    corsOrigins: origins,
    tls:
      vars.TLS_CERT_FILE && vars.TLS_KEY_FILE
        ? { certFile: vars.TLS_CERT_FILE, keyFile: vars.TLS_KEY_FILE }
        : undefined,
    maxJsonDepth: vars.MAX_JSON_DEPTH,
    maxJsonArrayLength: vars.MAX_JSON_ARRAY_LENGTH,
  };
}

/** Server A's provider settings; a keyed provider without its key stops start-up. */
function financeSettings(vars: EnvironmentVariables): FinanceSettings {
  if (vars.MARKET_DATA_PROVIDER === 'finnhub' && !vars.FINNHUB_API_KEY) {
    throw new ConfigError([
      'FINNHUB_API_KEY: required when MARKET_DATA_PROVIDER=finnhub (a free key comes from https://finnhub.io/register)',
    ]);
  }
  return {
    yahooBaseUrl: trimSlash(vars.YAHOO_FINANCE_BASE_URL),
    finnhub: {
      baseUrl: trimSlash(vars.FINNHUB_BASE_URL),
      ...(vars.FINNHUB_API_KEY ? { apiKey: new ProviderSecret(vars.FINNHUB_API_KEY) } : {}),
    },
    fxBaseUrl: trimSlash(vars.FX_BASE_URL),
    newsFeeds: vars.NEWS_FEEDS.split(',').map((u) => u.trim()),
    quoteCacheTtlMs: vars.QUOTE_CACHE_TTL_MS,
    newsCacheTtlMs: vars.NEWS_CACHE_TTL_MS,
    fxCacheTtlMs: vars.FX_CACHE_TTL_MS,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Loads `.env` from the working directory when present; real environment variables win. */
export function loadDotEnv(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
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
