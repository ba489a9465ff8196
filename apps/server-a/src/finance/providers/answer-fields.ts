import { Decimal } from 'decimal.js';

/** A provider's answer parsed as a JSON object, or undefined for anything else (array, text, garbage). */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** `{ [key]: value }` for a non-blank string (trimmed), else `{}`: spread into a result. */
export function textField<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value.trim() !== ''
    ? ({ [key]: value.trim() } as Record<K, string>)
    : {};
}

/**
 * `{ [key]: value }` for a finite number (to 6 decimal places), else `{}`. With `positive`,
 * zero and below count as missing (a provider's way of saying it has no value).
 */
export function numberField<K extends string>(
  key: K,
  value: unknown,
  { positive = false } = {},
): Partial<Record<K, number>> {
  return isFiniteNumber(value) && (!positive || value > 0)
    ? ({ [key]: new Decimal(value).toDecimalPlaces(6).toNumber() } as Record<K, number>)
    : {};
}
