import { InvalidArgumentsError } from '@app/core';
import type { HttpParameterMapping } from '../tool.types.js';
import { mapRequest } from './http-request.js';

const BASE = 'http://127.0.0.1:8080/v2/';

function param(
  name: string,
  location: HttpParameterMapping['in'],
  style: HttpParameterMapping['style'],
  explode: boolean,
  extra: Partial<HttpParameterMapping> = {},
): HttpParameterMapping {
  return { name, in: location, style, explode, ...extra };
}

/** The URL an operation with one parameter sends for `value`. */
function urlFor(p: HttpParameterMapping, value: unknown, path = '/items/{id}'): string {
  return mapRequest(BASE, { path, parameters: [p] }, { [p.name]: value }).url.toString();
}

describe('mapRequest (OpenAPI 3 style values)', () => {
  const color = ['blue', 'black', 'brown'];
  const rgb = { R: 100, G: 200, B: 150 };

  it.each([
    ['simple', false, 5, '/items/5'],
    ['simple', false, color, '/items/blue,black,brown'],
    ['simple', false, rgb, '/items/R,100,G,200,B,150'],
    ['simple', true, rgb, '/items/R=100,G=200,B=150'],
    ['label', false, 5, '/items/.5'],
    ['label', false, color, '/items/.blue,black,brown'],
    ['label', true, color, '/items/.blue.black.brown'],
    ['label', true, rgb, '/items/.R=100.G=200.B=150'],
    ['matrix', false, 5, '/items/;id=5'],
    ['matrix', false, color, '/items/;id=blue,black,brown'],
    ['matrix', true, color, '/items/;id=blue;id=black;id=brown'],
    ['matrix', true, rgb, '/items/;R=100;G=200;B=150'],
  ] as const)('path %s explode=%s %j → %s', (style, explode, value, path) => {
    expect(urlFor(param('id', 'path', style, explode), value)).toBe(
      `http://127.0.0.1:8080/v2${path}`,
    );
  });

  it('percent-encodes path values, so a slash stays inside its segment', () => {
    expect(urlFor(param('id', 'path', 'simple', false), 'a/b c?')).toBe(
      'http://127.0.0.1:8080/v2/items/a%2Fb%20c%3F',
    );
  });

  it.each([
    ['form', true, 'x y', 'color=x%20y'],
    ['form', true, color, 'color=blue&color=black&color=brown'],
    ['form', false, color, 'color=blue,black,brown'],
    ['form', true, rgb, 'R=100&G=200&B=150'],
    ['form', false, rgb, 'color=R,100,G,200,B,150'],
    ['spaceDelimited', false, color, 'color=blue%20black%20brown'],
    ['pipeDelimited', false, color, 'color=blue|black|brown'],
    ['deepObject', true, rgb, 'color[R]=100&color[G]=200&color[B]=150'],
  ] as const)('query %s explode=%s %j → %s', (style, explode, value, query) => {
    expect(urlFor(param('color', 'query', style, explode), value, '/items')).toBe(
      `http://127.0.0.1:8080/v2/items?${query}`,
    );
  });

  it('encodes reserved characters in query values unless the parameter allows them', () => {
    const value = 'a/b?c=d&e';
    expect(urlFor(param('q', 'query', 'form', true), value, '/s')).toBe(
      'http://127.0.0.1:8080/v2/s?q=a%2Fb%3Fc%3Dd%26e',
    );
    expect(urlFor(param('q', 'query', 'form', true, { allowReserved: true }), value, '/s')).toBe(
      'http://127.0.0.1:8080/v2/s?q=a/b?c=d&e',
    );
  });

  it('leaves out parameters that were not given', () => {
    const mapped = mapRequest(
      BASE,
      {
        path: '/s',
        parameters: [param('a', 'query', 'form', true), param('b', 'query', 'form', true)],
      },
      { b: false },
    );
    expect(mapped.url.search).toBe('?b=false');
  });

  it('sends header parameters as simple values and refuses control characters in them', () => {
    const p = param('X-Ids', 'header', 'simple', false);
    expect(mapRequest(BASE, { path: '/s', parameters: [p] }, { 'X-Ids': [1, 2] }).headers).toEqual({
      'X-Ids': '1,2',
    });
    expect(() =>
      mapRequest(BASE, { path: '/s', parameters: [p] }, { 'X-Ids': 'a\r\nInjected: yes' }),
    ).toThrow(InvalidArgumentsError);
  });

  it('builds a flattened JSON body from the arguments it names, and none when none is given', () => {
    const mapping = { path: '/pet', parameters: [], body: { properties: ['name', 'tags'] } };
    expect(mapRequest(BASE, mapping, { name: 'Rex', other: 1 }).body).toEqual({ name: 'Rex' });
    expect(mapRequest(BASE, mapping, {}).body).toBeUndefined();
  });

  it('sends a nested body argument as it is', () => {
    const mapping = { path: '/pets', parameters: [], body: { argument: 'body' } };
    expect(mapRequest(BASE, mapping, { body: [{ name: 'a' }] }).body).toEqual([{ name: 'a' }]);
  });
});
