import { type DynamicModule, Module } from '@nestjs/common';
import { configProvider, type Environment } from '@app/core';
import { type FinanceConfig, financeConfig } from '../config/finance.config.js';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from './market-data.provider.js';
import { FX_RATE_PROVIDER, type FxRateProvider } from './fx-rate.provider.js';
import { FrankfurterFxRateProvider } from './providers/frankfurter-fx-rate.provider.js';
import { SimulatedFxRateProvider } from './providers/simulated-fx-rate.provider.js';
import { FinnhubMarketDataProvider } from './providers/finnhub-market-data.provider.js';
import { SimulatedMarketDataProvider } from './providers/simulated-market-data.provider.js';
import { YahooMarketDataProvider } from './providers/yahoo-market-data.provider.js';
import { QuoteService } from './quote.service.js';
import { NEWS_PROVIDER, type NewsProvider } from './news.js';
import { RssNewsProvider } from './providers/rss-news.provider.js';
import { SimulatedNewsProvider } from './providers/simulated-news.provider.js';

/**
 * Server A's data providers, chosen by MARKET_DATA_PROVIDER and NEWS_PROVIDER; exchange
 * rates follow MARKET_DATA_PROVIDER (simulated with it, else Frankfurter).
 */
@Module({})
export class FinanceModule {
  /** The providers, configured from `env` (the environment the launcher was given). */
  static forRoot(env: Environment): DynamicModule {
    const inject = [financeConfig.KEY];
    return {
      module: FinanceModule,
      providers: [
        configProvider(financeConfig, env),
        { provide: MARKET_DATA_PROVIDER, useFactory: createMarketDataProvider, inject },
        { provide: NEWS_PROVIDER, useFactory: createNewsProvider, inject },
        { provide: FX_RATE_PROVIDER, useFactory: createFxRateProvider, inject },
        QuoteService,
      ],
      exports: [MARKET_DATA_PROVIDER, NEWS_PROVIDER, FX_RATE_PROVIDER, QuoteService],
    };
  }
}

/** The market data provider MARKET_DATA_PROVIDER names. */
export function createMarketDataProvider(config: FinanceConfig): MarketDataProvider {
  switch (config.marketDataProvider) {
    case 'yahoo':
      return new YahooMarketDataProvider(config.yahooBaseUrl, config.timeoutMs);
    case 'finnhub':
      // financeConfig refuses MARKET_DATA_PROVIDER=finnhub without FINNHUB_API_KEY.
      return new FinnhubMarketDataProvider(
        config.finnhub.baseUrl,
        config.finnhub.apiKey!.reveal(),
        config.timeoutMs,
      );
    case 'simulated':
      return new SimulatedMarketDataProvider();
  }
}

/** Simulated exchange rates with simulated quotes; the ECB's through Frankfurter with real ones. */
export function createFxRateProvider(config: FinanceConfig): FxRateProvider {
  return config.marketDataProvider === 'simulated'
    ? new SimulatedFxRateProvider()
    : new FrankfurterFxRateProvider(config.fxBaseUrl, config.timeoutMs, config.fxCacheTtlMs);
}

/** The news provider NEWS_PROVIDER names. */
export function createNewsProvider(config: FinanceConfig): NewsProvider {
  switch (config.newsProvider) {
    case 'rss':
      return new RssNewsProvider(config.newsFeeds, config.timeoutMs, config.newsCacheTtlMs);
    case 'simulated':
      return new SimulatedNewsProvider();
  }
}
