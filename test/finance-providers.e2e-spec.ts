import {
  closedPort,
  type FixtureServer,
  send,
  startFixtureServer,
} from './support/fixture-server.js';
import {
  FINNHUB_TEST_KEY,
  finnhubAaplQuote,
  finnhubHandler,
  finnhubQuote,
  finnhubRecorded,
} from './support/finnhub-fixture.js';
import { frankfurterHandler } from './support/frankfurter-fixture.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';
import { outputChecker } from './support/output-schema.js';
import {
  yahooChart,
  yahooHandler,
  yahooHistoryChart,
  yahooRecorded,
} from './support/yahoo-fixture.js';

type Body = Record<string, unknown> & { result: Record<string, unknown> };

describe('Server A on the real Yahoo Finance provider code, against a stand-in on 127.0.0.1', () => {
  let yahoo: FixtureServer;
  let fx: FixtureServer;
  let servers: TestServers;
  let checkOutput: (tool: string, result: unknown) => void;
  const call = (name: string, args: Record<string, unknown>) =>
    http<Body>('POST', `${servers.a}/tools/call`, { name, arguments: args });

  beforeAll(async () => {
    const answers = yahooHandler(
      {
        AAPL: yahooRecorded.AAPL,
        'VOD.L': yahooRecorded['VOD.L'],
        MSFT: yahooChart('MSFT', 417.0, 412.87),
        SHARED: yahooChart('SHARED', 10, 10),
      },
      {
        AAPL: yahooHistoryChart('AAPL', '5d', '30m', [
          ['2024-11-21T14:30:00Z', 228.52],
          ['2024-11-21T15:00:00Z', null],
          ['2024-11-22T20:30:00Z', 229.87],
        ]),
      },
    );
    yahoo = await startFixtureServer((req, res, url) => {
      const symbol = decodeURIComponent(url.pathname.split('/').pop() ?? '');
      if (symbol === 'BOOM') return send(res, 503, 'text/html', '<h1>Service Unavailable</h1>');
      if (symbol === 'GARBAGE') return send(res, 200, 'application/json', '{"chart":{"result":[{');
      if (symbol === 'SLOW') return; // never answers
      if (symbol === 'SHARED') {
        // Answer late, so that concurrent requests overlap.
        setTimeout(() => answers(req, res, url), 150);
        return;
      }
      answers(req, res, url);
    });
    const rates = frankfurterHandler();
    fx = await startFixtureServer((req, res, url) => {
      if (url.searchParams.get('from') === 'CHF') {
        return send(res, 502, 'text/html', '<h1>Bad Gateway</h1>');
      }
      rates(req, res, url);
    });
    servers = await startTestServers(
      await createTestDatabase(),
      {
        MARKET_DATA_PROVIDER: 'yahoo',
        YAHOO_FINANCE_BASE_URL: yahoo.url,
        FX_BASE_URL: fx.url,
        PROVIDER_TIMEOUT_MS: '700',
        QUOTE_CACHE_TTL_MS: '60000',
      },
      ['a'],
    );
    checkOutput = await outputChecker(servers.a);
  });
  afterAll(async () => {
    await servers?.stop();
    await yahoo?.close();
    await fx?.close();
  });

  it('answers a quote from the recorded chart answer', async () => {
    const { status, body } = await call('get_stock_price', { symbol: 'aapl' });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      price: 229.87,
      currency: 'USD',
      change: 1.35,
      changePercent: 0.59,
      previousClose: 228.52,
      exchange: 'NasdaqGS',
      asOf: '2024-11-22T21:00:01.000Z',
      source: 'yahoo',
    });
    expect(['PRE', 'REGULAR', 'POST', 'CLOSED']).toContain(body.result.marketState);
    checkOutput('get_stock_price', body.result);
  });

  it('answers several symbols, listing the unknown one as an error', async () => {
    const { status, body } = await call('get_stock_price', { symbols: ['AAPL', 'MSFT', 'NOPE'] });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ count: 2, source: 'yahoo' });
    expect(body.result.errors).toEqual([
      {
        symbol: 'NOPE',
        code: 'UNKNOWN_SYMBOL',
        message: "symbol 'NOPE' is not a symbol known to Yahoo Finance",
      },
    ]);
    checkOutput('get_stock_price', body.result);
  });

  it('adds the price history from the chart API when a range is given', async () => {
    const { status, body } = await call('get_stock_price', { symbol: 'AAPL', range: '5d' });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ symbol: 'AAPL', price: 229.87, source: 'yahoo' });
    expect(body.result.history).toEqual({
      range: '5d',
      interval: '30m',
      currency: 'USD',
      points: [
        { time: '2024-11-21T14:30:00.000Z', close: 228.52 },
        { time: '2024-11-22T20:30:00.000Z', close: 229.87 },
      ],
    });
    expect(yahoo.requests).toContain(
      '/v8/finance/chart/AAPL?range=5d&interval=30m&includePrePost=false',
    );
    checkOutput('get_stock_price', body.result);
  });

  it('refuses a range with several symbols (400 naming arguments.range)', async () => {
    const { status, body } = await call('get_stock_price', { symbols: ['AAPL'], range: '1y' });
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('arguments.range');
  });

  it('answers an unknown symbol with 404 UNKNOWN_SYMBOL', async () => {
    const { status, body } = await call('get_stock_price', { symbol: 'NOPE2' });
    expect(status).toBe(404);
    expect(body.code).toBe('UNKNOWN_SYMBOL');
  });

  it('shares one upstream call between concurrent requests for one symbol', async () => {
    const before = yahoo.requests.filter((r) => r.includes('/SHARED?')).length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call('get_stock_price', { symbol: 'SHARED' })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(yahoo.requests.filter((r) => r.includes('/SHARED?')).length - before).toBe(1);
  });

  it('values a portfolio with fetched prices, London pence in pounds, unconverted without baseCurrency', async () => {
    const { status, body } = await call('calculate_portfolio', {
      holdings: [
        { symbol: 'AAPL', quantity: 10, costBasis: 200 },
        { symbol: 'VOD.L', quantity: 1000, costBasis: 0.65 },
      ],
    });
    expect(status).toBe(200);
    expect(body.result.positions).toEqual([
      expect.objectContaining({ symbol: 'AAPL', price: 229.87, value: 2298.7, pnl: 298.7 }),
      expect.objectContaining({
        symbol: 'VOD.L',
        price: 0.715,
        currency: 'GBP',
        value: 715,
        pnl: 65,
        priceSource: 'yahoo',
      }),
    ]);
    expect(body.result.totalValue).toBe(3013.7);
    expect(body.result.fxRates).toEqual([]);
    expect(body.result.warnings).toEqual([expect.stringContaining('GBP, USD')]);
    checkOutput('calculate_portfolio', body.result);
  });

  it('converts into baseCurrency at the ECB rates from Frankfurter, in one call per base currency', async () => {
    const before = fx.requests.length;
    const { status, body } = await call('calculate_portfolio', {
      holdings: [
        { symbol: 'AAPL', quantity: 10, costBasis: 200 },
        { symbol: 'VOD.L', quantity: 1000, costBasis: 0.65 },
        { symbol: 'SAP.DE', quantity: 2, price: 230.1, costBasis: 200, currency: 'EUR' },
      ],
      baseCurrency: 'usd',
    });
    expect(status).toBe(200);
    expect(fx.requests.slice(before)).toEqual(['/latest?from=USD&to=EUR,GBP']);
    expect(body.result).toMatchObject({
      currency: 'USD',
      // 2298.70 + 715 / 0.7952 (899.144...) + 460.2 / 0.95 (484.421...)
      totalValue: 3682.26,
      // 2000 + 650 / 0.7952 (817.404...) + 400 / 0.95 (421.052...)
      totalCost: 3238.45,
      fxRates: [
        { pair: 'USD/EUR', rate: 0.95, date: '2026-11-24', source: 'frankfurter' },
        { pair: 'USD/GBP', rate: 0.7952, date: '2026-11-24', source: 'frankfurter' },
      ],
      warnings: [],
    });
    expect(body.result.positions).toEqual([
      expect.objectContaining({ symbol: 'AAPL', value: 2298.7 }),
      expect.objectContaining({ symbol: 'VOD.L', value: 899.14, cost: 817.4, localValue: 715 }),
      expect.objectContaining({ symbol: 'SAP.DE', value: 484.42, cost: 421.05, localValue: 460.2 }),
    ]);
    checkOutput('calculate_portfolio', body.result);

    // Within FX_CACHE_TTL_MS the same rates are not asked for again.
    await call('calculate_portfolio', {
      holdings: [{ symbol: 'SAP.DE', quantity: 1, price: 1, currency: 'GBP' }],
      baseCurrency: 'USD',
    });
    await call('calculate_portfolio', {
      holdings: [
        { symbol: 'X', quantity: 1, price: 1, currency: 'GBP' },
        { symbol: 'Y', quantity: 1, price: 1, currency: 'EUR' },
      ],
      baseCurrency: 'USD',
    });
    expect(fx.requests.slice(before)).toEqual([
      '/latest?from=USD&to=EUR,GBP',
      '/latest?from=USD&to=GBP',
    ]);
  });

  it('answers 400 naming a currency Frankfurter has no rate for', async () => {
    const { status, body } = await call('calculate_portfolio', {
      holdings: [{ symbol: 'EMAAR', quantity: 1, price: 5, currency: 'AED' }],
      baseCurrency: 'EUR',
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 'INVALID_ARGUMENTS',
      message:
        "holdings[0].currency 'AED' has no exchange rate at Frankfurter (ECB reference rates)",
    });
  });

  it('answers 502 naming Frankfurter when it fails', async () => {
    const { status, body } = await call('calculate_portfolio', {
      holdings: [{ symbol: 'X', quantity: 1, price: 5, currency: 'EUR' }],
      baseCurrency: 'CHF',
    });
    expect(status).toBe(502);
    expect(body).toMatchObject({
      code: 'UPSTREAM_ERROR',
      // The provider's failure, and the setting that answers without it.
      message:
        'Frankfurter (ECB reference rates) answered HTTP 502. To answer without the network, start the server with MARKET_DATA_PROVIDER=simulated',
    });
  });

  it.each([
    ['an HTTP 503', 'BOOM', 'Yahoo Finance answered HTTP 503'],
    ['malformed JSON', 'GARBAGE', 'Yahoo Finance sent a malformed answer'],
  ])('turns %s into a 502 naming the provider', async (_label, symbol, message) => {
    const { status, body } = await call('get_stock_price', { symbol });
    expect(status).toBe(502);
    expect(body.code).toBe('UPSTREAM_ERROR');
    expect(body.message).toContain(message);
  });

  it('answers 504 after PROVIDER_TIMEOUT_MS while the server stays healthy', async () => {
    const started = Date.now();
    const slow = call('get_stock_price', { symbol: 'SLOW' });
    const health = await http('GET', `${servers.a}/health`);
    const portfolio = await call('calculate_portfolio', {
      holdings: [{ symbol: 'X', quantity: 1, price: 1 }],
    });
    expect(health.status).toBe(200);
    expect(portfolio.status).toBe(200);
    const { status, body } = await slow;
    expect(status).toBe(504);
    expect(body).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      // The provider's failure, and the setting that answers without it.
      message:
        'Yahoo Finance did not answer within 700 ms. To answer without the network, start the server with MARKET_DATA_PROVIDER=simulated',
    });
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('fails a portfolio whose price cannot be fetched with the provider error', async () => {
    const { status, body } = await call('calculate_portfolio', {
      holdings: [
        { symbol: 'AAPL', quantity: 1 },
        { symbol: 'BOOM', quantity: 1 },
      ],
    });
    expect(status).toBe(502);
    expect(body.message).toContain('Yahoo Finance');
  });
});

