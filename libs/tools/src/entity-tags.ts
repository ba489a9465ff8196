/**
 * True when an `If-Match` / `If-None-Match` header names `etag`: `*`, one tag or a
 * comma-separated list, compared weakly (RFC 9110 §8.8.3.2: `W/` prefixes ignored).
 */
export function entityTagMatches(header: string, etag: string): boolean {
  const wanted = opaque(etag);
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || opaque(tag) === wanted);
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
