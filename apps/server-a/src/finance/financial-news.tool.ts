import { Inject } from '@nestjs/common';
import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import {
  ARTICLE_SCHEMA,
  type Article,
  NEWS_PROVIDER,
  type NewsProvider,
  selectArticles,
} from './news.js';
import { normalizeSymbol, SYMBOL_SCHEMA } from './symbol.js';

export interface NewsResult {
  articles: Article[];
  count: number;
  source: string;
  warnings: string[];
}

@Tool({
  name: 'get_financial_news',
  title: 'Financial news',
  description:
    'Latest financial news, newest first, optionally about one ticker and/or matching words: title, URL, publisher, publication time and a plain-text summary.',
  inputSchema: {
    type: 'object',
    properties: {
      symbol: { ...SYMBOL_SCHEMA, description: 'Only news about this ticker, e.g. AAPL' },
      query: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        description: 'Only articles whose title or summary contain all these words',
      },
      limit: {
        type: 'integer',
        minimum: 1,
        maximum: 50,
        default: 10,
        description: 'How many articles (1-50, default 10)',
      },
    },
    additionalProperties: false,
    examples: [{ symbol: 'AAPL', limit: 3 }],
  },
  outputSchema: {
    type: 'object',
    properties: {
      articles: { type: 'array', items: ARTICLE_SCHEMA },
      count: { type: 'integer' },
      source: { type: 'string', description: 'The news provider: rss or simulated' },
      warnings: {
        type: 'array',
        items: { type: 'string' },
        description: 'Feeds that failed while others answered',
      },
    },
    required: ['articles', 'count', 'source', 'warnings'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
  offline: { NEWS_PROVIDER: 'simulated' },
})
export class FinancialNewsTool implements ToolHandler {
  constructor(@Inject(NEWS_PROVIDER) private readonly news: NewsProvider) {}

  async execute(args: ToolArguments): Promise<NewsResult> {
    const query = {
      symbol: typeof args.symbol === 'string' ? normalizeSymbol(args.symbol) : undefined,
      query: typeof args.query === 'string' ? args.query.trim() || undefined : undefined,
      limit: typeof args.limit === 'number' ? args.limit : 10,
    };
    const found = await this.news.find(query);
    const articles = selectArticles(found.articles, query);
    return { articles, count: articles.length, source: this.news.id, warnings: found.warnings };
  }
}
