import { francAll } from 'franc';
import { iso6393To1 } from 'iso-639-3/iso6393-to-1.js';
import Sentiment from 'sentiment';
import stopword from 'stopword';

/** Silent reading speed of adults in words per minute (Brysbaert 2019, non-fiction). */
const WORDS_PER_MINUTE = 238;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

// Individual languages franc reports that ISO 639-1 only names as a macrolanguage.
const MACROLANGUAGE_TO_1: Record<string, string> = {
  cmn: 'zh',
  arb: 'ar',
  pes: 'fa',
  zlm: 'ms',
  swh: 'sw',
  uzn: 'uz',
  azj: 'az',
  khk: 'mn',
  npi: 'ne',
  ekk: 'et',
  lvs: 'lv',
  als: 'sq',
  ydd: 'yi',
  plt: 'mg',
  gaz: 'om',
  ory: 'or',
};

// The `stopword` package keys its lists by ISO 639-3 code, next to its functions.
const STOPWORD_LISTS = Object.entries(stopword as unknown as Record<string, unknown>).filter(
  (entry): entry is [string, string[]] => /^[a-z]{3}$/.test(entry[0]) && Array.isArray(entry[1]),
);

// Stop-word lists keyed by ISO 639-1 code.
const STOP_WORDS = new Map<string, Set<string>>();
for (const [key, list] of STOPWORD_LISTS) {
  const code = iso6393To1[key] ?? MACROLANGUAGE_TO_1[key === 'zho' ? 'cmn' : key];
  if (code) STOP_WORDS.set(code, new Set(list.map((w) => w.toLowerCase())));
}

// Identification is limited to languages we also have stop words for: franc's long tail of
// rare languages otherwise wins on short texts (English read as Scots).
const CANDIDATES = [
  ...STOPWORD_LISTS.map(([k]) => (k === 'zho' ? 'cmn' : k)),
  'arb',
  'pes',
  'zlm',
  'swh',
  'ekk',
  'lvs',
];

const sentimentAnalyzer = new Sentiment();

export interface LanguageGuess {
  /** ISO 639-1 code, or `und` when the text is too short or has no letters. */
  code: string;
  /** 0..1: how far the best language is ahead of the runner-up (1 when the script decides alone). */
  confidence: number;
}

export interface SentimentResult {
  score: number | null;
  comparative: number | null;
  label: 'positive' | 'negative' | 'neutral' | 'unsupported';
  positive?: string[];
  negative?: string[];
  note?: string;
}

export interface Keyword {
  word: string;
  count: number;
}

/** Identifies the language of `text` with franc (trigram model) and maps it to ISO 639-1. */
export function detectLanguage(text: string): LanguageGuess {
  const ranked = francAll(text, { only: CANDIDATES, minLength: 10 });
  const [best, runnerUp] = ranked;
  if (!best || best[0] === 'und') return { code: 'und', confidence: 0 };
  const code = iso6393To1[best[0]] ?? MACROLANGUAGE_TO_1[best[0]] ?? 'und';
  // franc scores are relative (best = 1); a gap of about 0.17 or more to the runner-up is decisive.
  const confidence = runnerUp ? Math.min(1, (1 - runnerUp[1]) * 6) : 1;
  return { code, confidence: Math.round(confidence * 100) / 100 };
}

/** Counts user-perceived characters (grapheme clusters: 👋🏽 and น้ำ's combining marks count once each). */
export function countGraphemes(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

/** Words by the locale's dictionary-aware word breaker (Thai, Japanese and Chinese have no spaces). */
export function segmentWords(text: string, language: string): string[] {
  const segmenter = new Intl.Segmenter(language === 'und' ? 'en' : language, {
    granularity: 'word',
  });
  const words: string[] = [];
  for (const s of segmenter.segment(text)) if (s.isWordLike) words.push(s.segment);
  return words;
}

const THAI_SPACE = /(?<=[\u0E00-\u0E7F])\s+(?=[\u0E00-\u0E7F])/u;

/** Sentences by the locale's sentence breaker; in Thai, which has no full stop, a space between Thai words also ends one. */
export function segmentSentences(text: string, language: string): string[] {
  const segmenter = new Intl.Segmenter(language === 'und' ? 'en' : language, {
    granularity: 'sentence',
  });
  const sentences: string[] = [];
  for (const s of segmenter.segment(text)) {
    const parts = THAI_SPACE.test(s.segment) ? s.segment.split(THAI_SPACE) : [s.segment];
    for (const part of parts) if (/[\p{L}\p{N}]/u.test(part)) sentences.push(part.trim());
  }
  return sentences;
}

/** The most frequent words that are not stop words (of the text's language and of English), most frequent first. */
export function keywords(words: string[], language: string, limit = 10): Keyword[] {
  const stop = STOP_WORDS.get(language);
  const english = STOP_WORDS.get('en');
  const counts = new Map<string, number>();
  for (const raw of words) {
    const word = raw.toLocaleLowerCase(language === 'und' ? 'en' : language);
    if (stop?.has(word) || english?.has(word)) continue;
    if (/^[\p{N}\p{P}]+$/u.test(word)) continue;
    // A single Latin letter is noise; a single Han character is usually a word.
    if (word.length === 1 && /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u.test(word))
      continue;
    // Japanese written in hiragana alone is mostly particles and verb endings, not topics.
    if (language === 'ja' && /^[\p{Script=Hiragana}ー]+$/u.test(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Map keeps first-seen order, and sort is stable: ties stay in order of appearance.
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([word, count]) => ({ word, count }));
}

/** AFINN lexicon sentiment for English; other languages are honestly `unsupported`. */
export function sentiment(text: string, language: LanguageGuess): SentimentResult {
  const latin =
    /\p{Script=Latin}/u.test(text) && !/[^\p{Script=Latin}\p{Script=Common}\p{M}]/u.test(text);
  // Short English is often misidentified; an unsure guess on Latin text is read as English.
  const english = language.code === 'en' || (latin && language.confidence < 0.5);
  if (!english) {
    return {
      score: null,
      comparative: null,
      label: 'unsupported',
      note: `No sentiment lexicon for language '${language.code}'; only English (AFINN-165) is supported`,
    };
  }
  const r = sentimentAnalyzer.analyze(text);
  return {
    score: r.score,
    comparative: Math.round(r.comparative * 10000) / 10000,
    label: r.score > 0 ? 'positive' : r.score < 0 ? 'negative' : 'neutral',
    positive: r.positive,
    negative: r.negative,
  };
}

/** Reading time at an adult's silent reading speed, in whole seconds. */
export function readingTimeSeconds(words: number): number {
  return Math.ceil((words / WORDS_PER_MINUTE) * 60);
}
