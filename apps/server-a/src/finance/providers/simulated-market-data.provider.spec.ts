import { UnknownSymbolError } from '@app/core';
import { SimulatedMarketDataProvider, simulatedQuote } from './simulated-market-data.provider.js';

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
});
