import { type Article, selectArticles, urlKey } from './news.js';

const article = (url: string, publishedAt: string, title = 'Title'): Article => ({
  title,
  url,
  source: 'Wire',
  publishedAt,
  summary: 'Summary',
});

describe('selectArticles', () => {
  const list = [
    article('https://a.example/1', '2024-11-20T10:00:00.000Z', 'Old news'),
    article('https://a.example/2', '2024-11-22T10:00:00.000Z', 'Fed holds rates'),
    article(
      'https://a.example/2?utm_source=rss#top',
      '2024-11-22T09:00:00.000Z',
      'Fed holds rates (copy)',
    ),
    article('https://a.example/3', '2024-11-21T10:00:00.000Z', 'Rates and the dollar'),
  ];

  it('sorts newest first and keeps one article per URL', () => {
    expect(selectArticles(list, { limit: 10 }).map((a) => a.title)).toEqual([
      'Fed holds rates',
      'Rates and the dollar',
      'Old news',
    ]);
  });

  it('keeps only articles containing every word of the query, any case', () => {
    expect(selectArticles(list, { query: 'RATES fed', limit: 10 }).map((a) => a.url)).toEqual([
      'https://a.example/2',
    ]);
  });

  it('stops at the limit', () => {
    expect(selectArticles(list, { limit: 1 })).toHaveLength(1);
  });
});

describe('urlKey', () => {
  it('ignores fragments and tracking parameters but not other parameters', () => {
    expect(urlKey('https://x.example/a?utm_medium=rss&id=3#c')).toBe('https://x.example/a?id=3');
    expect(urlKey('https://x.example/a?id=4')).not.toBe(urlKey('https://x.example/a?id=3'));
  });
});
