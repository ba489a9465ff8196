import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Server } from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { ToolRegistry } from '@app/tools';
import { McpServerFactory } from './mcp-server.factory.js';

/** MCP over stdin/stdout for desktop clients: one connection, pinned to one server instance. */
@Injectable()
export class McpStdioService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mcp');
  private handle?: StdioServerHandle;
  private current?: Server;
  private unsubscribe?: () => void;

  constructor(
    private readonly factory: McpServerFactory,
    private readonly registry: ToolRegistry,
  ) {}

  /** Starts serving MCP on the process's stdin and stdout. */
  serve(): void {
    this.handle = serveStdio(
      () => {
        // serveStdio asks again when a 2026 probe falls back to a 2025 handshake; the
        // last instance made is the one pinned to the connection. Its tool calls run as the
        // caller `stdio` under their JSON-RPC ids (see callContextOf).
        this.current = this.factory.create();
        return this.current;
      },
      { onerror: (err) => this.logger.debug(`mcp stdio: ${err.message}`) },
    );
    this.unsubscribe = this.registry.onChange(() => {
      const server = this.current;
      if (!server?.transport) return;
      void server.sendToolListChanged().catch(() => undefined);
      void server.sendResourceListChanged().catch(() => undefined);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.handle?.close();
  }
}
