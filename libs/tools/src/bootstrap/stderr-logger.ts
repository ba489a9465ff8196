import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Nest's console logger with every level on stderr. In stdio mode stdout
 * carries MCP messages only; one stray log line there breaks the client.
 */
export class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}