describe('Server A with no network (nothing listens where the providers live)', () => {
  let servers: TestServers;
  beforeAll(async () => {
    const port = await closedPort();
    servers = await startTestServers(
      await createTestDatabase(),
      {
        MARKET_DATA_PROVIDER: 'yahoo',
        YAHOO_FINANCE_BASE_URL: `http://127.0.0.1:${port}`,
        NEWS_PROVIDER: 'rss',
        NEWS_FEEDS: `http://127.0.0.1:${port}/rss?s={symbol},http://127.0.0.1:${port}/top`,
        PROVIDER_TIMEOUT_MS: '30000',
      },
      ['a'],
    );
  });
  afterAll(() => servers?.stop());

  it.each([
    ['get_stock_price', { symbol: 'AAPL' }, 'Yahoo Finance is unreachable'],
    ['calculate_portfolio', { holdings: [{ symbol: 'AAPL', quantity: 1 }] }, 'Yahoo Finance'],
    ['get_financial_news', { symbol: 'AAPL' }, 'RSS news (127.0.0.1'],
  ])(
    '%s fails with a 502 naming the provider, long before the timeout',
    async (name, args, message) => {
      const started = Date.now();
      const { status, body } = await http<Record<string, string>>(
        'POST',
        `${servers.a}/tools/call`,
        {
          name,
          arguments: args,
        },
      );
      expect(status).toBe(502);
      expect(body.message).toContain(message);
      expect(Date.now() - started).toBeLessThan(10_000);
    },
  );
});

