import type { KeyRing } from '@app/core';
import type { OAuthResourceServer } from './oauth/oauth-resource-server.js';

/** What the request pipeline is configured with; the composition module maps its config onto it. */
export interface HttpPipelineOptions {
  /** ADMIN_API_KEY and API_KEYS. */
  keys: KeyRing;
  /** OAuth 2.1 resource-server mode (OAUTH_ISSUER); absent when only keys are in use. */
  oauth?: OAuthResourceServer;
  /** DOCS_REQUIRE_AUTH: /docs and /docs-json need a key. */
  docsRequireAuth: boolean;
  /** Calls per minute per caller on the routes marked `@RateLimit()`; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** MAX_BODY_BYTES: the largest body of any route but the tool calls. */
  maxBodyBytes: number;
  /** The largest body a tool call may have: the most any tool declares, at least MAX_BODY_BYTES. */
  maxCallBodyBytes: number;
  /** The largest body of a `@DocumentBody()` route (an OpenAPI document and its import settings). */
  maxDocumentBodyBytes: number;
  /** MAX_JSON_DEPTH and MAX_JSON_ARRAY_LENGTH, for the bodies of routes other than tool calls. */
  maxJsonDepth: number;
  maxJsonArrayLength: number;
  /** Paths answered in JSON-RPC when a request fails before reaching its route (`/mcp`). */
  jsonRpcPaths: string[];
  /** SHUTDOWN_GRACE_MS: how long requests in flight may take to finish once shutdown begins. */
  shutdownGraceMs: number;
}

export const HTTP_PIPELINE_OPTIONS = Symbol('HTTP_PIPELINE_OPTIONS');
