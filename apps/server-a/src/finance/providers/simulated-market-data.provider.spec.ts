import { UnknownSymbolError } from '@app/core';
import {
  SimulatedMarketDataProvider,
  simulatedHistory,
  simulatedQuote,
} from './simulated-market-data.provider.js';

describe('SimulatedMarketDataProvider', () => {
  const morning = new Date('2026-03-02T08:00:00Z');
  const evening = new Date('2026-03-02T22:59:00Z');
  const nextDay = new Date('2026-03-03T08:00:00Z');

  it('gives the same quote for one symbol all day', () => {
    expect(simulatedQuote('AAPL', morning)).toEqual(simulatedQuote('AAPL', evening));
  });

  it('moves from one day to the next and differs between symbols', () => {
    expect(simulatedQuote('AAPL', nextDay).price).not.toBe(simulatedQuote('AAPL', morning).price);
    expect(simulatedQuote('MSFT', morning).price).not.toBe(simulatedQuote('AAPL', morning).price);
  });

  it('is plausible: cents, change consistent with the previous close, labelled simulated', () => {
    for (const symbol of ['AAPL', 'MSFT', 'BRK-B', '^GSPC', 'EURUSD=X']) {
      const q = simulatedQuote(symbol, morning);
      expect(q.source).toBe('simulated');
      expect(q.price).toBeGreaterThan(5);
      expect(Math.round(q.price * 100) / 100).toBe(q.price);
      expect(q.change).toBeCloseTo(q.price - q.previousClose, 10);
      expect(Math.abs(q.changePercent)).toBeLessThanOrEqual(3.1);
      expect(q.asOf).toBe('2026-03-02T00:00:00.000Z');
    }
  });

  it('knows no symbol starting with ZZZ', async () => {
    const provider = new SimulatedMarketDataProvider(() => morning);
    await expect(provider.getQuote('ZZZZ')).rejects.toBeInstanceOf(UnknownSymbolError);
    await expect(provider.getQuote('AAPL')).resolves.toEqual(simulatedQuote('AAPL', morning));
  });

  it('gives a history that ends at the quote, oldest first, at the range interval, and repeats all day', () => {
    const history = simulatedHistory('AAPL', '1mo', morning);
    const quote = simulatedQuote('AAPL', morning);
    expect(history).toMatchObject({ range: '1mo', interval: '1d', currency: 'USD' });
    expect(history.points).toHaveLength(22);
    expect(history.points.at(-1)).toEqual({ time: quote.asOf, close: quote.price });
    const times = history.points.map((p) => Date.parse(p.time));
    expect(times.slice(1).map((t, i) => t - times[i])).toEqual(Array(21).fill(86_400_000));
    expect(
      history.points.every((p) => p.close > 0 && Math.round(p.close * 100) / 100 === p.close),
    ).toBe(true);
    expect(simulatedHistory('AAPL', '1mo', evening)).toEqual(history);
    expect(simulatedHistory('AAPL', '1d', morning).points).toHaveLength(78);
  });

  it('has no history for symbols starting with ZZZ', async () => {
    const provider = new SimulatedMarketDataProvider(() => morning);
    await expect(provider.getHistory('ZZZZ', '5d')).rejects.toBeInstanceOf(UnknownSymbolError);
  });
});