describe('Server A on the real Finnhub provider code, against a stand-in on 127.0.0.1', () => {
  let finnhub: FixtureServer;
  let fx: FixtureServer;
  let servers: TestServers;
  let checkOutput: (tool: string, result: unknown) => void;
  const tokens: Array<string | undefined> = [];
  const call = (name: string, args: Record<string, unknown>) =>
    http<Body>('POST', `${servers.a}/tools/call`, { name, arguments: args });

  beforeAll(async () => {
    const answers = finnhubHandler({
      AAPL: finnhubRecorded.AAPL,
      'SAP.DE': {
        quote: finnhubQuote(230.1, 228.4),
        profile: '{"currency":"EUR","name":"SAP SE"}',
      },
      NOPROFILE: { quote: finnhubQuote(10, 8) },
    });
    finnhub = await startFixtureServer((req, res, url) => {
      tokens.push(req.headers['x-finnhub-token'] as string | undefined);
      const symbol = url.searchParams.get('symbol');
      if (symbol === 'LIMIT')
        return send(res, 429, 'application/json', finnhubRecorded.rateLimited);
      if (symbol === 'BANNED') return send(res, 403, 'application/json', finnhubRecorded.noAccess);
      if (symbol === 'SLOW') return; // never answers
      if (symbol === 'NOPROFILE' && url.pathname.endsWith('/profile2')) {
        return send(res, 500, 'text/plain', 'oops');
      }
      answers(req, res, url);
    });
    fx = await startFixtureServer(frankfurterHandler());
    servers = await startTestServers(
      await createTestDatabase(),
      {
        MARKET_DATA_PROVIDER: 'finnhub',
        FINNHUB_API_KEY: FINNHUB_TEST_KEY,
        FINNHUB_BASE_URL: `${finnhub.url}/api/v1`,
        FX_BASE_URL: fx.url,
        PROVIDER_TIMEOUT_MS: '700',
      },
      ['a'],
    );
    checkOutput = await outputChecker(servers.a);
  });
  afterAll(async () => {
    await servers?.stop();
    await finnhub?.close();
    await fx?.close();
  });

  it('answers a quote from the recorded quote and profile, the key in the header only', async () => {
    const { status, body } = await call('get_stock_price', { symbol: 'aapl' });
    expect(status).toBe(200);
    expect(body.result).toEqual(finnhubAaplQuote);
    checkOutput('get_stock_price', body.result);
    expect(finnhub.requests).toEqual(
      expect.arrayContaining(['/api/v1/quote?symbol=AAPL', '/api/v1/stock/profile2?symbol=AAPL']),
    );
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((t) => t === FINNHUB_TEST_KEY)).toBe(true);
    expect(finnhub.requests.join(' ')).not.toContain(FINNHUB_TEST_KEY);
  });

  it('answers the quote when the profile fails', async () => {
    const { status, body } = await call('get_stock_price', { symbol: 'NOPROFILE' });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ symbol: 'NOPROFILE', price: 10, currency: 'USD' });
  });

  it('refuses a range: Finnhub has no price history here (400 saying which providers have)', async () => {
    const { status, body } = await call('get_stock_price', { symbol: 'AAPL', range: '1mo' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'INVALID_ARGUMENTS' });
    expect(JSON.stringify(body)).toMatch(/Finnhub has no price history/);
  });

  it('answers an unknown symbol (all zeros) with 404 UNKNOWN_SYMBOL', async () => {
    const { status, body } = await call('get_stock_price', { symbol: 'NOPE' });
    expect(status).toBe(404);
    expect(body).toMatchObject({
      code: 'UNKNOWN_SYMBOL',
      message: "symbol 'NOPE' is not a symbol known to Finnhub",
    });
  });

  it.each([
    ['a refused key (403)', 'BANNED', 'Finnhub refused the API key (HTTP 403)'],
    ['a rate limit (429)', 'LIMIT', 'Finnhub rate limited the request (HTTP 429)'],
  ])('turns %s into a 502 that says so, without the key', async (_label, symbol, message) => {
    const { status, body } = await call('get_stock_price', { symbol });
    expect(status).toBe(502);
    expect(body.code).toBe('UPSTREAM_ERROR');
    expect(body.message).toContain(message);
    expect(JSON.stringify(body)).not.toContain(FINNHUB_TEST_KEY);
  });

  it('answers 504 after PROVIDER_TIMEOUT_MS', async () => {
    const { status, body } = await call('get_stock_price', { symbol: 'SLOW' });
    expect(status).toBe(504);
    expect(body).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      // The provider's failure, and the setting that answers without it.
      message:
        'Finnhub did not answer within 700 ms. To answer without the network, start the server with MARKET_DATA_PROVIDER=simulated',
    });
  });

  it('values a portfolio in euros with Finnhub prices and Frankfurter rates', async () => {
    const { status, body } = await call('calculate_portfolio', {
      holdings: [
        { symbol: 'AAPL', quantity: 10, costBasis: 200 },
        { symbol: 'SAP.DE', quantity: 2, costBasis: 200 },
      ],
      baseCurrency: 'EUR',
    });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({
      currency: 'EUR',
      // 2298.70 / 1.0526 = 2183.830...; 460.20 in euros already
      totalValue: 2644.03,
      // 2000 / 1.0526 = 1900.057...
      totalCost: 2300.06,
      fxRates: [{ pair: 'EUR/USD', rate: 1.0526, date: '2026-11-24', source: 'frankfurter' }],
      source: 'finnhub',
    });
    checkOutput('calculate_portfolio', body.result);
  });

  it('never shows the key in any answer', async () => {
    for (const path of ['/info', '/tools', '/health', '/docs-json']) {
      const { body } = await http('GET', `${servers.a}${path}`);
      expect(JSON.stringify(body)).not.toContain(FINNHUB_TEST_KEY);
    }
  });
});
