import { entityTagMatches } from './entity-tags.js';

describe('entityTagMatches', () => {
  it.each([
    ['"3-abc"', '"3-abc"', true],
    ['W/"3-abc"', '"3-abc"', true],
    ['"3-abc"', 'W/"3-abc"', true],
    ['*', '"3-abc"', true],
    ['"1-x", "3-abc"', '"3-abc"', true],
    ['"2-abc"', '"3-abc"', false],
    ['"3-ab"', '"3-abc"', false],
    ['3-abc', '"3-abc"', false],
    ['', '"3-abc"', false],
  ])('%s against %s: %s', (header, etag, expected) => {
    expect(entityTagMatches(header, etag)).toBe(expected);
  });
});
