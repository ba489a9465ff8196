/** Injection token for the array of this server's built-in tool handlers. */
export const TOOL_HANDLERS = Symbol('TOOL_HANDLERS');

/** Injection token for this server's TypeORM DataSource. */
export const TOOLS_DATA_SOURCE = Symbol('TOOLS_DATA_SOURCE');

/** The table of the shared rate-limit counters (created by a migration). */
export const RATE_LIMITS_TABLE = 'rate_limits';
