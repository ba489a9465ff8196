import { loadConfig } from '@app/core';
import type { ServerDefinition } from './server-definition.js';
import { startupSummary } from './startup-summary.js';

const definition = {
  name: 'Server Z',
  description: 'test',
  variables: [],
  settings: () => ({ id: 'server_z', host: '127.0.0.1', port: 3999 }),
  module: () => ({ module: class {} }),
  dataProviders: (env: Record<string, string | undefined>) => [
    { purpose: 'quotes', variable: 'QUOTES_PROVIDER', value: env.QUOTES_PROVIDER ?? 'real' },
  ],
} satisfies ServerDefinition;
const server = { definition, url: 'http://127.0.0.1:3999', id: 'server_z' };

describe('startupSummary', () => {
  it('says where the server answers, its data providers, its embedded database and who may call it', () => {
    const config = loadConfig({ DATA_DIR: '/srv/data', EMBEDDED_DB_PORT: '5555' });
    const line = startupSummary(
      server,
      config,
      { url: 'postgres://u:p@127.0.0.1:5555/mcp', origin: 'embedded' },
      { QUOTES_PROVIDER: 'simulated' },
    );
    expect(line).toMatch(/^Server Z \(server_z\) ready at http:\/\/127\.0\.0\.1:3999 \| /);
    expect(line).toContain('| docs http://127.0.0.1:3999/docs |');
    expect(line).toContain('| console http://127.0.0.1:3999/console');
    expect(line).toContain('| MCP http://127.0.0.1:3999/mcp |');
    expect(line).toContain('| data providers: quotes QUOTES_PROVIDER=simulated |');
    expect(line).toContain('| database: embedded PostgreSQL at /srv/data (port 5555) |');
    expect(line).toContain(
      'auth: calls open to anyone who can connect (API_KEYS not set), changes from this machine only (ADMIN_API_KEY not set)',
    );
  });

  it('names an external database by host, port and name, never by its credentials', () => {
    const config = loadConfig({
      ADMIN_API_KEY: 'admin-key-0123456789abcdef',
      API_KEYS: 'alice:alice-key-0123456789abcdef',
      RATE_LIMIT_PER_MINUTE: '120',
    });
    const line = startupSummary(
      server,
      config,
      { url: 'postgres://app:s3cret-pw@db.internal:6432/tools', origin: 'external' },
      {},
    );
    expect(line).toContain('database: external PostgreSQL db.internal:6432/tools (DATABASE_URL)');
    expect(line).not.toContain('s3cret');
    expect(line).not.toContain('app:');
    expect(line).toContain(
      'auth: calls need an API key (1 in API_KEYS), changes need ADMIN_API_KEY, 120 calls/min per caller',
    );
  });

  it('says so when a server has no data providers', () => {
    const line = startupSummary(
      { ...server, definition: { ...definition, dataProviders: undefined } },
      loadConfig({}),
      { url: 'postgres://x@127.0.0.1/x', origin: 'shared' },
      {},
    );
    expect(line).toContain('data providers: none');
    expect(line).toContain(', shared with another process)');
  });
});
