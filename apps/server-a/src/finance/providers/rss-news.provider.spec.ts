import { UpstreamError, UpstreamTimeoutError } from '@app/core';
import {
  closedPort,
  type FixtureServer,
  send,
  startFixtureServer,
} from '../../../../../test/support/fixture-server.js';
import { feeds } from '../../../../../test/support/news-fixture.js';
import { selectArticles } from '../news.js';
import { RssNewsProvider } from './rss-news.provider.js';

describe('RssNewsProvider (against feed stand-ins on 127.0.0.1)', () => {
  let server: FixtureServer;
  const rss = 'application/rss+xml; charset=utf-8';

  beforeAll(async () => {
    server = await startFixtureServer((_req, res, url) => {
      if (url.pathname === '/headline' && url.searchParams.get('s') === 'AAPL') {
        return send(res, 200, rss, feeds.yahooAapl);
      }
      if (url.pathname === '/headline')
        return send(
          res,
          200,
          rss,
          '<rss version="2.0"><channel><title>Empty</title></channel></rss>',
        );
      if (url.pathname === '/cnbc') return send(res, 200, rss, feeds.cnbc);
      if (url.pathname === '/atom') return send(res, 200, 'application/atom+xml', feeds.atom);
      if (url.pathname === '/broken') return send(res, 500, 'text/html', '<h1>500</h1>');
      if (url.pathname === '/garbage') return send(res, 200, 'text/html', '<html>hello</html>');
      if (url.pathname === '/slow') return; // never answers
      send(res, 404, 'text/plain', 'not found');
    });
  });
  afterAll(() => server.close());

  const provider = (paths: string[], timeoutMs = 2000) =>
    new RssNewsProvider(
      paths.map((p) => `${server.url}${p}`),
      timeoutMs,
      0,
    );

  it('reads the general feeds when no symbol is asked for, skipping per-symbol ones', async () => {
    const found = await provider(['/headline?s={symbol}', '/cnbc', '/atom']).find({ limit: 10 });
    expect(found.warnings).toEqual([]);
    expect(found.articles).toHaveLength(6);
    expect(server.requests).not.toContain('/headline?s=%7Bsymbol%7D');
  });

  it('for a symbol, keeps its own feed and the general articles that mention it', async () => {
    const query = { symbol: 'AAPL', limit: 10 };
    const found = await provider(['/headline?s={symbol}', '/cnbc']).find(query);
    const titles = selectArticles(found.articles, query).map((a) => a.title);
    expect(titles).toEqual([
      'Apple (AAPL) services revenue hits a record & analysts cheer',
      'Apple is building a more conversational Siri, sources say',
      'Apple shares rise with the Nasdaq',
      'Is AAPL stock a buy after its AI push?',
    ]);
  });

  it('answers with the feeds that worked and names the ones that failed', async () => {
    const found = await provider(['/cnbc', '/broken', '/garbage']).find({ limit: 10 });
    expect(found.articles).toHaveLength(4);
    expect(found.warnings).toEqual([
      expect.stringContaining('HTTP 500'),
      expect.stringContaining('malformed feed'),
    ]);
  });

  it('fails with a 502 naming the feed when every feed fails', async () => {
    const err = (await provider(['/broken'])
      .find({ limit: 5 })
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toBe(`RSS news (${new URL(server.url).host}) answered HTTP 500`);
  });

  it('fails with a 504 within the timeout when every feed is silent', async () => {
    const started = Date.now();
    const err = (await provider(['/slow'], 300)
      .find({ limit: 5 })
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(err.message).toContain('did not answer within 300 ms');
    // Load on a shared CI machine can delay timers; a hang would take far longer.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails fast with a 502 when nothing listens', async () => {
    const down = new RssNewsProvider([`http://127.0.0.1:${await closedPort()}/feed`], 30_000, 0);
    const started = Date.now();
    await expect(down.find({ limit: 5 })).rejects.toThrow(/unreachable \(ECONNREFUSED\)/);
    // Refused at once: far sooner than the 30 s timeout, even on a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reuses a feed within the cache time', async () => {
    const cached = new RssNewsProvider([`${server.url}/atom?cache`], 2000, 60_000);
    const before = server.requests.length;
    await cached.find({ limit: 5 });
    await cached.find({ limit: 5 });
    expect(server.requests.length - before).toBe(1);
  });
});
