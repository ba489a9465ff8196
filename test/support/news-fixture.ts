import { readFileSync } from 'node:fs';

const dir = new URL('../fixtures/finance/', import.meta.url);

/** Feeds recorded in the shapes the real services publish (RSS 2.0 and Atom). */
export const feeds = {
  yahooAapl: readFileSync(new URL('yahoo-headline-aapl.rss.xml', dir), 'utf8'),
  cnbc: readFileSync(new URL('cnbc-top-news.rss.xml', dir), 'utf8'),
  atom: readFileSync(new URL('markets.atom.xml', dir), 'utf8'),
};
