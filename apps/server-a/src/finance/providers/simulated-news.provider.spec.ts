import { simulatedArticles } from './simulated-news.provider.js';

describe('simulatedArticles', () => {
  const morning = new Date('2026-03-02T08:00:00Z');

  it('repeats all day for one symbol and changes the next day', () => {
    expect(simulatedArticles('AAPL', morning)).toEqual(
      simulatedArticles('AAPL', new Date('2026-03-02T23:59:00Z')),
    );
    expect(simulatedArticles('AAPL', new Date('2026-03-03T08:00:00Z'))[0].url).not.toBe(
      simulatedArticles('AAPL', morning)[0].url,
    );
  });

  it('publishes only before the day began, newest first, labelled simulated', () => {
    const articles = simulatedArticles(undefined, morning);
    const times = articles.map((a) => a.publishedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(times.every((t) => t < '2026-03-02T00:00:00.000Z')).toBe(true);
    expect(articles.every((a) => a.source === 'simulated' && a.title.startsWith('Markets '))).toBe(
      true,
    );
  });
});
