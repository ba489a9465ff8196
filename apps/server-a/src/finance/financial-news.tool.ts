import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { seeded } from './providers/seeded.js';

const HEADLINES = [
  'reports quarterly earnings ahead of estimates',
  'shares move as analysts revise price targets',
  'announces new product line at annual event',
  'faces regulatory questions over market practices',
  'expands buyback programme',
];

@Tool({
  name: 'get_financial_news',
  title: 'Financial news',
  description:
    'Latest financial news headlines, optionally about one symbol or matching a query, newest first.',
  inputSchema: {
    type: 'object',
    properties: {
      symbol: {
        type: 'string',
        pattern: '^\\s*[A-Za-z0-9.^=-]{1,15}\\s*$',
        description: 'Only news about this ticker',
      },
      query: { type: 'string', maxLength: 200, description: 'Only news matching these words' },
      limit: {
        type: 'integer',
        minimum: 1,
        maximum: 50,
        default: 10,
        description: 'How many articles (1-50)',
      },
    },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
})
export class FinancialNewsTool implements ToolHandler {
  execute(args: ToolArguments) {
    const subject = typeof args.symbol === 'string' ? args.symbol.trim().toUpperCase() : 'MARKETS';
    const limit = typeof args.limit === 'number' ? args.limit : 10;
    const now = Date.now();
    const articles = Array.from({ length: limit }, (_, i) => {
      const headline = HEADLINES[Math.floor(seeded(`${subject}:${i}`) * HEADLINES.length)];
      return {
        title: `${subject} ${headline}`,
        url: `https://news.example.invalid/${subject.toLowerCase()}/${i + 1}`,
        source: 'simulated',
        publishedAt: new Date(now - (i + 1) * 3_600_000).toISOString(),
        summary: `Simulated article ${i + 1} about ${subject}.`,
      };
    });
    return { articles, count: articles.length, source: 'simulated' };
  }
}
