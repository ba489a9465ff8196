import { type FixtureServer, send, startFixtureServer } from './support/fixture-server.js';
import { createTestDatabase, http, startTestServers, type TestServers } from './support/harness.js';
import { feeds } from './support/news-fixture.js';
import { outputChecker } from './support/output-schema.js';

type Article = { title: string; url: string; source: string; publishedAt: string; summary: string };
type Body = Record<string, unknown> & {
  result: { articles: Article[]; count: number; source: string; warnings: string[] };
};

const news = (servers: TestServers, args: Record<string, unknown>) =>
  http<Body>('POST', `${servers.a}/tools/call`, { name: 'get_financial_news', arguments: args });

describe('get_financial_news (REST)', () => {
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });

  describe('on the simulated provider', () => {
    let servers: TestServers;
    let checkOutput: (tool: string, result: unknown) => void;
    const call = (args: Record<string, unknown>) => news(servers, args);

    beforeAll(async () => {
      servers = await startTestServers(databaseUrl, { NEWS_PROVIDER: 'simulated' }, ['a']);
      checkOutput = await outputChecker(servers.a);
    });
    afterAll(() => servers?.stop());

    it('gives 10 articles by default, newest first, every one labelled simulated', async () => {
      const { status, body } = await call({});
      expect(status).toBe(200);
      expect(body.result.count).toBe(10);
      expect(body.result.source).toBe('simulated');
      const times = body.result.articles.map((a) => a.publishedAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect(body.result.articles.every((a) => a.source === 'simulated')).toBe(true);
      checkOutput('get_financial_news', body.result);
    });

    it('answers about a normalised symbol, the same all day, up to the limit', async () => {
      const a = await call({ symbol: ' tsla', limit: 50 });
      const b = await call({ symbol: 'TSLA', limit: 50 });
      expect(a.body.result.count).toBe(50);
      expect(a.body.result.articles.every((x) => x.title.startsWith('TSLA '))).toBe(true);
      expect(b.body.result).toEqual(a.body.result);
    });

    it('filters by the words of the query', async () => {
      const all = (await call({ symbol: 'TSLA', limit: 50 })).body.result.articles;
      const headline = all[0].title.slice('TSLA '.length);
      const { body } = await call({ symbol: 'TSLA', query: headline.toUpperCase(), limit: 50 });
      const expected = all.filter((a) => a.title.endsWith(headline));
      expect(body.result.articles).toEqual(expected);
      expect(expected.length).toBeLessThan(50);
    });

    it.each([
      ['a limit of 0', { limit: 0 }, 'arguments.limit'],
      ['a limit of 51', { limit: 51 }, 'arguments.limit'],
      ['a fractional limit', { limit: 2.5 }, 'arguments.limit'],
      ['a bad symbol', { symbol: 'no way!' }, 'arguments.symbol'],
      ['an empty query', { query: '' }, 'arguments.query'],
      ['an unknown argument', { topic: 'x' }, 'arguments.topic'],
    ])('rejects %s with 400 naming the field', async (_label, args, field) => {
      const { status, body } = await call(args);
      expect(status).toBe(400);
      expect(body.message).toContain(field);
    });
  });

  describe('on the RSS provider, against feed stand-ins', () => {
    let servers: TestServers;
    let feedServer: FixtureServer;
    let checkOutput: (tool: string, result: unknown) => void;
    const call = (args: Record<string, unknown>) => news(servers, args);

    beforeAll(async () => {
      feedServer = await startFixtureServer((_req, res, url) => {
        if (url.pathname === '/rss/2.0/headline' && url.searchParams.get('s') === 'AAPL') {
          return send(res, 200, 'application/rss+xml', feeds.yahooAapl);
        }
        if (url.pathname === '/cnbc') return send(res, 200, 'application/rss+xml', feeds.cnbc);
        if (url.pathname === '/atom') return send(res, 200, 'application/atom+xml', feeds.atom);
        send(res, 404, 'text/html', '<h1>Not Found</h1>');
      });
      servers = await startTestServers(
        databaseUrl,
        {
          NEWS_PROVIDER: 'rss',
          NEWS_FEEDS: [
            `${feedServer.url}/rss/2.0/headline?s={symbol}&region=US&lang=en-US`,
            `${feedServer.url}/cnbc`,
            `${feedServer.url}/atom`,
          ].join(','),
          PROVIDER_TIMEOUT_MS: '1000',
        },
        ['a'],
      );
      checkOutput = await outputChecker(servers.a);
    });
    afterAll(async () => {
      await servers?.stop();
      await feedServer?.close();
    });

    it('merges the general feeds newest first, without duplicates or HTML', async () => {
      const { status, body } = await call({ limit: 50 });
      expect(status).toBe(200);
      expect(body.result.source).toBe('rss');
      expect(body.result.articles.map((a) => a.publishedAt)).toEqual([
        '2024-11-22T21:16:46.000Z',
        '2024-11-22T18:02:11.000Z',
        '2024-11-22T18:00:00.000Z',
        '2024-11-22T14:40:00.000Z',
        '2024-11-21T08:00:00.000Z',
      ]);
      expect(body.result.articles[2]).toEqual({
        title: 'Treasury yields fall as inflation cools',
        url: `${feedServer.url}/2024/11/22/yields-fall`,
        source: 'Example Markets Wire',
        publishedAt: '2024-11-22T18:00:00.000Z',
        summary: 'The 10-year yield fell to 4.41%.',
      });
      checkOutput('get_financial_news', body.result);
    });

    it('answers about a symbol from its feed and the articles that mention it', async () => {
      const { body } = await call({ symbol: 'aapl', limit: 3 });
      expect(body.result.articles.map((a) => a.source)).toEqual([
        'Yahoo! Finance: AAPL News',
        'Top News & Analysis',
        'Yahoo! Finance: AAPL News',
      ]);
      expect(body.result.articles[0].title).toBe(
        'Apple (AAPL) services revenue hits a record & analysts cheer',
      );
    });

    it('names a failing feed in warnings while the others answer', async () => {
      const { status, body } = await call({ symbol: 'MSFT' });
      expect(status).toBe(200);
      expect(body.result.warnings).toEqual([expect.stringContaining('HTTP 404')]);
    });
  });
});
