import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route:
 * - `open`: anyone (health, info, tool listing);
 * - `caller`: a caller or admin key when API_KEYS is set (tool calls, MCP);
 * - `docs`: a key when DOCS_REQUIRE_AUTH=true;
 * - `admin`: the admin key, or a loopback caller when ADMIN_API_KEY is not set.
 * A route without the decorator is `admin` for changing methods and `open` for safe ones.
 */
export type AccessLevel = 'open' | 'caller' | 'docs' | 'admin';

export const ACCESS_METADATA = 'mcp-multi-server:access';

/** Declares who may call a controller or route; read by the global access guard. */
export const Access = (level: AccessLevel): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, level);
