import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

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

/** The OpenAPI security scheme of the API keys (declared by the document's builder). */
export const API_KEY_SCHEME = 'bearer';

/**
 * Declares who may call a controller or route; read by the global access guard. The route's
 * OpenAPI operation says the same: which key it takes, and the 401/403 the guard answers.
 */
export const Access = (level: AccessLevel): MethodDecorator & ClassDecorator => {
  const metadata = SetMetadata(ACCESS_METADATA, level);
  switch (level) {
    case 'caller':
      return applyDecorators(
        metadata,
        ApiBearerAuth(API_KEY_SCHEME),
        ApiUnauthorizedResponse({
          description: 'UNAUTHORIZED: API_KEYS is set and no valid key was sent',
        }),
      );
    case 'admin':
      return applyDecorators(
        metadata,
        ApiBearerAuth(API_KEY_SCHEME),
        ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: no valid key was sent' }),
        ApiForbiddenResponse({
          description:
            'FORBIDDEN: a caller key (not the admin key), or a remote client while ADMIN_API_KEY is not set',
        }),
      );
    default:
      return metadata;
  }
};
