import { Ajv2020 } from 'ajv/dist/2020.js';
import { InvalidArgumentsError } from '@app/core';
import { toolDefinitionOf } from '@app/tools';
import { TextAnalyzerTool } from './text-analyzer.tool.js';

type Analysis = Record<string, unknown> & {
  sentiment: { score: number | null; label: string };
  keywords: Array<{ word: string; count: number }>;
};

function analyzer(textMaxChars = 100_000): TextAnalyzerTool {
  return new TextAnalyzerTool({ textMaxChars });
}

describe('text_analyzer', () => {
  const tool = analyzer();
  const validateOutput = new Ajv2020({ strict: false }).compile(
    toolDefinitionOf(TextAnalyzerTool)!.outputSchema!,
  );
  const analyze = (text: string, operation?: string) =>
    tool.execute({ text, ...(operation ? { operation } : {}) }) as Analysis;

  describe('English', () => {
    const text =
      'I absolutely love this wonderful product! The battery lasts for days. ' +
      'Shipping was slow, but the product itself is excellent. I would buy this product again.';

    it('counts characters, words and sentences and identifies English', () => {
      const r = analyze(text);
      expect(r).toMatchObject({
        characters: text.length,
        words: 26,
        sentences: 4,
        paragraphs: 1,
        language: 'en',
      });
      expect(r.languageConfidence).toBeGreaterThan(0.5);
      expect(r.readingTimeSeconds).toBe(Math.ceil((26 / 238) * 60));
      expect(validateOutput(r)).toBe(true);
    });

    it('scores sentiment with the AFINN lexicon', () => {
      const r = analyze(text, 'sentiment');
      expect(r.sentiment).toMatchObject({ label: 'positive' });
      expect(r.sentiment.score).toBeGreaterThan(5);
      expect(analyze('This is a terrible, awful experience. I hate it.').sentiment).toMatchObject({
        label: 'negative',
      });
      expect(analyze('The meeting is at ten in room four.').sentiment.label).toBe('neutral');
      expect(Object.keys(r).sort()).toEqual(['language', 'languageConfidence', 'sentiment']);
    });

    it('reads short Latin text, too short to identify, as English for sentiment', () => {
      expect(analyze('I love it').sentiment).toMatchObject({ score: 3, label: 'positive' });
    });

    it('finds keywords by frequency without stop words', () => {
      const r = analyze(text, 'keywords');
      expect(r.keywords[0]).toEqual({ word: 'product', count: 3 });
      const words = r.keywords.map((k) => k.word);
      expect(words).not.toContain('the');
      expect(words).not.toContain('i');
      expect(words).toContain('battery');
    });
  });

  describe('Thai (no spaces between words)', () => {
    const text = 'ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำ วันนี้อากาศดีมาก';

    it('segments words with the dictionary breaker and ends sentences at spaces', () => {
      const r = analyze(text);
      // ภาษา|ไทย|เป็น|ภาษา|ที่|ไม่มี|การ|เว้น|วรรค|ระหว่าง|คำ  วัน|นี้|อากาศ|ดี|มาก
      expect(r).toMatchObject({ words: 16, sentences: 2, language: 'th', languageConfidence: 1 });
      // 60 code points; 12 are vowel and tone marks that join the consonant before them.
      expect(r.characters).toBe(48);
      expect(r.keywords[0]).toEqual({ word: 'ภาษา', count: 2 });
      expect(r.keywords.map((k) => k.word)).not.toContain('ที่');
    });

    it('says sentiment is unsupported instead of guessing', () => {
      expect(analyze(text, 'sentiment').sentiment).toMatchObject({
        score: null,
        label: 'unsupported',
      });
    });

    it('counts a consonant with its tone mark and vowel as one character', () => {
      expect(analyze('น้ำ', 'statistics').characters).toBe(1);
    });
  });

  describe('Japanese and Chinese', () => {
    it('counts Japanese words and sentences', () => {
      const r = analyze('今日はとても良い天気ですね。散歩に行きましょう。');
      expect(r).toMatchObject({ language: 'ja', sentences: 2, characters: 24 });
      expect(r.words).toBeGreaterThanOrEqual(10);
      expect(r.keywords.map((k) => k.word)).toEqual(
        expect.arrayContaining(['今日', '天気', '散歩']),
      );
      expect(r.keywords.map((k) => k.word)).not.toContain('ね');
    });

    it('identifies Chinese as zh', () => {
      const r = analyze('我们今天去公园散步吧。天气很好！');
      expect(r).toMatchObject({ language: 'zh', sentences: 2, characters: 16 });
    });
  });

  describe('emoji', () => {
    it('counts each emoji sequence (skin tones, families, variation selectors) as one character', () => {
      const r = analyze('Party 🎉🎉 👨‍👩‍👧‍👦 👋🏽 ❤️', 'statistics');
      expect(r.characters).toBe(14);
      expect(r.words).toBe(1);
    });

    it('analyses emoji-only text without failing', () => {
      const r = analyze('🎉🎉🎉');
      expect(r).toMatchObject({ characters: 3, words: 0, language: 'und' });
      expect(validateOutput(r)).toBe(true);
    });
  });

  describe('bad input', () => {
    it('refuses text with nothing in it', () => {
      expect(() => analyze('   \n ')).toThrow(/arguments\.text is empty/);
    });

    it('refuses text longer than TEXT_MAX_CHARS, counted in characters', () => {
      const small = analyzer(5);
      expect(() => small.execute({ text: 'abcdef' })).toThrow(InvalidArgumentsError);
      expect(() => small.execute({ text: 'abcdef' })).toThrow(/TEXT_MAX_CHARS/);
      // Five user-perceived characters, though many more UTF-16 units.
      expect(small.execute({ text: '👋🏽👋🏽👋🏽👋🏽👋🏽' })).toMatchObject({ characters: 5 });
    });
  });
});
