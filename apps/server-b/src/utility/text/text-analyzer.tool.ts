import { Inject } from '@nestjs/common';
import { InvalidArgumentsError } from '@app/core';
import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { type UtilityConfig, utilityConfig } from '../../config/utility.config.js';
import {
  countGraphemes,
  detectLanguage,
  keywords,
  readingTimeSeconds,
  segmentSentences,
  segmentWords,
  sentiment,
} from './text-analysis.js';

const SENTIMENT_SCHEMA = {
  type: 'object',
  properties: {
    score: { type: ['number', 'null'] },
    comparative: { type: ['number', 'null'] },
    label: { type: 'string', enum: ['positive', 'negative', 'neutral', 'unsupported'] },
    positive: { type: 'array', items: { type: 'string' } },
    negative: { type: 'array', items: { type: 'string' } },
    note: { type: 'string' },
  },
  required: ['score', 'comparative', 'label'],
};

@Tool({
  name: 'text_analyzer',
  title: 'Text analyzer',
  description:
    'Counts characters, words and sentences in any language (Thai, Japanese and Chinese included), identifies the language, finds keywords and scores English sentiment.',
  inputSchema: {
    type: 'object',
    properties: {
      operation: {
        type: 'string',
        enum: ['analyze', 'sentiment', 'keywords', 'statistics', 'execute'],
        default: 'analyze',
        description:
          '`analyze` (everything, the default; `execute` is the same), `sentiment`, `keywords` or `statistics`',
      },
      text: {
        type: 'string',
        minLength: 1,
        description: 'The text to analyse (at most TEXT_MAX_CHARS characters)',
      },
    },
    required: ['text'],
    additionalProperties: false,
    examples: [{ text: 'The new release is fast and the docs are great.' }],
  },
  outputSchema: {
    type: 'object',
    properties: {
      characters: { type: 'integer', description: 'User-perceived characters (grapheme clusters)' },
      charactersExcludingSpaces: { type: 'integer' },
      words: { type: 'integer' },
      uniqueWords: { type: 'integer' },
      sentences: { type: 'integer' },
      paragraphs: { type: 'integer' },
      averageWordsPerSentence: { type: 'number' },
      language: { type: 'string', description: 'ISO 639-1 code, or und' },
      languageConfidence: { type: 'number', minimum: 0, maximum: 1 },
      sentiment: SENTIMENT_SCHEMA,
      keywords: {
        type: 'array',
        items: {
          type: 'object',
          properties: { word: { type: 'string' }, count: { type: 'integer' } },
          required: ['word', 'count'],
        },
      },
      readingTimeSeconds: { type: 'integer' },
    },
    required: ['language', 'languageConfidence'],
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
})
export class TextAnalyzerTool implements ToolHandler {
  private readonly maxChars: number;

  constructor(@Inject(utilityConfig.KEY) config: Pick<UtilityConfig, 'textMaxChars'>) {
    this.maxChars = config.textMaxChars;
  }

  execute(args: ToolArguments) {
    const text = typeof args.text === 'string' ? args.text.normalize('NFC') : '';
    if (!/[\p{L}\p{N}\p{S}]/u.test(text)) {
      throw new InvalidArgumentsError('arguments.text is empty: give some text to analyse', [
        { field: 'arguments.text', message: 'empty or only spaces and punctuation' },
      ]);
    }
    // Grapheme clusters are never more than UTF-16 units: count them only when it matters.
    if (text.length > this.maxChars && countGraphemes(text) > this.maxChars) {
      throw new InvalidArgumentsError(
        `arguments.text is longer than ${this.maxChars} characters (TEXT_MAX_CHARS)`,
        [{ field: 'arguments.text', message: `at most ${this.maxChars} characters` }],
      );
    }
    const guess = detectLanguage(text);
    const language = { language: guess.code, languageConfidence: guess.confidence };
    const operation = args.operation ?? 'analyze';
    if (operation === 'sentiment') return { ...language, sentiment: sentiment(text, guess) };
    const words = segmentWords(text, guess.code);
    if (operation === 'keywords') return { ...language, keywords: keywords(words, guess.code) };
    const statistics = this.statistics(text, words, guess.code);
    if (operation === 'statistics') return { ...statistics, ...language };
    return {
      ...statistics,
      ...language,
      sentiment: sentiment(text, guess),
      keywords: keywords(words, guess.code),
    };
  }

  private statistics(text: string, words: string[], language: string) {
    const sentences = segmentSentences(text, language);
    const lower = new Set(words.map((w) => w.toLocaleLowerCase()));
    return {
      characters: countGraphemes(text),
      charactersExcludingSpaces: countGraphemes(text.replace(/\s+/gu, '')),
      words: words.length,
      uniqueWords: lower.size,
      sentences: sentences.length,
      paragraphs: text.split(/\n\s*\n/u).filter((p) => /[\p{L}\p{N}]/u.test(p)).length,
      averageWordsPerSentence:
        sentences.length === 0 ? 0 : Math.round((words.length / sentences.length) * 100) / 100,
      readingTimeSeconds: readingTimeSeconds(words.length),
    };
  }
}
