import { InvalidArgumentsError, isJsonObject } from '@app/core';
import type { HttpParameterMapping, HttpRequestMapping, ToolArguments } from '../tool.types.js';

/** What an imported operation sends: the URL with its path and query filled in, headers and body. */
export interface MappedRequest {
  url: URL;
  headers: Record<string, string>;
  /** The JSON body, or undefined for none. */
  body: unknown;
}

/** RFC 3986 reserved characters: left as they are in a query value whose parameter allows it. */
const RESERVED = /%(3A|2F|3F|23|5B|5D|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi;
/** What Node refuses in a header value (it would throw, or split the request). */
const BAD_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Builds the request of an imported OpenAPI operation from a call's (already validated)
 * arguments: path parameters encoded into the path template, query parameters serialised
 * as their `style` and `explode` say (OpenAPI 3, "Style Values"), header parameters as
 * simple-style values, and the JSON body.
 */
export function mapRequest(
  baseUrl: string,
  mapping: HttpRequestMapping,
  args: ToolArguments,
): MappedRequest {
  let path = mapping.path;
  const query: string[] = [];
  const headers: Record<string, string> = {};
  for (const p of mapping.parameters) {
    const value = args[p.name];
    if (value === undefined) continue;
    if (p.in === 'path') {
      path = path.split(`{${p.name}}`).join(pathValue(p, value));
    } else if (p.in === 'query') {
      query.push(...queryPairs(p, value));
    } else {
      const text = join(p, value, ',', false, (s) => s);
      if (BAD_HEADER_VALUE.test(text)) {
        throw new InvalidArgumentsError(`arguments.${p.name} cannot be sent in a header`, [
          { field: `arguments.${p.name}`, message: 'control characters are not allowed' },
        ]);
      }
      headers[p.name] = text;
    }
  }
  const base = baseUrl.replace(/\/+$/, '');
  const search = query.length > 0 ? `?${query.join('&')}` : '';
  return { url: new URL(`${base}${path}${search}`), headers, body: bodyOf(mapping, args) };
}

function bodyOf(mapping: HttpRequestMapping, args: ToolArguments): unknown {
  const body = mapping.body;
  if (!body) return undefined;
  if ('argument' in body) return args[body.argument];
  const present = body.properties.filter((name) => args[name] !== undefined);
  if (present.length === 0) return undefined;
  return Object.fromEntries(present.map((name) => [name, args[name]]));
}

function encode(value: string): string {
  return encodeURIComponent(value);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The serialised values of an array or object, or of a single value; `enc` encodes each piece. */
function join(
  p: Pick<HttpParameterMapping, 'explode'>,
  value: unknown,
  separator: string,
  withNames: boolean,
  enc: (s: string) => string,
  name = '',
): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => enc(text(v)));
    return p.explode && withNames
      ? items.map((v) => `${name}=${v}`).join(separator)
      : items.join(p.explode ? separator : ',');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return p.explode
      ? entries.map(([k, v]) => `${enc(k)}=${enc(text(v))}`).join(separator)
      : entries.flatMap(([k, v]) => [enc(k), enc(text(v))]).join(',');
  }
  return enc(text(value));
}

function pathValue(p: HttpParameterMapping, value: unknown): string {
  switch (p.style) {
    case 'label':
      return `.${join(p, value, '.', false, encode)}`;
    case 'matrix': {
      const name = encode(p.name);
      if (p.explode && value !== null && typeof value === 'object') {
        return `;${join(p, value, ';', true, encode, name)}`;
      }
      return `;${name}=${join(p, value, ',', false, encode)}`;
    }
    default:
      return join(p, value, ',', false, encode);
  }
}

function queryPairs(p: HttpParameterMapping, value: unknown): string[] {
  const enc = p.allowReserved
    ? (s: string) => encode(s).replace(RESERVED, (m) => decodeURIComponent(m))
    : encode;
  const name = encode(p.name);
  if (p.style === 'deepObject' && isJsonObject(value)) {
    return Object.entries(value).map(([k, v]) => `${name}[${encode(k)}]=${enc(text(v))}`);
  }
  if (Array.isArray(value)) {
    if (p.explode) return value.map((v) => `${name}=${enc(text(v))}`);
    const separator =
      p.style === 'spaceDelimited' ? '%20' : p.style === 'pipeDelimited' ? '|' : ',';
    return [`${name}=${value.map((v) => enc(text(v))).join(separator)}`];
  }
  if (isJsonObject(value)) {
    const entries = Object.entries(value);
    if (p.explode) return entries.map(([k, v]) => `${encode(k)}=${enc(text(v))}`);
    return [`${name}=${entries.flatMap(([k, v]) => [encode(k), enc(text(v))]).join(',')}`];
  }
  return [`${name}=${enc(text(value))}`];
}
