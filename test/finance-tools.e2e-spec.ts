import { Decimal } from 'decimal.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';
import { outputChecker } from './support/output-schema.js';

type Body = Record<string, unknown> & { result: Record<string, unknown> };

describe('Server A finance tools on the simulated providers (REST)', () => {
  let servers: TestServers;
  let checkOutput: (tool: string, result: unknown) => void;
  const call = (name: string, args: Record<string, unknown>) =>
    http<Body>('POST', `${servers.a}/tools/call`, { name, arguments: args });

  beforeAll(async () => {
    servers = await startTestServers(
      await createTestDatabase(),
      { MARKET_DATA_PROVIDER: 'simulated', NEWS_PROVIDER: 'simulated' },
      ['a'],
    );
    checkOutput = await outputChecker(servers.a);
  });
  afterAll(() => servers?.stop());

  describe('get_stock_price', () => {
    it('answers a normalised symbol with every field, labelled simulated', async () => {
      const { status, body } = await call('get_stock_price', { symbol: '  aapl ' });
      expect(status).toBe(200);
      expect(body.result).toMatchObject({ symbol: 'AAPL', currency: 'USD', source: 'simulated' });
      for (const f of ['price', 'change', 'changePercent', 'previousClose']) {
        expect(typeof body.result[f]).toBe('number');
      }
      expect(new Date(body.result.asOf as string).toISOString()).toBe(body.result.asOf);
      checkOutput('get_stock_price', body.result);
    });

    it('gives the same simulated quote on every call of the day', async () => {
      const a = await call('get_stock_price', { symbol: 'MSFT' });
      const b = await call('get_stock_price', { symbol: 'msft' });
      expect(b.body.result).toEqual(a.body.result);
    });

    it('answers each of several symbols, with unknown ones listed as errors', async () => {
      const { status, body } = await call('get_stock_price', {
        symbols: ['AAPL', 'msft', 'ZZZZ', 'AAPL'],
      });
      expect(status).toBe(200);
      const result = body.result as { quotes: Array<{ symbol: string }>; errors: unknown[] };
      expect(result.quotes.map((q) => q.symbol)).toEqual(['AAPL', 'MSFT']);
      expect(result.errors).toEqual([
        expect.objectContaining({ symbol: 'ZZZZ', code: 'UNKNOWN_SYMBOL' }),
      ]);
      expect(body.result).toMatchObject({ count: 2, source: 'simulated' });
      checkOutput('get_stock_price', body.result);
    });

    it('rejects an unknown symbol with 404 UNKNOWN_SYMBOL', async () => {
      const { status, body } = await call('get_stock_price', { symbol: 'zzzz' });
      expect(status).toBe(404);
      expect(body).toMatchObject({ code: 'UNKNOWN_SYMBOL', details: { symbol: 'ZZZZ' } });
      expect(body.message).toContain("'ZZZZ'");
    });

    it.each([
      ['a symbol with a space inside', { symbol: 'AA PL' }, 'arguments.symbol'],
      ['a symbol too long', { symbol: 'A'.repeat(16) }, 'arguments.symbol'],
      ['an empty symbol', { symbol: '' }, 'arguments.symbol'],
      ['neither symbol nor symbols', {}, 'arguments.symbol'],
      ['both symbol and symbols', { symbol: 'A', symbols: ['B'] }, 'arguments.symbol'],
      [
        '51 symbols',
        { symbols: Array.from({ length: 51 }, (_, i) => `S${i}`) },
        'arguments.symbols',
      ],
      ['an empty symbols list', { symbols: [] }, 'arguments.symbols'],
      ['a bad symbol in the list', { symbols: ['OK', 'no way'] }, 'arguments.symbols.1'],
    ])('rejects %s with 400 naming the field', async (_label, args, field) => {
      const { status, body } = await call('get_stock_price', args);
      expect(status).toBe(400);
      expect(body.code).toBe('INVALID_ARGUMENTS');
      expect(body.message).toContain(field);
    });
  });

  describe('calculate_portfolio', () => {
    it('values given prices exactly and rounds to cents', async () => {
      const { status, body } = await call('calculate_portfolio', {
        holdings: [
          { symbol: 'A', quantity: 1, price: 0.1, costBasis: 0.05 },
          { symbol: 'B', quantity: 1, price: 0.2, costBasis: 0.05 },
          { symbol: 'C', quantity: 3, price: 33.333, costBasis: 30 },
        ],
      });
      expect(status).toBe(200);
      expect(body.result).toMatchObject({
        totalValue: 100.3,
        totalCost: 90.1,
        unrealizedPnL: 10.2,
        unrealizedPnLPercent: 11.32,
        currency: 'USD',
        source: 'simulated',
      });
      const positions = body.result.positions as Array<Record<string, number>>;
      expect(positions.map((p) => p.value)).toEqual([0.1, 0.2, 100]);
      expect(positions.map((p) => p.weight)).toEqual([0.1, 0.2, 99.7]);
      checkOutput('calculate_portfolio', body.result);
    });

    it('merges holdings of one symbol and averages their cost', async () => {
      const { body } = await call('calculate_portfolio', {
        holdings: [
          { symbol: 'aapl', quantity: 10, costBasis: 100, price: 150 },
          { symbol: 'AAPL ', quantity: 30, costBasis: 140 },
        ],
      });
      expect(body.result.positions).toEqual([
        expect.objectContaining({
          symbol: 'AAPL',
          quantity: 40,
          price: 150,
          value: 6000,
          cost: 5200,
          costBasis: 130,
          pnl: 800,
          pnlPercent: 15.38,
          weight: 100,
          priceSource: 'input',
        }),
      ]);
    });

    it('fetches missing prices from the simulated market', async () => {
      const quote = await call('get_stock_price', { symbol: 'MSFT' });
      const { body } = await call('calculate_portfolio', {
        holdings: [{ symbol: 'MSFT', quantity: 2 }],
      });
      const price = quote.body.result.price as number;
      expect(body.result.positions).toEqual([
        expect.objectContaining({ price, priceSource: 'simulated', pnl: 0 }),
      ]);
      expect(body.result.totalValue).toBe(Math.round(price * 200) / 100);
      expect(body.result.warnings).toEqual([
        'No costBasis for MSFT: those units count at the current price (P&L 0)',
      ]);
    });

    it('reports concentration and, without baseCurrency, warns about mixed currencies', async () => {
      const { body } = await call('calculate_portfolio', {
        holdings: [
          { symbol: 'AAPL', quantity: 3, price: 100, costBasis: 100, currency: 'usd' },
          { symbol: 'SAP.DE', quantity: 1, price: 100, costBasis: 100, currency: 'eur' },
        ],
      });
      expect(body.result.concentration).toEqual({
        largestPosition: 'AAPL',
        largestWeight: 75,
        herfindahlIndex: 0.625,
        effectivePositions: 1.6,
      });
      expect(body.result.fxRates).toEqual([]);
      expect(body.result.warnings).toEqual([expect.stringContaining('Positions are in EUR, USD')]);
    });

    it('converts into baseCurrency at the simulated rates, listing them', async () => {
      const { status, body } = await call('calculate_portfolio', {
        holdings: [
          { symbol: 'AAPL', quantity: 3, price: 100, costBasis: 100, currency: 'USD' },
          { symbol: 'SAP.DE', quantity: 1, price: 100, costBasis: 90, currency: 'eur' },
          { symbol: '7203.T', quantity: 100, price: 2500.5, costBasis: 2000, currency: 'JPY' },
        ],
        baseCurrency: 'usd',
      });
      expect(status).toBe(200);
      const today = new Date().toISOString().slice(0, 10);
      expect(body.result).toMatchObject({
        currency: 'USD',
        // 100 / 0.92 = 108.6956... and 250,050 / 150.5 = 1661.4617...
        totalValue: 2070.16,
        // 90 / 0.92 = 97.826... and 200,000 / 150.5 = 1328.9036...
        totalCost: 1726.73,
        unrealizedPnL: 343.43,
        fxRates: [
          { pair: 'USD/EUR', rate: 0.92, date: today, source: 'simulated' },
          { pair: 'USD/JPY', rate: 150.5, date: today, source: 'simulated' },
        ],
        warnings: [],
      });
      expect(body.result.positions).toEqual([
        expect.objectContaining({ symbol: 'AAPL', value: 300, cost: 300 }),
        expect.objectContaining({
          symbol: 'SAP.DE',
          currency: 'EUR',
          price: 100,
          value: 108.7,
          cost: 97.83,
          pnl: 10.87,
          localValue: 100,
          localCost: 90,
        }),
        expect.objectContaining({
          symbol: '7203.T',
          currency: 'JPY',
          value: 1661.46,
          cost: 1328.9,
          localValue: 250050,
          localCost: 200000,
        }),
      ]);
      expect((body.result.positions as unknown[])[0]).not.toHaveProperty('localValue');
      checkOutput('calculate_portfolio', body.result);
    });

    it('converts fetched simulated prices (in USD) into another base currency', async () => {
      const quote = await call('get_stock_price', { symbol: 'MSFT' });
      const { body } = await call('calculate_portfolio', {
        holdings: [{ symbol: 'MSFT', quantity: 10, costBasis: 100 }],
        baseCurrency: 'THB',
      });
      const price = quote.body.result.price as number;
      // 1 THB = 1 / 35.5 USD, published to 6 significant digits.
      expect(body.result.fxRates).toEqual([
        expect.objectContaining({ pair: 'THB/USD', rate: 0.028169, source: 'simulated' }),
      ]);
      const inThb = (usd: Decimal.Value) =>
        new Decimal(usd).div('0.028169').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
      expect(body.result.totalValue).toBe(inThb(new Decimal(price).mul(10)));
      expect(body.result.totalCost).toBe(inThb(1000));
    });

    it.each([
      [
        'a base currency that is no ISO 4217 code',
        { holdings: [{ symbol: 'A', quantity: 1, price: 1 }], baseCurrency: 'xyz' },
        "arguments.baseCurrency 'XYZ': not an ISO 4217 currency code",
      ],
      [
        'a holding currency that is no ISO 4217 code',
        {
          holdings: [
            { symbol: 'A', quantity: 1, price: 1 },
            { symbol: 'B', quantity: 1, price: 1, currency: 'ABC' },
          ],
        },
        "holdings[1].currency 'ABC': not an ISO 4217 currency code",
      ],
      [
        'a currency the FX table has no rate for',
        {
          holdings: [{ symbol: 'EMAAR', quantity: 1, price: 5, currency: 'AED' }],
          baseCurrency: 'USD',
        },
        "holdings[0].currency 'AED' has no exchange rate at the simulated FX table",
      ],
    ])('rejects %s with 400 naming it', async (_label, args, message) => {
      const { status, body } = await call('calculate_portfolio', args);
      expect(status).toBe(400);
      expect(body.code).toBe('INVALID_ARGUMENTS');
      expect(body.message).toBe(message);
    });

    it('names the holding whose symbol is unknown', async () => {
      const { status, body } = await call('calculate_portfolio', {
        holdings: [
          { symbol: 'AAPL', quantity: 1 },
          { symbol: 'ZZZQ', quantity: 1 },
        ],
      });
      expect(status).toBe(404);
      expect(body.code).toBe('UNKNOWN_SYMBOL');
      expect(body.message).toContain('holdings[1].symbol');
    });

    it.each([
      ['an empty list', { holdings: [] }, 'arguments.holdings'],
      ['no holdings', {}, 'arguments.holdings'],
      [
        'a zero quantity',
        {
          holdings: [
            { symbol: 'A', quantity: 1 },
            { symbol: 'B', quantity: 0 },
          ],
        },
        'arguments.holdings.1.quantity',
      ],
      [
        'a negative quantity',
        { holdings: [{ symbol: 'A', quantity: -1 }] },
        'arguments.holdings.0.quantity',
      ],
      [
        'a negative cost basis',
        { holdings: [{ symbol: 'A', quantity: 1, costBasis: -1 }] },
        'arguments.holdings.0.costBasis',
      ],
      [
        'a quantity as text',
        { holdings: [{ symbol: 'A', quantity: '1' }] },
        'arguments.holdings.0.quantity',
      ],
      [
        'a bad symbol',
        { holdings: [{ symbol: 'A B', quantity: 1 }] },
        'arguments.holdings.0.symbol',
      ],
      ['a missing symbol', { holdings: [{ quantity: 1 }] }, 'arguments.holdings.0.symbol'],
      [
        '1001 holdings',
        { holdings: Array.from({ length: 1001 }, () => ({ symbol: 'A', quantity: 1, price: 1 })) },
        'arguments.holdings',
      ],
      [
        'a bad base currency',
        { holdings: [{ symbol: 'A', quantity: 1 }], baseCurrency: 'dollars' },
        'arguments.baseCurrency',
      ],
      [
        'two prices for one symbol',
        {
          holdings: [
            { symbol: 'A', quantity: 1, price: 1 },
            { symbol: 'a', quantity: 1, price: 2 },
          ],
        },
        'holdings[1].price',
      ],
    ])('rejects %s with 400 naming the holding', async (_label, args, field) => {
      const { status, body } = await call('calculate_portfolio', args);
      expect(status).toBe(400);
      expect(body.code).toBe('INVALID_ARGUMENTS');
      expect(body.message).toContain(field);
    });

    it('values 1000 holdings with fetched prices in one call', async () => {
      const holdings = Array.from({ length: 1000 }, (_, i) => ({
        symbol: `T${i % 250}`,
        quantity: 1.5,
        costBasis: 10,
      }));
      const { status, body } = await call('calculate_portfolio', { holdings });
      expect(status).toBe(200);
      const positions = body.result.positions as Array<{ quantity: number; weight: number }>;
      expect(positions).toHaveLength(250);
      expect(positions.every((p) => p.quantity === 6)).toBe(true);
      expect(positions.reduce((s, p) => s + Math.round(p.weight * 100), 0)).toBe(10000);
    });
  });
});
