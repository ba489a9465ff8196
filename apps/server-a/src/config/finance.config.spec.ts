import { Test } from '@nestjs/testing';
import { inspect } from 'node:util';
import { ConfigError, secretVariables } from '@app/core';
import { FinanceModule } from '../finance/finance.module.js';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from '../finance/market-data.provider.js';
import { QuoteService } from '../finance/quote.service.js';
import { type FinanceConfig, financeConfig, FinanceVariables } from './finance.config.js';

describe('financeConfig', () => {
  const key = 'fh-test-key-0123456789';

  it('refuses MARKET_DATA_PROVIDER=finnhub without FINNHUB_API_KEY, naming the variable', () => {
    expect(() => financeConfig({ MARKET_DATA_PROVIDER: 'finnhub' })).toThrow(ConfigError);
    expect(() => financeConfig({ MARKET_DATA_PROVIDER: 'finnhub' })).toThrow(
      /FINNHUB_API_KEY: required when MARKET_DATA_PROVIDER=finnhub/,
    );
  });

  it('reads the key and base URLs, with the documented defaults', () => {
    const config = financeConfig({ MARKET_DATA_PROVIDER: 'FinnHub', FINNHUB_API_KEY: key });
    expect(config.marketDataProvider).toBe('finnhub');
    expect(config.finnhub.baseUrl).toBe('https://finnhub.io/api/v1');
    expect(config.finnhub.apiKey?.reveal()).toBe(key);
    expect(config.fxBaseUrl).toBe('https://api.frankfurter.app');
    expect(config.fxCacheTtlMs).toBe(300000);
    expect(financeConfig({ FX_BASE_URL: 'http://127.0.0.1:9/' }).fxBaseUrl).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('never shows the key in JSON, strings or console output of the config', () => {
    const config = financeConfig({ MARKET_DATA_PROVIDER: 'finnhub', FINNHUB_API_KEY: key });
    expect(JSON.stringify(config)).not.toContain(key);
    expect(inspect(config, { depth: null })).not.toContain(key);
    expect(`${config.finnhub.apiKey?.toString()}`).toBe('(hidden)');
  });

  it('never repeats a malformed key in the error', () => {
    const bad = 'has a space s3cret';
    expect(() => financeConfig({ FINNHUB_API_KEY: bad })).toThrow(/FINNHUB_API_KEY=\(hidden\)/);
    expect(() => financeConfig({ FINNHUB_API_KEY: bad })).not.toThrow(/s3cret/);
  });

  it('declares the key secret, so the launcher hides it and HTTP tools cannot read it', () => {
    expect([...secretVariables(FinanceVariables)]).toEqual(['FINNHUB_API_KEY']);
  });

  it('reads process.env when given no environment, as ConfigModule.forFeature would call it', () => {
    expect(financeConfig()).toMatchObject({ timeoutMs: expect.any(Number) });
  });
});

describe('FinanceModule', () => {
  it('hands the providers their typed config by injection, from the environment it is given', async () => {
    const module = await Test.createTestingModule({
      imports: [
        FinanceModule.forRoot({ MARKET_DATA_PROVIDER: 'simulated', QUOTE_CACHE_TTL_MS: '0' }),
      ],
    }).compile();
    expect(module.get<MarketDataProvider>(MARKET_DATA_PROVIDER).id).toBe('simulated');
    expect(module.get<FinanceConfig>(financeConfig.KEY).quoteCacheTtlMs).toBe(0);
    expect(module.get(QuoteService).provider.id).toBe('simulated');
  });

  it('fails to build with a bad setting, naming the variable', async () => {
    await expect(
      Test.createTestingModule({
        imports: [FinanceModule.forRoot({ NEWS_PROVIDER: 'twitter' })],
      }).compile(),
    ).rejects.toThrow(/NEWS_PROVIDER="twitter": must be one of rss, simulated/);
  });
});
