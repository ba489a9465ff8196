import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

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

const HOST = /^[A-Za-z0-9.:\-[\]]+$/;
const SERVER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

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
  @IsIn(['simulated', 'yahoo'], { message: 'must be one of simulated, yahoo' })
  MARKET_DATA_PROVIDER = 'simulated';
  @Transform(toLower)
  @IsIn(['simulated', 'rss'], { message: 'must be one of simulated, rss' })
  NEWS_PROVIDER = 'simulated';
  @Transform(toLower)
  @IsIn(['simulated', 'open-meteo'], { message: 'must be one of simulated, open-meteo' })
  WEATHER_PROVIDER = 'simulated';

  @Transform(toInt) @IsInt() @Min(1024) @Max(100 * 1024 * 1024) MAX_BODY_BYTES: number = 1048576;
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
  maxBodyBytes: number;
  servers: { a: ServerSettings; b: ServerSettings };
  providers: { marketData: string; news: string; weather: string };
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
        const value = e.property === 'DATABASE_URL' ? '(hidden)' : JSON.stringify(e.value);
        return `${e.property}=${value}: ${Object.values(e.constraints ?? {}).join('; ')}`;
      }),
    );
  }
  return {
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.DATA_DIR,
    embeddedDbPort: vars.EMBEDDED_DB_PORT,
    debug: vars.DEBUG,
    logLevel: vars.DEBUG && vars.LOG_LEVEL === 'info' ? 'debug' : vars.LOG_LEVEL,
    maxBodyBytes: vars.MAX_BODY_BYTES,
    servers: {
      a: { id: vars.SERVER_A_NAME, host: vars.SERVER_A_HOST, port: vars.PORT_A },
      b: { id: vars.SERVER_B_NAME, host: vars.SERVER_B_HOST, port: vars.PORT_B },
    },
    providers: {
      marketData: vars.MARKET_DATA_PROVIDER,
      news: vars.NEWS_PROVIDER,
      weather: vars.WEATHER_PROVIDER,
    },
  };
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
