/** One news article as every news provider returns it. */
export interface Article {
  title: string;
  url: string;
  /** Who published it, e.g. `Yahoo Finance` or `CNBC` (`simulated` offline). */
  source: string;
  /** ISO 8601. */
  publishedAt: string;
  summary: string;
}

export interface NewsQuery {
  /** A normalised ticker: only articles about it. */
  symbol?: string;
  /** Words that must all appear in the title or summary. */
  query?: string;
  limit: number;
}

/** What a provider found: articles (any order, possibly repeated) and what went wrong on the way. */
export interface NewsFound {
  articles: Article[];
  warnings: string[];
}

/** Injection token of the configured {@link NewsProvider}. */
export const NEWS_PROVIDER = Symbol('NEWS_PROVIDER');

/** A source of news articles (NEWS_PROVIDER picks one). */
export interface NewsProvider {
  readonly id: string;
  readonly label: string;
  /** Articles about the symbol (or general market news without one); filtering is done by the caller. */
  find(query: NewsQuery): Promise<NewsFound>;
}

export const ARTICLE_SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    url: { type: 'string' },
    source: { type: 'string' },
    publishedAt: { type: 'string', format: 'date-time' },
    summary: { type: 'string' },
  },
  required: ['title', 'url', 'source', 'publishedAt', 'summary'],
  additionalProperties: false,
} as const;

/**
 * The articles to show: matching the query's words (and the symbol, for articles that do
 * not come from a per-symbol feed), one per URL, newest first, at most `limit`.
 */
export function selectArticles(
  articles: readonly Article[],
  query: NewsQuery,
  mentions: (a: Article) => boolean = () => true,
): Article[] {
  const words = (query.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const seen = new Set<string>();
  return articles
    .filter(mentions)
    .filter((a) => {
      const text = `${a.title} ${a.summary}`.toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0))
    .filter((a) => {
      const key = urlKey(a.url);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, query.limit);
}

/** One URL per article: the fragment and tracking parameters do not make a different article. */
export function urlKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    for (const name of [...u.searchParams.keys()]) {
      if (/^(utm_|guccounter|ncid|\.tsrc)/i.test(name)) u.searchParams.delete(name);
    }
    return u.toString();
  } catch {
    return url;
  }
}
