import { PlatformError, UpstreamError, UpstreamTimeoutError } from '@app/core';
import { mapBounded } from '../bounded.js';
import type { Article, NewsFound, NewsProvider, NewsQuery } from '../news.js';
import { TtlCache } from '../ttl-cache.js';
import { FeedFormatError, parseFeed } from './feed-parser.js';
import { badStatus, fetchUpstream } from './upstream-http.js';

const FEED_CONCURRENCY = 6;
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1';

/** An article and whether its feed is about the asked symbol (a per-symbol feed). */
interface FeedArticles {
  articles: Article[];
  perSymbol: boolean;
}

/**
 * News from public RSS/Atom feeds (NEWS_FEEDS). A feed URL containing `{symbol}` is a
 * per-symbol feed, read only when a symbol is asked for; the others are general feeds whose
 * articles are kept for a symbol only when they mention it.
 */
export class RssNewsProvider implements NewsProvider {
  readonly id = 'rss';
  readonly label = 'RSS news';
  private readonly cache: TtlCache<Article[]>;

  constructor(
    private readonly feeds: readonly string[],
    private readonly timeoutMs: number,
    cacheTtlMs: number,
  ) {
    this.cache = new TtlCache(cacheTtlMs);
  }

  async find(query: NewsQuery): Promise<NewsFound> {
    const symbol = query.symbol;
    const urls = this.feeds
      .filter((f) => symbol !== undefined || !f.includes('{symbol}'))
      .map((f) => ({
        url: symbol ? f.replaceAll('{symbol}', encodeURIComponent(symbol)) : f,
        perSymbol: f.includes('{symbol}'),
      }));
    const settled = await mapBounded(urls, FEED_CONCURRENCY, ({ url, perSymbol }) =>
      this.cache
        .get(url, () => this.read(url))
        .then(
          (articles): PromiseSettledResult<FeedArticles> => ({
            status: 'fulfilled',
            value: { articles, perSymbol },
          }),
          (reason: unknown): PromiseSettledResult<FeedArticles> => ({ status: 'rejected', reason }),
        ),
    );
    const failures = settled
      .map((r, i) => (r.status === 'rejected' ? { url: urls[i].url, reason: r.reason } : undefined))
      .filter((f) => f !== undefined);
    if (failures.length === settled.length && failures.length > 0) throw combined(failures);
    const mention = symbol ? mentionOf(symbol) : () => true;
    const articles = settled.flatMap((r) =>
      r.status === 'fulfilled'
        ? r.value.perSymbol
          ? r.value.articles
          : r.value.articles.filter(mention)
        : [],
    );
    return {
      articles,
      warnings: failures.map((f) => `${hostOf(f.url)}: ${(f.reason as Error).message}`),
    };
  }

  private async read(url: string): Promise<Article[]> {
    const provider = `${this.label} (${hostOf(url)})`;
    const res = await fetchUpstream({ provider, url, timeoutMs: this.timeoutMs, accept: ACCEPT });
    if (res.status !== 200) throw badStatus(provider, res.status);
    try {
      return parseFeed(res.body, url);
    } catch (err) {
      if (err instanceof FeedFormatError) {
        throw new UpstreamError(`${provider} sent a malformed feed: ${err.message}`, { provider });
      }
      throw err;
    }
  }
}

/** Every feed failed: a 504 when they all timed out, else a 502, naming each feed. */
function combined(failures: Array<{ url: string; reason: unknown }>): PlatformError {
  const message = failures.map((f) => (f.reason as Error).message).join('; ');
  const feeds = failures.map((f) => hostOf(f.url));
  if (failures.every((f) => f.reason instanceof UpstreamTimeoutError)) {
    return new UpstreamTimeoutError(message, { provider: 'rss', feeds });
  }
  if (failures.length === 1 && failures[0].reason instanceof PlatformError) {
    return failures[0].reason;
  }
  return new UpstreamError(message, { provider: 'rss', feeds });
}

/** Whether an article from a general feed is about `symbol`: the ticker as a word, in capitals. */
function mentionOf(symbol: string): (a: Article) => boolean {
  const escaped = symbol.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = new RegExp(`(^|[^A-Za-z0-9])\\$?${escaped}($|[^A-Za-z0-9])`);
  return (a) => word.test(a.title) || word.test(a.summary);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
