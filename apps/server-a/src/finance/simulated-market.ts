import { createHash } from 'node:crypto';

/** A deterministic number in [0, 1) from a seed: the same symbol on the same day gives the same quote. */
export function seeded(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

/** A plausible, offline, deterministic quote; always labelled as simulated. */
export function simulatedQuote(symbol: string, now = new Date()) {
  const day = now.toISOString().slice(0, 10);
  const base = 10 + seeded(`base:${symbol}`) * 490;
  const previousClose = round2(base * (0.97 + seeded(`prev:${symbol}:${day}`) * 0.06));
  const price = round2(previousClose * (0.97 + seeded(`now:${symbol}:${day}`) * 0.06));
  const change = round2(price - previousClose);
  return {
    symbol,
    price,
    currency: 'USD',
    change,
    changePercent: round2((change / previousClose) * 100),
    previousClose,
    asOf: now.toISOString(),
    source: 'simulated' as const,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
