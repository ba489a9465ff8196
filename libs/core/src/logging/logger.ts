import type { LoggerService } from '@nestjs/common';
import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogLevel } from '../config/environment.js';

/** Where log lines go: stdout normally, stderr when stdout carries MCP stdio messages. */
export type LogDestination = 'stdout' | 'stderr';

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON. */
  pretty: boolean;
  destination: LogDestination;
}

/** Bytes of log lines gathered before one write: one system call for dozens of access-log lines. */
const LOG_BUFFER_BYTES = 4096;
/** The longest a line waits in the buffer on a quiet server. */
const LOG_FLUSH_MS = 250;

/**
 * The process's root pino logger. Lines are written asynchronously (sonic-boom
 * with a buffer flushed every {@link LOG_FLUSH_MS} and at exit) so the request hot
 * path never waits on a write, and a busy server does not pay a write per line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const fd = options.destination === 'stderr' ? 2 : 1;
  // pino-pretty is loaded only when asked for: it is not needed on the JSON path at all.
  const stream: DestinationStream = options.pretty
    ? (createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty)({
        destination: fd,
        sync: false,
        colorize: false,
        translateTime: 'SYS:HH:MM:ss.l',
      })
    : // In stdio mode stderr is the only log channel and no HTTP hot path exists: write at once.
      options.destination === 'stderr'
      ? pino.destination({ dest: fd, sync: true })
      : bufferedDestination(fd);
  const logger = pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  // A buffered async destination must be flushed or the last lines of a run are lost.
  process.once('exit', () => {
    const s = stream as DestinationStream & { flushSync?: () => void };
    try {
      s.flushSync?.();
    } catch {
      // the descriptor may already be closed; nothing more can be written
    }
  });
  return logger;
}

function bufferedDestination(fd: number): DestinationStream {
  const stream = pino.destination({ dest: fd, sync: false, minLength: LOG_BUFFER_BYTES });
  const flush = setInterval(() => {
    try {
      stream.flush();
    } catch {
      // not ready yet, or closed at exit: the next tick or the exit hook writes the lines
    }
  }, LOG_FLUSH_MS);
  flush.unref();
  return stream;
}

/** Nest's start-up chatter (one line per module and route): useful when debugging, noise otherwise. */
const NEST_BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Nest's LoggerService over pino: Nest's `log` is pino's `info`, `verbose` is `trace`. */
export class PinoLoggerService implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    const boot = typeof context === 'string' && NEST_BOOT_CONTEXTS.has(context);
    this.write(boot ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest, true);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest, true);
  }

  /**
   * Nest passes optional params as `[...extra, context]` and, for errors,
   * `[stack, context]`; the context becomes a field, the stack a `stack` field.
   */
  private write(
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
    message: unknown,
    rest: unknown[],
    withStack = false,
  ): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const params = [...rest];
    if (params.length > 0 && typeof params[params.length - 1] === 'string') {
      fields.context = params.pop();
    }
    if (withStack && typeof params[0] === 'string') fields.stack = params.shift();
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}

const roots = new Map<string, Logger>();

/** The root logger for these options, created once per process (tests start many servers). */
export function rootLogger(options: LoggerOptions): Logger {
  const key = `${options.level}|${options.pretty}|${options.destination}`;
  let logger = roots.get(key);
  if (!logger) {
    logger = createLogger(options);
    roots.set(key, logger);
  }
  return logger;
}
