import { Transform } from 'class-transformer';
import { IsInt, IsUrl, Matches, Max, Min } from 'class-validator';

/**
 * Conversions and rules that environment classes share. Variables arrive as strings;
 * `@Transform` turns the ones that are numbers or flags into them before validation,
 * and leaves anything it cannot convert as it is, so the rule names the bad value.
 */

/** `true/1/yes/on` and `false/0/no/off/(empty)`, in any case. */
export const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};

/** A whole number written in decimal. */
export const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** Names compared without regard to case or surrounding spaces (`' Simulated '`). */
export const toLower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/** The non-empty entries of a comma-separated value. */
export function toList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A base URL without its trailing slashes, ready for `${base}/path`. */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Several property decorators as one, applied (and so checked) in the order given. */
function rules(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}

/** An integer from `min` to `max`; says "must be an integer" before it speaks of the bounds. */
export function IsIntegerBetween(min: number, max: number): PropertyDecorator {
  return rules(Transform(toInt), IsInt(), Min(min), Max(max));
}

/** A TCP port to listen on; 0 lets the system pick a free one. */
export function IsPort(): PropertyDecorator {
  return IsIntegerBetween(0, 65535);
}

/** A host name or IP address to listen on. */
export function IsHost(): PropertyDecorator {
  return Matches(/^[A-Za-z0-9.:\-[\]]+$/, { message: 'must be a host name or IP address' });
}

/** A server id as stored in `tools.server_id`. */
export function IsServerId(): PropertyDecorator {
  return Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must match ^[A-Za-z0-9_.-]{1,64}$' });
}

/** An absolute http(s) URL; a host without a dot (`localhost`, a container name) is fine. */
export function IsHttpUrl(message = 'must be an http(s) URL'): PropertyDecorator {
  return IsUrl(
    { protocols: ['http', 'https'], require_tld: false, require_protocol: true },
    { message },
  );
}
