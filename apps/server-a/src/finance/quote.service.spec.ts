import { jest } from '@jest/globals';
import { UnknownSymbolError, UpstreamError } from '@app/core';
import type { MarketDataProvider } from './market-data.provider.js';
import type { Quote } from './quote.js';
import { QUOTE_CONCURRENCY, QuoteService } from './quote.service.js';

/** A provider that counts calls and answers when the test says so. */
class FakeProvider implements MarketDataProvider {
  readonly id = 'fake';
  readonly label = 'Fake';
  calls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  fail?: Error;

  async getQuote(symbol: string): Promise<Quote> {
    this.calls.push(symbol);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 10));
    this.inFlight--;
    if (this.fail) throw this.fail;
    if (symbol === 'NOPE') throw new UnknownSymbolError(symbol, this.label);
    return {
      symbol,
      price: 1,
      currency: 'USD',
      change: 0,
      changePercent: 0,
      previousClose: 1,
      asOf: new Date().toISOString(),
      source: 'fake',
    };
  }
}

describe('QuoteService', () => {
  it('shares one upstream call between concurrent requests for one symbol', async () => {
    const provider = new FakeProvider();
    const service = new QuoteService(provider, { quoteCacheTtlMs: 0 });
    const quotes = await Promise.all(Array.from({ length: 20 }, () => service.get('AAPL')));
    expect(provider.calls).toEqual(['AAPL']);
    expect(new Set(quotes).size).toBe(1);
  });

  it('reuses a quote within the TTL and asks again after it', async () => {
    const provider = new FakeProvider();
    const service = new QuoteService(provider, { quoteCacheTtlMs: 50 });
    await service.get('AAPL');
    await service.get('AAPL');
    expect(provider.calls).toHaveLength(1);
    // The clock moves past the TTL; nothing is waited for.
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 60);
    try {
      await service.get('AAPL');
    } finally {
      clock.mockRestore();
    }
    expect(provider.calls).toHaveLength(2);
  });

  it('does not remember failures', async () => {
    const provider = new FakeProvider();
    const service = new QuoteService(provider, { quoteCacheTtlMs: 10_000 });
    provider.fail = new UpstreamError('Fake answered HTTP 500');
    await expect(service.get('AAPL')).rejects.toThrow('HTTP 500');
    provider.fail = undefined;
    await expect(service.get('AAPL')).resolves.toMatchObject({ symbol: 'AAPL' });
    expect(provider.calls).toHaveLength(2);
  });

  it(`fetches many symbols with at most ${QUOTE_CONCURRENCY} calls at once, keeping order`, async () => {
    const provider = new FakeProvider();
    const service = new QuoteService(provider, { quoteCacheTtlMs: 0 });
    const symbols = Array.from({ length: 30 }, (_, i) => `S${i}`);
    const settled = await service.getMany([...symbols, 'NOPE']);
    expect(provider.maxInFlight).toBe(QUOTE_CONCURRENCY);
    expect(settled.slice(0, 30).map((r) => r.status === 'fulfilled' && r.value.symbol)).toEqual(
      symbols,
    );
    expect(settled[30]).toMatchObject({ status: 'rejected' });
  });
});
