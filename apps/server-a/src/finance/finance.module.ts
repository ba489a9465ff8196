import { type DynamicModule, Module } from '@nestjs/common';
import type { PlatformConfig } from '@app/core';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from './market-data.provider.js';
import { FX_RATE_PROVIDER, type FxRateProvider } from './fx-rate.provider.js';
import { FrankfurterFxRateProvider } from './providers/frankfurter-fx-rate.provider.js';
import { SimulatedFxRateProvider } from './providers/simulated-fx-rate.provider.js';
import { FinnhubMarketDataProvider } from './providers/finnhub-market-data.provider.js';
import { SimulatedMarketDataProvider } from './providers/simulated-market-data.provider.js';
import { YahooMarketDataProvider } from './providers/yahoo-market-data.provider.js';
import { QUOTE_CACHE_TTL, QuoteService } from './quote.service.js';
import { NEWS_PROVIDER, type NewsProvider } from './news.js';
import { RssNewsProvider } from './providers/rss-news.provider.js';
import { SimulatedNewsProvider } from './providers/simulated-news.provider.js';

/**
 * Server A's data providers, chosen by MARKET_DATA_PROVIDER and NEWS_PROVIDER; exchange
 * rates follow MARKET_DATA_PROVIDER (simulated with it, else Frankfurter).
 */
@Module({})
export class FinanceModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: FinanceModule,
      providers: [
        { provide: MARKET_DATA_PROVIDER, useValue: createMarketDataProvider(config) },
        { provide: QUOTE_CACHE_TTL, useValue: config.finance.quoteCacheTtlMs },
        { provide: NEWS_PROVIDER, useValue: createNewsProvider(config) },
        { provide: FX_RATE_PROVIDER, useValue: createFxRateProvider(config) },
        QuoteService,
      ],
      exports: [MARKET_DATA_PROVIDER, NEWS_PROVIDER, FX_RATE_PROVIDER, QuoteService],
    };
  }
}

/** The market data provider MARKET_DATA_PROVIDER names. */
export function createMarketDataProvider(config: PlatformConfig): MarketDataProvider {
  switch (config.providers.marketData) {
    case 'yahoo':
      return new YahooMarketDataProvider(config.finance.yahooBaseUrl, config.providers.timeoutMs);
    case 'finnhub':
      // loadConfig refuses MARKET_DATA_PROVIDER=finnhub without FINNHUB_API_KEY.
      return new FinnhubMarketDataProvider(
        config.finance.finnhub.baseUrl,
        config.finance.finnhub.apiKey!.reveal(),
        config.providers.timeoutMs,
      );
    case 'simulated':
      return new SimulatedMarketDataProvider();
  }
}

/** Simulated exchange rates with simulated quotes; the ECB's through Frankfurter with real ones. */
export function createFxRateProvider(config: PlatformConfig): FxRateProvider {
  return config.providers.marketData === 'simulated'
    ? new SimulatedFxRateProvider()
    : new FrankfurterFxRateProvider(
        config.finance.fxBaseUrl,
        config.providers.timeoutMs,
        config.finance.fxCacheTtlMs,
      );
}

/** The news provider NEWS_PROVIDER names. */
export function createNewsProvider(config: PlatformConfig): NewsProvider {
  switch (config.providers.news) {
    case 'rss':
      return new RssNewsProvider(
        config.finance.newsFeeds,
        config.providers.timeoutMs,
        config.finance.newsCacheTtlMs,
      );
    case 'simulated':
      return new SimulatedNewsProvider();
  }
}
