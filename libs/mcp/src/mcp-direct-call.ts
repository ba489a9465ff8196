import type { IncomingHttpHeaders } from 'node:http';
import type { ToolArguments } from '@app/tools';

/** The protocol revision whose stateless `tools/call` is answered without the SDK round trip. */
export const DIRECT_CALL_REVISION = '2026-07-28';

const ENVELOPE = 'io.modelcontextprotocol/';
const ENVELOPE_KEYS = new Set(['protocolVersion', 'clientInfo', 'clientCapabilities']);
const PARAMS_KEYS = new Set(['name', 'arguments', '_meta']);
const CLIENT_INFO_KEYS = new Set(['name', 'version', 'title']);

/** A `tools/call` request recognised as plain enough to answer directly. */
export interface DirectToolCall {
  id: string | number;
  name: string;
  arguments: ToolArguments;
}

/**
 * Recognises the hot request of a 2026-07-28 client: one stateless `tools/call`
 * whose headers agree with its body, with nothing that asks for more than a
 * single JSON answer (no progress token, no log level, no `Mcp-Param-*` headers,
 * no extra envelope fields). Anything else, valid or not, returns undefined and
 * is served by the SDK, which owns every validation rule and error answer.
 */
export function directToolCall(
  headers: IncomingHttpHeaders,
  body: unknown,
): DirectToolCall | undefined {
  if (
    headers['mcp-protocol-version'] !== DIRECT_CALL_REVISION ||
    headers['mcp-method'] !== 'tools/call' ||
    !headers.accept?.includes('application/json') ||
    !isPlainObject(body)
  ) {
    return undefined;
  }
  const { jsonrpc, method, id, params } = body;
  if (jsonrpc !== '2.0' || method !== 'tools/call' || !isRequestId(id)) return undefined;
  if (Object.keys(body).length !== 4 || !isPlainObject(params)) return undefined;
  if (!Object.keys(params).every((key) => PARAMS_KEYS.has(key))) return undefined;
  const { name, arguments: args = {}, _meta: meta } = params;
  if (typeof name !== 'string' || name === '' || headers['mcp-name'] !== name) return undefined;
  if (!isPlainObject(args) || !isPlainEnvelope(meta)) return undefined;
  for (const header in headers) if (header.startsWith('mcp-param-')) return undefined;
  return { id, name, arguments: args };
}

/** Exactly the envelope keys a plain client sends, each of the plainest valid form. */
function isPlainEnvelope(meta: unknown): boolean {
  if (!isPlainObject(meta)) return false;
  const keys = Object.keys(meta);
  if (keys.length !== ENVELOPE_KEYS.size) return false;
  for (const key of keys) {
    if (!key.startsWith(ENVELOPE) || !ENVELOPE_KEYS.has(key.slice(ENVELOPE.length))) return false;
  }
  const info = meta[`${ENVELOPE}clientInfo`];
  const capabilities = meta[`${ENVELOPE}clientCapabilities`];
  return (
    meta[`${ENVELOPE}protocolVersion`] === DIRECT_CALL_REVISION &&
    isPlainObject(info) &&
    typeof info.name === 'string' &&
    typeof info.version === 'string' &&
    Object.entries(info).every(([k, v]) => CLIENT_INFO_KEYS.has(k) && typeof v === 'string') &&
    isPlainObject(capabilities) &&
    Object.values(capabilities).every(isPlainObject)
  );
}

function isRequestId(id: unknown): id is string | number {
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}
