import { decodeHTML } from 'entities';

/** Longest summary kept; feeds sometimes put a whole article in the description. */
export const MAX_SUMMARY_CHARS = 1000;

/** Plain text from a feed's HTML fragment: tags and scripts removed, entities decoded, spaces collapsed. */
export function htmlToText(html: string, maxChars = Number.POSITIVE_INFINITY): string {
  const text = decodeHTML(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<\/?[A-Za-z][^>]*>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > maxChars / 2 ? cut.slice(0, space) : cut}…`;
}
