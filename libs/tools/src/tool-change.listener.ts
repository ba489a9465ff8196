import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { SERVER_RUNTIME, type ServerRuntime } from '@app/core';
import { TOOLS_CHANNEL, type ToolChange } from './tools.repository.js';

type Listener = (change: ToolChange | 'resync') => void;

/** What the listener needs of a pg Client (a fake in unit tests). */
export type ListenClient = Pick<pg.Client, 'connect' | 'query' | 'end' | 'on'>;

/** First reconnection delay; it doubles on each failed attempt. */
export const RECONNECT_FIRST_MS = 250;
/**
 * Longest pause between attempts while the database is away: once it is back, changes made
 * elsewhere reach this process within about this long (plus the resync's one query).
 */
export const RECONNECT_MAX_MS = 2000;

/**
 * Listens on PostgreSQL's `tools_changed` channel so every process of a server learns of
 * registrations made by any other. A notification sent while the connection was down is lost
 * for good (PostgreSQL does not queue them for a listener that has gone), so after a lost
 * connection it reconnects with capped exponential backoff, listens again, and only then asks
 * subscribers to resync everything: whatever changed meanwhile is read back from the table.
 */
@Injectable()
export class ToolChangeListener implements OnApplicationShutdown {
  private readonly logger = new Logger(ToolChangeListener.name);
  private readonly listeners = new Set<Listener>();
  private client?: ListenClient;
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

  /** The dedicated connection LISTEN runs on (TCP keep-alive finds a peer that vanished silently). */
  protected newClient(): ListenClient {
    return new pg.Client({
      connectionString: this.runtime.databaseUrl,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      application_name: 'mcp-multi-server:listen',
    });
  }

  private async connect(resync: boolean): Promise<void> {
    if (this.stopped) return;
    const client = this.newClient();
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    client.on('notification', (msg) => {
      // Only the current connection speaks: one being replaced may still hold a late message.
      if (client !== this.client || msg.channel !== TOOLS_CHANNEL || !msg.payload) return;
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
    } catch (err) {
      if (this.attempt === 0) {
        this.logger.warn(
          `change notifications lost (${(err as Error).message}); reconnecting with backoff`,
        );
      }
      await client.end().catch(() => undefined);
      this.reconnect(client);
      return;
    }
    if (this.stopped) {
      // Shut down while connecting: this connection must not keep the process alive.
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    if (resync) {
      this.logger.log('change notifications reconnected; resynchronising the registry');
      this.emit('resync');
    }
  }

  /** Schedules the next attempt once per lost connection (both `error` and `end` may fire). */
  private reconnect(client: ListenClient): void {
    if (this.stopped || this.retryTimer) return;
    if (this.client && this.client !== client) return;
    const lost = this.client === client;
    this.client = undefined;
    const delay = Math.min(RECONNECT_FIRST_MS * 2 ** this.attempt++, RECONNECT_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(true);
    }, delay);
    this.retryTimer.unref();
    if (lost) {
      this.logger.warn('change notifications lost; reconnecting with backoff');
      void client.end().catch(() => undefined);
    }
  }

  private emit(change: ToolChange | 'resync'): void {
    for (const l of this.listeners) l(change);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
