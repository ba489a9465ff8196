import { feeds } from '../../../../../test/support/news-fixture.js';
import { FeedFormatError, parseFeed } from './feed-parser.js';

describe('parseFeed', () => {
  it('reads a Yahoo Finance RSS 2.0 feed into plain-text articles', () => {
    const articles = parseFeed(
      feeds.yahooAapl,
      'https://feeds.finance.yahoo.com/rss/2.0/headline?s=AAPL',
    );
    expect(articles).toEqual([
      {
        title: 'Apple (AAPL) services revenue hits a record & analysts cheer',
        url: 'https://finance.yahoo.com/news/apple-services-record-204500123.html?.tsrc=rss',
        source: 'Yahoo! Finance: AAPL News',
        publishedAt: '2024-11-22T20:45:00.000Z',
        summary: "Apple's services revenue hit a record, analysts said on Friday.",
      },
      {
        title: 'Apple shares rise with the Nasdaq',
        url: 'https://finance.yahoo.com/news/apple-shares-rise-nasdaq-161500456.html?.tsrc=rss',
        source: 'Yahoo! Finance: AAPL News',
        publishedAt: '2024-11-22T16:15:00.000Z',
        summary: 'Shares of Apple rose 0.6% as the Nasdaq gained.',
      },
      {
        title: 'Is AAPL stock a buy after its AI push?',
        url: 'https://finance.yahoo.com/news/iphone-maker-ai-push-093000789.html?.tsrc=rss',
        source: 'Yahoo! Finance: AAPL News',
        publishedAt: '2024-11-21T14:30:00.000Z',
        summary: 'Why the iPhone maker’s AI push matters for investors.',
      },
    ]);
  });

  it('names the channel as the source and decodes entities in a CNBC feed', () => {
    const articles = parseFeed(feeds.cnbc, 'https://www.cnbc.com/id/100003114/device/rss/rss.html');
    expect(articles).toHaveLength(4);
    expect(articles[0]).toMatchObject({
      title: 'Dow closes at a record as small caps rally; S&P 500 gains for the week',
      source: 'Top News & Analysis',
      publishedAt: '2024-11-22T21:16:46.000Z',
    });
  });

  it('reads Atom: HTML titles, relative links, published or updated dates', () => {
    const articles = parseFeed(feeds.atom, 'https://wire.example.com/markets.atom');
    expect(articles).toEqual([
      {
        title: 'Treasury yields fall as inflation cools',
        url: 'https://wire.example.com/2024/11/22/yields-fall',
        source: 'Example Markets Wire',
        publishedAt: '2024-11-22T18:00:00.000Z',
        summary: 'The 10-year yield fell to 4.41%.',
      },
      {
        title: 'Oil steadies after a volatile week',
        url: 'https://wire.example.com/2024/11/21/oil-steadies',
        source: 'Example Markets Wire',
        publishedAt: '2024-11-21T08:00:00.000Z',
        summary: 'Brent crude traded near $74.',
      },
    ]);
  });

  it('reads RSS 1.0 (RDF) with Dublin Core dates', () => {
    const rdf = `<?xml version="1.0"?>
      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://x.example/"><title>RDF Wire</title></channel>
        <item rdf:about="https://x.example/a"><title>One</title><link>https://x.example/a</link>
          <description>First</description><dc:date>2024-11-20T10:00:00Z</dc:date></item>
      </rdf:RDF>`;
    expect(parseFeed(rdf, 'https://x.example/feed')).toEqual([
      {
        title: 'One',
        url: 'https://x.example/a',
        source: 'RDF Wire',
        publishedAt: '2024-11-20T10:00:00.000Z',
        summary: 'First',
      },
    ]);
  });

  it.each([
    ['HTML', '<html><body>Service unavailable</body></html>'],
    ['broken XML', '<rss><channel><item><title>x</item></channel>'],
    ['JSON', '{"items":[]}'],
  ])('rejects %s as not a feed', (_label, body) => {
    expect(() => parseFeed(body, 'https://x.example/feed')).toThrow(FeedFormatError);
  });
});
