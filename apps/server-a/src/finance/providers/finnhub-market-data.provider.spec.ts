import { inspect } from 'node:util';
import { UnknownSymbolError, UpstreamError, UpstreamTimeoutError } from '@app/core';
import {
  closedPort,
  type FixtureServer,
  send,
  startFixtureServer,
} from '../../../../../test/support/fixture-server.js';
import {
  FINNHUB_TEST_KEY,
  finnhubAaplQuote,
  finnhubHandler,
  finnhubQuote,
  finnhubRecorded,
} from '../../../../../test/support/finnhub-fixture.js';
import { FinnhubMarketDataProvider } from './finnhub-market-data.provider.js';

type Answer = (res: Parameters<typeof send>[0], path: string) => void;

describe('FinnhubMarketDataProvider (against a Finnhub stand-in on 127.0.0.1)', () => {
  let finnhub: FixtureServer;
  const tokens: Array<string | undefined> = [];

  beforeAll(async () => {
    finnhub = await startFixtureServer(finnhubHandler({}));
  });
  afterAll(() => finnhub.close());

  const provider = (timeoutMs = 2000, key = FINNHUB_TEST_KEY) =>
    new FinnhubMarketDataProvider(`${finnhub.url}/api/v1`, key, timeoutMs);

  /** Answers `/quote` and `/stock/profile2` with `answer`, recording the token header. */
  const answerWith = (answer: Answer) =>
    finnhub.handle((req, res, url) => {
      tokens.push(req.headers['x-finnhub-token'] as string | undefined);
      answer(res, url.pathname);
    });

  it('combines the quote and the profile into a quote with change, exchange and name', async () => {
    finnhub.handle(finnhubHandler({ AAPL: finnhubRecorded.AAPL }));
    await expect(provider().getQuote('AAPL')).resolves.toEqual(finnhubAaplQuote);
    expect(finnhub.requests.slice(-2).sort()).toEqual([
      '/api/v1/quote?symbol=AAPL',
      '/api/v1/stock/profile2?symbol=AAPL',
    ]);
  });

  it('sends the key in the X-Finnhub-Token header, never in the URL', async () => {
    answerWith((res, path) =>
      send(res, 200, 'application/json', path.endsWith('/quote') ? finnhubQuote(10, 9) : '{}'),
    );
    await provider().getQuote('MSFT');
    expect(tokens.slice(-2)).toEqual([FINNHUB_TEST_KEY, FINNHUB_TEST_KEY]);
    expect(finnhub.requests.join(' ')).not.toContain(FINNHUB_TEST_KEY);
  });

  it('keeps the key out of the provider when it is printed or serialised', () => {
    const p = provider();
    expect(inspect(p, { depth: null, showHidden: true })).not.toContain(FINNHUB_TEST_KEY);
    expect(JSON.stringify(p)).not.toContain(FINNHUB_TEST_KEY);
  });

  it('answers the quote when the profile is empty, in USD (a US listing)', async () => {
    finnhub.handle(finnhubHandler({ X: { quote: finnhubQuote(0.30000000000000004, 0.1) } }));
    const quote = await provider().getQuote('X');
    expect(quote).toMatchObject({ price: 0.3, change: 0.2, changePercent: 200, currency: 'USD' });
    expect(quote).not.toHaveProperty('name');
    expect(quote).not.toHaveProperty('exchange');
  });

  it.each([
    ['a 403', (res: Parameters<typeof send>[0]) => send(res, 403, 'application/json', '{}')],
    ['a 500', (res: Parameters<typeof send>[0]) => send(res, 500, 'text/plain', 'oops')],
    ['garbage', (res: Parameters<typeof send>[0]) => send(res, 200, 'application/json', '{"c":')],
    ['silence', () => undefined],
  ])('answers the quote when the profile fails with %s', async (_label, profileAnswer) => {
    answerWith((res, path) =>
      path.endsWith('/quote')
        ? send(res, 200, 'application/json', finnhubRecorded.AAPL.quote)
        : profileAnswer(res),
    );
    await expect(provider(300).getQuote('AAPL')).resolves.toMatchObject({
      price: 229.87,
      currency: 'USD',
      source: 'finnhub',
    });
  });

  it("takes the profile's currency, keeping a subunit such as GBp for the portfolio to convert", async () => {
    finnhub.handle(
      finnhubHandler({
        'VOD.L': {
          quote: finnhubQuote(71.5, 70.9),
          profile: '{"currency":"GBp","name":"Vodafone"}',
        },
      }),
    );
    await expect(provider().getQuote('VOD.L')).resolves.toMatchObject({
      currency: 'GBp',
      name: 'Vodafone',
    });
  });

  it('says UNKNOWN_SYMBOL when Finnhub answers zeros', async () => {
    finnhub.handle(finnhubHandler({}));
    const err = (await provider()
      .getQuote('NOPE')
      .catch((e: unknown) => e)) as UnknownSymbolError;
    expect(err).toBeInstanceOf(UnknownSymbolError);
    expect(err.message).toBe("symbol 'NOPE' is not a symbol known to Finnhub");
  });

  it.each([
    [401, finnhubRecorded.invalidKey],
    [403, finnhubRecorded.noAccess],
  ])(
    'turns a %i into a 502 saying Finnhub refused the key, without the key',
    async (status, body) => {
      answerWith((res) => send(res, status, 'application/json', body));
      const err = (await provider()
        .getQuote('AAPL')
        .catch((e: unknown) => e)) as UpstreamError;
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.status).toBe(502);
      expect(err.message).toMatch(/^Finnhub refused the API key \(HTTP 40[13]\)/);
      expect(JSON.stringify([err.message, err.details])).not.toContain(FINNHUB_TEST_KEY);
    },
  );

  it('refuses a wrong key the same way (the stand-in checks the header)', async () => {
    finnhub.handle(finnhubHandler({ AAPL: finnhubRecorded.AAPL }));
    const wrong = 'wrong-key-0123456789';
    const err = (await provider(2000, wrong)
      .getQuote('AAPL')
      .catch((e: unknown) => e)) as UpstreamError;
    expect(err.message).toContain('refused the API key');
    expect(err.message).not.toContain(wrong);
  });

  it('turns a 429 into a 502 saying Finnhub rate limited the request', async () => {
    answerWith((res) => send(res, 429, 'application/json', finnhubRecorded.rateLimited));
    const err = (await provider()
      .getQuote('AAPL')
      .catch((e: unknown) => e)) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/^Finnhub rate limited the request \(HTTP 429\)/);
  });

  it.each([
    [
      'a 500',
      (res: Parameters<typeof send>[0]) => send(res, 500, 'text/plain', 'oops'),
      /HTTP 500/,
    ],
    [
      'malformed JSON',
      (res: Parameters<typeof send>[0]) => send(res, 200, 'application/json', '{"c":'),
      /malformed/,
    ],
    [
      'JSON of another shape',
      (res: Parameters<typeof send>[0]) => send(res, 200, 'application/json', '{"hello":1}'),
      /malformed/,
    ],
    [
      'a JSON array',
      (res: Parameters<typeof send>[0]) => send(res, 200, 'application/json', '[]'),
      /malformed/,
    ],
    [
      'a quote without a time',
      (res: Parameters<typeof send>[0]) =>
        send(res, 200, 'application/json', '{"c":10,"pc":9,"t":0}'),
      /malformed/,
    ],
  ])('turns %s into a 502 naming Finnhub', async (_label, answer, message) => {
    answerWith((res, path) =>
      path.endsWith('/quote') ? answer(res) : send(res, 200, 'application/json', '{}'),
    );
    const err = (await provider()
      .getQuote('AAPL')
      .catch((e: unknown) => e)) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(502);
    expect(err.message).toContain('Finnhub');
    expect(err.message).toMatch(message);
  });

  it('gives up after the timeout with a 504 naming Finnhub', async () => {
    finnhub.handle(() => undefined); // never answers
    const started = Date.now();
    const err = (await provider(200)
      .getQuote('AAPL')
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(err.message).toBe('Finnhub did not answer within 200 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers a 502 at once when nothing listens', async () => {
    const down = new FinnhubMarketDataProvider(
      `http://127.0.0.1:${await closedPort()}`,
      FINNHUB_TEST_KEY,
      30_000,
    );
    const started = Date.now();
    const err = (await down.getQuote('AAPL').catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toBe('Finnhub is unreachable (ECONNREFUSED)');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
