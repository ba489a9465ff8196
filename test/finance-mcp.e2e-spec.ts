import {
  connectClient,
  listAllTools,
  REVISIONS,
  type Revision,
  type TestMcpClient,
} from './support/mcp-clients.js';
import { createTestDatabase, startTestServers, type TestServers } from './support/harness.js';

describe('Server A finance tools over MCP (official SDK clients check structuredContent)', () => {
  let servers: TestServers;

  beforeAll(async () => {
    servers = await startTestServers(
      await createTestDatabase(),
      { MARKET_DATA_PROVIDER: 'simulated', NEWS_PROVIDER: 'simulated' },
      ['a'],
    );
  });
  afterAll(() => servers?.stop());

  describe.each(REVISIONS)('a %s client', (revision: Revision) => {
    let client: TestMcpClient;

    beforeAll(async () => {
      client = await connectClient(revision, new URL(`${servers.a}/mcp`));
      // Listing first lets the SDK clients validate every result against its outputSchema.
      await listAllTools(client);
    });
    afterAll(() => client?.close());

    it.each([
      ['get_stock_price', { symbol: 'aapl' }, { symbol: 'AAPL', source: 'simulated' }],
      ['get_stock_price', { symbols: ['AAPL', 'ZZZZ'] }, { count: 1, source: 'simulated' }],
      [
        'calculate_portfolio',
        { holdings: [{ symbol: 'A', quantity: 1, price: 0.1, costBasis: 0 }] },
        { totalValue: 0.1, unrealizedPnLPercent: null, source: 'simulated' },
      ],
      ['get_financial_news', { symbol: 'AAPL', limit: 3 }, { count: 3, source: 'simulated' }],
    ])(
      '%s %j answers structuredContent matching its outputSchema',
      async (name, args, expected) => {
        const result = await client.callTool(name, args);
        expect(result.isError).toBeFalsy();
        expect(result.structuredContent).toMatchObject(expected);
      },
    );

    it('answers an unknown symbol as an isError result with its code', async () => {
      const result = await client.callTool('get_stock_price', { symbol: 'ZZZZ' });
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toContain('ZZZZ');
    });
  });
});
