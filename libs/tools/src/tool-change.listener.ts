import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { TOOLS_CHANNEL, type ToolChange } from './tools.repository.js';

type Listener = (change: ToolChange | 'resync') => void;

/**
 * Listens on PostgreSQL's `tools_changed` channel so every process of a server
 * learns of registrations made by any other. After a lost connection it
 * reconnects with backoff and asks subscribers to resync everything.
 */
@Injectable()
export class ToolChangeListener implements OnApplicationShutdown {
  private readonly logger = new Logger(ToolChangeListener.name);
  private readonly listeners = new Set<Listener>();
  private client?: pg.Client;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;

  constructor(@Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connects and starts listening; resolves once LISTEN is in place (or the first attempt failed). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect(false);
  }

  private async connect(resync: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.runtime.databaseUrl,
      connectionTimeoutMillis: 5000,
    });
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    client.on('notification', (msg) => {
      if (msg.channel !== TOOLS_CHANNEL || !msg.payload) return;
      try {
        const change = JSON.parse(msg.payload) as ToolChange;
        if (change.serverId === this.runtime.server.id) this.emit(change);
      } catch {
        this.logger.warn('ignored a malformed tools_changed notification');
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TOOLS_CHANNEL}`);
      this.client = client;
      this.attempt = 0;
      if (resync) {
        this.logger.log('change notifications reconnected; resynchronising the registry');
        this.emit('resync');
      }
    } catch {
      await client.end().catch(() => undefined);
      this.reconnect(client);
    }
  }

  private reconnect(client: pg.Client): void {
    if (this.stopped || this.retryTimer) return;
    if (this.client && this.client !== client) return;
    this.client = undefined;
    const delay = Math.min(250 * 2 ** this.attempt++, 5000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(true);
    }, delay);
    this.retryTimer.unref();
  }

  private emit(change: ToolChange | 'resync'): void {
    for (const l of this.listeners) l(change);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
