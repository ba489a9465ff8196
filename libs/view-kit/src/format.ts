const locale = navigator.language || 'en-US';

/** A money amount in `currency` (2 decimals), e.g. `$1,234.50`. */
export function money(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value);
  } catch {
    // Not an ISO 4217 code (a provider's odd unit): the number and the code side by side.
    return `${number(value, 2)} ${currency}`;
  }
}

/** A number with at most `digits` decimals, grouped. */
export function number(value: number, digits = 2): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** A signed number, `+1.35` or `−0.40`. */
export function signed(value: number, digits = 2): string {
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
    signDisplay: 'exceptZero',
  }).format(value);
}

/** A signed percentage from a value in percent, `+0.59 %`. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${signed(value)} %`;
}

/** `up`, `down` or `flat`: the class that colours a change. */
export function trend(value: number | null | undefined): 'up' | 'down' | 'flat' {
  return !value ? 'flat' : value > 0 ? 'up' : 'down';
}

/** A date and time in the viewer's locale, e.g. `22 Nov 2024, 21:00`. */
export function dateTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}
