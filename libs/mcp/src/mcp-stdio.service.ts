import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Server } from '@modelcontextprotocol/server';
import {
  serveStdio,
  StdioServerTransport,
  type StdioServerHandle,
} from '@modelcontextprotocol/server/stdio';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { ToolRegistry } from '@app/tools';
import { DrainingTransport } from './draining-transport.js';
import { McpServerFactory } from './mcp-server.factory.js';

/** MCP over stdin/stdout for desktop clients: one connection, pinned to one server instance. */
@Injectable()
export class McpStdioService
  implements OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Mcp');
  private handle?: StdioServerHandle;
  private transport?: DrainingTransport;
  private drained?: Promise<boolean>;
  private current?: Server;
  private unsubscribe?: () => void;

  constructor(
    private readonly factory: McpServerFactory,
    private readonly registry: ToolRegistry,
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
  ) {}

  /** Starts serving MCP on the process's stdin and stdout. */
  serve(): void {
    this.transport = new DrainingTransport(new StdioServerTransport());
    this.handle = serveStdio(
      () => {
        // serveStdio asks again when a 2026 probe falls back to a 2025 handshake; the
        // last instance made is the one pinned to the connection. Its tool calls run as the
        // caller `stdio` under their JSON-RPC ids (see callContextOf).
        this.current = this.factory.create();
        return this.current;
      },
      {
        transport: this.transport,
        onerror: (err) => this.logger.debug(`mcp stdio: ${err.message}`),
      },
    );
    this.unsubscribe = this.registry.onChange(() => {
      const server = this.current;
      if (!server?.transport) return;
      void server.sendToolListChanged().catch(() => undefined);
      void server.sendResourceListChanged().catch(() => undefined);
    });
  }

  /**
   * At Nest's first shutdown hook: new requests are answered with SHUTTING_DOWN from now on,
   * and the ones the client sent may finish, within SHUTDOWN_GRACE_MS.
   */
  onModuleDestroy(): void {
    const transport = this.transport;
    if (!transport || this.drained) return;
    const graceMs = this.runtime.config.shutdownGraceMs;
    const waiting = transport.unanswered;
    if (waiting > 0) {
      this.logger.log(`waiting for ${waiting} stdio request(s) in flight (at most ${graceMs} ms)`);
    }
    this.drained = transport.drain(graceMs).then((answered) => {
      if (!answered) {
        this.logger.warn(
          `${transport.unanswered} stdio request(s) still running after SHUTDOWN_GRACE_MS=${graceMs}; closing them`,
        );
      }
      return answered;
    });
  }

  /** Once drained, closes the connection: the SDK ends open subscriptions with their `complete` result. */
  async beforeApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    await this.drained;
    await this.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.handle?.close();
  }
}
