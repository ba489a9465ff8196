import { ConfigError } from '@app/core';
import { financeConfig } from '../config/finance.config.js';
import {
  createFxRateProvider,
  createMarketDataProvider,
  createNewsProvider,
} from './finance.module.js';

describe('finance provider configuration', () => {
  it('defaults to the real providers that need no key', () => {
    const config = financeConfig({});
    expect(createMarketDataProvider(config).id).toBe('yahoo');
    expect(createNewsProvider(config).id).toBe('rss');
    expect(createFxRateProvider(config).id).toBe('frankfurter');
    expect(config).toEqual({
      marketDataProvider: 'yahoo',
      newsProvider: 'rss',
      timeoutMs: 5000,
      yahooBaseUrl: 'https://query1.finance.yahoo.com',
      finnhub: { baseUrl: 'https://finnhub.io/api/v1' },
      fxBaseUrl: 'https://api.frankfurter.app',
      newsFeeds: [
        'https://feeds.finance.yahoo.com/rss/2.0/headline?s={symbol}&region=US&lang=en-US',
        'https://finance.yahoo.com/news/rssindex',
        'https://www.cnbc.com/id/100003114/device/rss/rss.html',
        'https://feeds.content.dowjones.io/public/rss/mw_topstories',
      ],
      quoteCacheTtlMs: 15000,
      newsCacheTtlMs: 120000,
      fxCacheTtlMs: 300000,
    });
  });

  it('picks the simulated providers by name, in any case', () => {
    const config = financeConfig({
      MARKET_DATA_PROVIDER: ' Simulated ',
      NEWS_PROVIDER: 'SIMULATED',
    });
    expect(createMarketDataProvider(config).id).toBe('simulated');
    expect(createNewsProvider(config).id).toBe('simulated');
    expect(createFxRateProvider(config).id).toBe('simulated');
  });

  it('picks Finnhub with its key, and real exchange rates with it', () => {
    const config = financeConfig({
      MARKET_DATA_PROVIDER: 'finnhub',
      FINNHUB_API_KEY: 'fh-test-key-0123456789',
      FINNHUB_BASE_URL: 'http://127.0.0.1:8082/api/v1/',
    });
    expect(createMarketDataProvider(config).id).toBe('finnhub');
    expect(createFxRateProvider(config).id).toBe('frankfurter');
    expect(config.finnhub.baseUrl).toBe('http://127.0.0.1:8082/api/v1');
  });

  it('refuses finnhub without FINNHUB_API_KEY, naming the variable', () => {
    expect(() => financeConfig({ MARKET_DATA_PROVIDER: 'finnhub' })).toThrow(/FINNHUB_API_KEY/);
  });

  it('reads base URLs, feeds, timeout and cache times', () => {
    const config = financeConfig({
      YAHOO_FINANCE_BASE_URL: 'http://127.0.0.1:8080/',
      NEWS_FEEDS: ' http://127.0.0.1:8081/a?s={symbol} , https://x.example/b ',
      PROVIDER_TIMEOUT_MS: '250',
      QUOTE_CACHE_TTL_MS: '0',
    });
    expect(config.yahooBaseUrl).toBe('http://127.0.0.1:8080');
    expect(config.newsFeeds).toEqual(['http://127.0.0.1:8081/a?s={symbol}', 'https://x.example/b']);
    expect(config.timeoutMs).toBe(250);
    expect(config.quoteCacheTtlMs).toBe(0);
  });

  it.each([
    ['MARKET_DATA_PROVIDER', 'bloomberg'],
    ['NEWS_PROVIDER', 'twitter'],
    ['YAHOO_FINANCE_BASE_URL', 'ftp://x.example'],
    ['NEWS_FEEDS', 'not a url'],
    ['PROVIDER_TIMEOUT_MS', '0'],
    ['QUOTE_CACHE_TTL_MS', '-1'],
    ['FINNHUB_BASE_URL', 'finnhub.io'],
    ['FX_BASE_URL', 'ftp://x.example'],
    ['FX_CACHE_TTL_MS', 'soon'],
    ['NEWS_CACHE_TTL_MS', 'soon'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => financeConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => financeConfig({ [name]: value })).toThrow(name);
  });
});
