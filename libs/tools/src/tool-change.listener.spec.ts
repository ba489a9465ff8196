import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { ServerRuntime } from '@app/core';
import {
  type ListenClient,
  RECONNECT_FIRST_MS,
  RECONNECT_MAX_MS,
  ToolChangeListener,
} from './tool-change.listener.js';
import { TOOLS_CHANNEL, type ToolChange } from './tools.repository.js';

/** A pg Client stand-in: the database is "up" or not, and the test can drop the connection. */
class FakeClient extends EventEmitter {
  readonly queries: string[] = [];
  ended = false;

  constructor(private readonly database: FakeDatabase) {
    super();
  }

  connect(): Promise<void> {
    return this.database.up ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'));
  }

  query(sql: string): Promise<unknown> {
    this.queries.push(sql);
    return Promise.resolve({ rows: [] });
  }

  end(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      this.emit('end');
    }
    return Promise.resolve();
  }

  /** PostgreSQL restarted: the server closes the connection. */
  drop(): void {
    this.emit('error', new Error('terminating connection due to administrator command'));
    void this.end();
  }

  notify(payload: string): void {
    this.emit('notification', { channel: TOOLS_CHANNEL, payload });
  }
}

class FakeDatabase {
  up = true;
  readonly clients: FakeClient[] = [];
  connect(): FakeClient {
    const client = new FakeClient(this);
    this.clients.push(client);
    return client;
  }
  get latest(): FakeClient {
    return this.clients[this.clients.length - 1];
  }
}

class TestListener extends ToolChangeListener {
  constructor(private readonly database: FakeDatabase) {
    super({ databaseUrl: 'postgres://fake', server: { id: 'server_a' } } as ServerRuntime);
  }
  protected override newClient(): ListenClient {
    return this.database.connect() as unknown as ListenClient; // the fake has the parts used
  }
}

const change = (name: string, serverId = 'server_a'): ToolChange => ({
  serverId,
  name,
  action: 'upsert',
});

describe('ToolChangeListener', () => {
  let database: FakeDatabase;
  let listener: TestListener;
  let heard: Array<ToolChange | 'resync'>;

  beforeEach(async () => {
    jest.useFakeTimers();
    database = new FakeDatabase();
    listener = new TestListener(database);
    heard = [];
    listener.subscribe((c) => heard.push(c));
    await listener.start();
  });

  afterEach(async () => {
    await listener.onApplicationShutdown();
    jest.useRealTimers();
  });

  it("listens on the channel and passes on this server's changes only", () => {
    expect(database.latest.queries).toEqual([`LISTEN ${TOOLS_CHANNEL}`]);
    database.latest.notify(JSON.stringify(change('mine')));
    database.latest.notify(JSON.stringify(change('theirs', 'server_b')));
    database.latest.notify('{not json');
    expect(heard).toEqual([change('mine')]);
  });

  it('after a lost connection reconnects, listens again and asks for a resync (changes meanwhile were missed)', async () => {
    const first = database.latest;
    first.drop();
    expect(database.clients).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(RECONNECT_FIRST_MS);
    expect(database.clients).toHaveLength(2);
    expect(database.latest.queries).toEqual([`LISTEN ${TOOLS_CHANNEL}`]);
    expect(heard).toEqual(['resync']);
    // Notifications arrive on the new connection; the old one is closed and stays silent.
    first.notify(JSON.stringify(change('stale')));
    database.latest.notify(JSON.stringify(change('fresh')));
    expect(heard).toEqual(['resync', change('fresh')]);
  });

  it('backs off exponentially up to its cap while the database is down, and resyncs once it is back', async () => {
    database.up = false;
    database.latest.drop();
    const attemptsAt: number[] = [];
    let elapsed = 0;
    while (elapsed < 12_000) {
      const before = database.clients.length;
      await jest.advanceTimersByTimeAsync(50);
      elapsed += 50;
      if (database.clients.length > before) attemptsAt.push(elapsed);
    }
    const gaps = attemptsAt.map((t, i) => t - (attemptsAt[i - 1] ?? 0));
    expect(gaps.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
    expect(gaps.slice(4).every((g) => g === RECONNECT_MAX_MS)).toBe(true);
    expect(heard).toEqual([]);

    database.up = true;
    await jest.advanceTimersByTimeAsync(RECONNECT_MAX_MS);
    expect(heard).toEqual(['resync']);
    // Back to the first delay after a success.
    const count = database.clients.length;
    database.latest.drop();
    await jest.advanceTimersByTimeAsync(RECONNECT_FIRST_MS);
    expect(database.clients).toHaveLength(count + 1);
  });

  it('schedules one attempt per lost connection, although error and end both fire', async () => {
    database.latest.drop();
    database.latest.emit('error', new Error('again'));
    await jest.advanceTimersByTimeAsync(RECONNECT_MAX_MS * 3);
    expect(database.clients).toHaveLength(2);
    expect(heard).toEqual(['resync']);
  });

  it('stops reconnecting at shutdown, and closes a connection made while shutting down', async () => {
    database.up = false;
    database.latest.drop();
    await listener.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(RECONNECT_MAX_MS * 5);
    expect(database.clients).toHaveLength(1);

    const late = new TestListener(database);
    database.up = true;
    const starting = late.start();
    await late.onApplicationShutdown();
    await starting;
    expect(database.latest.ended).toBe(true);
  });
});
