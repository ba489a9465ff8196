import { UnknownSymbolError, UpstreamError, UpstreamTimeoutError } from '@app/core';
import {
  closedPort,
  type FixtureServer,
  send,
  startFixtureServer,
} from '../../../../../test/support/fixture-server.js';
import {
  yahooChart,
  yahooHandler,
  yahooHistoryChart,
  yahooRecorded,
} from '../../../../../test/support/yahoo-fixture.js';
import { YahooMarketDataProvider } from './yahoo-market-data.provider.js';

describe('YahooMarketDataProvider (against a Yahoo Finance stand-in on 127.0.0.1)', () => {
  let yahoo: FixtureServer;
  // 2024-11-22 20:30 UTC: inside the recorded regular session of AAPL.
  const duringSession = () => new Date('2024-11-22T20:30:00Z');

  beforeAll(async () => {
    yahoo = await startFixtureServer(yahooHandler({}));
  });
  afterAll(() => yahoo.close());

  const provider = (timeoutMs = 2000) =>
    new YahooMarketDataProvider(yahoo.url, timeoutMs, duringSession);

  it('turns a recorded chart answer into a quote with change, market state and exchange', async () => {
    yahoo.handle(yahooHandler({ AAPL: yahooRecorded.AAPL }));
    await expect(provider().getQuote('AAPL')).resolves.toEqual({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      price: 229.87,
      currency: 'USD',
      change: 1.35,
      changePercent: 0.59,
      previousClose: 228.52,
      dayHigh: 230.72,
      dayLow: 228.06,
      volume: 38168252,
      exchange: 'NasdaqGS',
      marketState: 'REGULAR',
      asOf: '2024-11-22T21:00:01.000Z',
      source: 'yahoo',
    });
    expect(yahoo.requests.at(-1)).toBe(
      '/v8/finance/chart/AAPL?range=1d&interval=1d&includePrePost=false',
    );
  });

  it('reports a closed market outside the trading periods', async () => {
    yahoo.handle(yahooHandler({ AAPL: yahooRecorded.AAPL }));
    const late = new YahooMarketDataProvider(yahoo.url, 2000, () => new Date('2024-11-23T12:00Z'));
    await expect(late.getQuote('AAPL')).resolves.toMatchObject({ marketState: 'CLOSED' });
  });

  it('snaps binary-float noise to decimals', async () => {
    yahoo.handle(yahooHandler({ X: yahooChart('X', 0.30000000000000004, 0.1) }));
    await expect(provider().getQuote('X')).resolves.toMatchObject({
      price: 0.3,
      change: 0.2,
      changePercent: 200,
    });
  });

  it('URL-encodes symbols such as ^GSPC', async () => {
    yahoo.handle(yahooHandler({ '^GSPC': yahooChart('^GSPC', 5969.34, 5948.71) }));
    await expect(provider().getQuote('^GSPC')).resolves.toMatchObject({ symbol: '^GSPC' });
    expect(yahoo.requests.at(-1)).toContain('/v8/finance/chart/%5EGSPC?');
  });

  it('says UNKNOWN_SYMBOL when Yahoo answers "Not Found"', async () => {
    yahoo.handle(yahooHandler({}));
    await expect(provider().getQuote('NOPE')).rejects.toBeInstanceOf(UnknownSymbolError);
  });

  it.each([
    [
      'a 500',
      (res: Parameters<typeof send>[0]) => send(res, 500, 'text/plain', 'oops'),
      /HTTP 500/,
    ],
    [
      'a 429',
      (res: Parameters<typeof send>[0]) => send(res, 429, 'text/plain', 'Too Many Requests'),
      /HTTP 429/,
    ],
    [
      'malformed JSON',
      (res: Parameters<typeof send>[0]) => send(res, 200, 'application/json', '{"chart":'),
      /malformed/,
    ],
    [
      'JSON of another shape',
      (res: Parameters<typeof send>[0]) => send(res, 200, 'application/json', '{"hello":1}'),
      /malformed/,
    ],
    [
      'a chart without a price',
      (res: Parameters<typeof send>[0]) =>
        send(
          res,
          200,
          'application/json',
          '{"chart":{"result":[{"meta":{"currency":"USD"}}],"error":null}}',
        ),
      /malformed/,
    ],
  ])('turns %s into a 502 naming Yahoo Finance', async (_label, answer, message) => {
    yahoo.handle((_req, res) => answer(res));
    const err = (await provider()
      .getQuote('AAPL')
      .catch((e: unknown) => e)) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(502);
    expect(err.message).toContain('Yahoo Finance');
    expect(err.message).toMatch(message);
  });

  it('gives up after the timeout with a 504 naming Yahoo Finance', async () => {
    yahoo.handle(() => undefined); // never answers
    const started = Date.now();
    const err = (await provider(200)
      .getQuote('AAPL')
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(err.message).toBe('Yahoo Finance did not answer within 200 ms');
    // Load on a shared CI machine can delay timers; a hang would take far longer.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers a 502 at once when nothing listens', async () => {
    const down = new YahooMarketDataProvider(`http://127.0.0.1:${await closedPort()}`, 30_000);
    const started = Date.now();
    const err = (await down.getQuote('AAPL').catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toMatch(/^Yahoo Finance is unreachable \(ECONNREFUSED\)$/);
    // Refused at once: far sooner than the 30 s timeout, even on a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  describe('price history', () => {
    it('asks the chart API for the range at its interval and keeps the closes, skipping bars without a trade', async () => {
      const history = yahooHistoryChart('AAPL', '1mo', '1d', [
        ['2024-11-20T14:30:00Z', 228.99999237060547],
        ['2024-11-21T14:30:00Z', null],
        ['2024-11-22T14:30:00Z', 229.8699951171875],
      ]);
      yahoo.handle(yahooHandler({}, { AAPL: history }));
      await expect(provider().getHistory('AAPL', '1mo')).resolves.toEqual({
        range: '1mo',
        interval: '1d',
        currency: 'USD',
        points: [
          { time: '2024-11-20T14:30:00.000Z', close: 228.999992 },
          { time: '2024-11-22T14:30:00.000Z', close: 229.869995 },
        ],
      });
      expect(yahoo.requests.at(-1)).toBe(
        '/v8/finance/chart/AAPL?range=1mo&interval=1d&includePrePost=false',
      );
    });

    it('uses 5-minute bars for a day and weekly bars for a year', async () => {
      const bars: Array<[string, number]> = [['2024-11-22T14:30:00Z', 1]];
      yahoo.handle(yahooHandler({}, { AAPL: yahooHistoryChart('AAPL', '1y', '1wk', bars) }));
      await provider().getHistory('AAPL', '1y');
      expect(yahoo.requests.at(-1)).toContain('range=1y&interval=1wk');
      // The quote's own range: the stand-in answers it from its quotes.
      yahoo.handle(yahooHandler({ AAPL: yahooHistoryChart('AAPL', '1d', '5m', bars) }));
      await provider().getHistory('AAPL', '1d');
      expect(yahoo.requests.at(-1)).toContain('range=1d&interval=5m');
    });

    it('says UNKNOWN_SYMBOL for a symbol Yahoo does not list, 502 for a history it cannot read', async () => {
      yahoo.handle(yahooHandler({}));
      await expect(provider().getHistory('NOPE', '5d')).rejects.toBeInstanceOf(UnknownSymbolError);
      const broken = JSON.parse(
        yahooHistoryChart('AAPL', '5d', '30m', [['2024-11-22T14:30:00Z', 1]]),
      ) as { chart: { result: Array<{ timestamp: number[] }> } };
      broken.chart.result[0].timestamp = [];
      yahoo.handle(yahooHandler({}, { AAPL: JSON.stringify(broken) }));
      await expect(provider().getHistory('AAPL', '5d')).rejects.toThrow(/malformed/);
    });
  });
});
