/** The platform's version, reported by /info, Swagger and MCP. Keep in step with package.json. */
export const PLATFORM_VERSION = '1.0.0';
