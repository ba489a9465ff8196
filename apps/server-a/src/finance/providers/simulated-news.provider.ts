import type { Article, NewsFound, NewsProvider, NewsQuery } from '../news.js';
import { seeded } from './seeded.js';

const HEADLINES = [
  'reports quarterly earnings ahead of estimates',
  'shares move as analysts revise price targets',
  'announces new product line at annual event',
  'faces regulatory questions over market practices',
  'expands share buyback programme',
  'names new chief financial officer',
  'raises full-year revenue guidance',
  'wins multi-year supply contract',
];

/** How many articles a simulated day holds for one subject. */
const PER_DAY = 50;

/**
 * Offline news: the same articles for one symbol all day (UTC), all published before that
 * day began, every one labelled `simulated`.
 */
export class SimulatedNewsProvider implements NewsProvider {
  readonly id = 'simulated';
  readonly label = 'the simulated newsroom';

  constructor(private readonly now: () => Date = () => new Date()) {}

  find(query: NewsQuery): Promise<NewsFound> {
    return Promise.resolve({ articles: simulatedArticles(query.symbol, this.now()), warnings: [] });
  }
}

/** The simulated articles about `symbol` (or the markets) on the UTC day of `at`. */
export function simulatedArticles(symbol: string | undefined, at: Date): Article[] {
  const subject = symbol ?? 'Markets';
  const day = at.toISOString().slice(0, 10);
  const dayStart = Date.parse(`${day}T00:00:00.000Z`);
  return Array.from({ length: PER_DAY }, (_, i) => {
    const headline = HEADLINES[Math.floor(seeded(`${subject}:${day}:${i}`) * HEADLINES.length)];
    const minutesEarlier = (i + 1) * 29 + Math.floor(seeded(`t:${subject}:${day}:${i}`) * 20);
    return {
      title: `${subject} ${headline}`,
      url: `https://news.example.invalid/simulated/${encodeURIComponent(subject.toLowerCase())}/${day}/${i + 1}`,
      source: 'simulated',
      publishedAt: new Date(dayStart - minutesEarlier * 60_000).toISOString(),
      summary: `Simulated article ${i + 1} of ${day} about ${subject}: ${headline}.`,
    };
  });
}
