import { ErrorCode, isJsonObject, PlatformError } from '@app/core';

/** Codes of a data provider or endpoint behind a tool failing: the ones an offline setting avoids. */
const UPSTREAM_CODES = new Set<string>([
  ErrorCode.UPSTREAM_ERROR,
  ErrorCode.UPSTREAM_TIMEOUT,
  ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE,
]);

/**
 * A data provider's failure, told how to answer without the network (the `offline` settings
 * of `@Tool`): `... To answer without the network, start the server with <VARIABLE>=simulated`.
 * Any other error is returned as it is.
 */
export function withOfflineHint(err: unknown, offline: Record<string, string>): unknown {
  if (!(err instanceof PlatformError) || !UPSTREAM_CODES.has(err.code)) return err;
  const settings = Object.entries(offline).map(([k, v]) => `${k}=${v}`);
  const details = isJsonObject(err.details) ? err.details : { cause: err.details };
  return new PlatformError(
    err.status,
    err.code,
    `${err.message}. To answer without the network, start the server with ${settings.join(' and ')}`,
    { ...details, offline },
  );
}
