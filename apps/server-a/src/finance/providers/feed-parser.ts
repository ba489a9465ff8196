import { XMLParser } from 'fast-xml-parser';
import type { Article } from '../news.js';
import { htmlToText, MAX_SUMMARY_CHARS } from './html-text.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
});

type Node = Record<string, unknown>;

/** Thrown when a document is not RSS 2.0, RSS 1.0 (RDF) or Atom. */
export class FeedFormatError extends Error {}

/**
 * Articles of an RSS 2.0, RSS 1.0 (RDF) or Atom document. Items without a usable link or
 * date are skipped; the source is the item's `<source>`, else the feed's title, else its host.
 */
export function parseFeed(xml: string, feedUrl: string): Article[] {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (err) {
    throw new FeedFormatError(`not well-formed XML (${(err as Error).message.split('\n')[0]})`);
  }
  const host = hostOf(feedUrl);
  const rss = node(doc.rss);
  if (rss) {
    const channel = node(rss.channel) ?? {};
    return items(channel.item, text(channel.title) || host, feedUrl, rssItem);
  }
  const rdf = node(doc['rdf:RDF']);
  if (rdf) {
    const title = text(node(rdf.channel)?.title) || host;
    return items(rdf.item, title, feedUrl, rssItem);
  }
  const feed = node(doc.feed);
  if (feed) return items(feed.entry, text(feed.title) || host, feedUrl, atomEntry);
  throw new FeedFormatError('neither RSS nor Atom');
}

type ItemReader = (item: Node, feedTitle: string, feedUrl: string) => Article | undefined;

function items(list: unknown, feedTitle: string, feedUrl: string, read: ItemReader): Article[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((i) => (node(i) ? read(i as Node, feedTitle, feedUrl) : undefined))
    .filter((a): a is Article => a !== undefined);
}

const rssItem: ItemReader = (item, feedTitle, feedUrl) => {
  const links = Array.isArray(item.link) ? item.link : [];
  const guid = node(item.guid);
  const permalink = guid && guid['@_isPermaLink'] !== 'false' ? text(guid) : text(item.guid);
  const url = absolute(text(links[0]) || permalink, feedUrl);
  return article(
    item.title,
    url,
    item.description ?? item['content:encoded'],
    item.pubDate ?? item['dc:date'],
    text(item.source) || text(item['dc:publisher']) || feedTitle,
  );
};

const atomEntry: ItemReader = (entry, feedTitle, feedUrl) => {
  const links = (Array.isArray(entry.link) ? entry.link : []).map((l) => node(l) ?? {});
  const link = links.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate') ?? links[0];
  const url = absolute(typeof link?.['@_href'] === 'string' ? link['@_href'] : '', feedUrl);
  const source = node(entry.source);
  return article(
    entry.title,
    url,
    entry.summary ?? entry.content,
    entry.published ?? entry.updated,
    text(source?.title) || feedTitle,
  );
};

function article(
  title: unknown,
  url: string | undefined,
  summary: unknown,
  date: unknown,
  source: string,
): Article | undefined {
  const published = new Date(text(date));
  const plainTitle = htmlToText(text(title));
  if (!url || Number.isNaN(published.getTime()) || !plainTitle) return undefined;
  return {
    title: plainTitle,
    url,
    source: htmlToText(source),
    publishedAt: published.toISOString(),
    summary: htmlToText(text(summary), MAX_SUMMARY_CHARS),
  };
}

function node(v: unknown): Node | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : undefined;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  const n = node(v);
  return n && typeof n['#text'] === 'string' ? n['#text'].trim() : '';
}

/** Only http(s) links are kept: a feed must not smuggle `javascript:` URLs to a client. */
function absolute(href: string, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const u = new URL(href, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
