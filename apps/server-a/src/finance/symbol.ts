/** Ticker symbols as exchanges and Yahoo Finance write them: `AAPL`, `BRK-B`, `^GSPC`, `EURUSD=X`, `7203.T`. */
export const SYMBOL_PATTERN = /^[A-Za-z0-9.^=-]{1,15}$/;

/** The JSON Schema of one symbol argument; surrounding whitespace is tolerated and trimmed. */
export const SYMBOL_SCHEMA = {
  type: 'string',
  pattern: '^\\s*[A-Za-z0-9.^=-]{1,15}\\s*$',
  description: 'Ticker symbol, e.g. AAPL, BRK-B, ^GSPC, EURUSD=X (case and spaces ignored)',
} as const;

/** Trims and upper-cases a symbol that already passed {@link SYMBOL_SCHEMA}. */
export function normalizeSymbol(symbol: string): string {
  return symbol.trim().toUpperCase();
}
