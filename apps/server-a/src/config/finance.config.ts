import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsDefined, IsIn, Matches, ValidateIf } from 'class-validator';
import {
  type Environment,
  IsHttpUrl,
  IsIntegerBetween,
  ProviderSecret,
  Secret,
  toLower,
  trimSlash,
  validateEnvironment,
} from '@app/core';

export const MARKET_DATA_PROVIDERS = ['yahoo', 'finnhub', 'simulated'] as const;
export type MarketDataProviderName = (typeof MARKET_DATA_PROVIDERS)[number];
export const NEWS_PROVIDERS = ['rss', 'simulated'] as const;
export type NewsProviderName = (typeof NEWS_PROVIDERS)[number];

/** Public feeds that need no key: Yahoo Finance per symbol, plus general market headlines. */
export const DEFAULT_NEWS_FEEDS = [
  'https://feeds.finance.yahoo.com/rss/2.0/headline?s={symbol}&region=US&lang=en-US',
  'https://finance.yahoo.com/news/rssindex',
  'https://www.cnbc.com/id/100003114/device/rss/rss.html',
  'https://feeds.content.dowjones.io/public/rss/mw_topstories',
];
const FEED_LIST = /^\s*https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*\s*$/;

/** Server A's data providers: which ones, where they live, how long answers are reused. */
export class FinanceVariables {
  @Transform(toLower)
  @IsIn(MARKET_DATA_PROVIDERS, { message: `must be one of ${MARKET_DATA_PROVIDERS.join(', ')}` })
  MARKET_DATA_PROVIDER: MarketDataProviderName = 'yahoo';
  @Transform(toLower)
  @IsIn(NEWS_PROVIDERS, { message: `must be one of ${NEWS_PROVIDERS.join(', ')}` })
  NEWS_PROVIDER: NewsProviderName = 'rss';
  @IsHttpUrl() YAHOO_FINANCE_BASE_URL = 'https://query1.finance.yahoo.com';
  /** Comma-separated RSS/Atom feed URLs; `{symbol}` in a URL makes it a per-symbol feed. */
  @Matches(FEED_LIST, { message: 'must be a comma-separated list of http(s) URLs' })
  NEWS_FEEDS = DEFAULT_NEWS_FEEDS.join(',');
  /** Finnhub's key: required by MARKET_DATA_PROVIDER=finnhub, checked whenever it is set. */
  @Secret()
  @ValidateIf(
    (v: FinanceVariables) =>
      v.MARKET_DATA_PROVIDER === 'finnhub' || v.FINNHUB_API_KEY !== undefined,
  )
  @IsDefined({
    message:
      'required when MARKET_DATA_PROVIDER=finnhub (a free key comes from https://finnhub.io/register)',
  })
  @Matches(/^\S{8,256}$/, { message: 'must be 8 to 256 characters without spaces' })
  FINNHUB_API_KEY?: string;
  @IsHttpUrl() FINNHUB_BASE_URL = 'https://finnhub.io/api/v1';
  /** Exchange rates for calculate_portfolio's baseCurrency (Frankfurter, ECB reference rates). */
  @IsHttpUrl() FX_BASE_URL = 'https://api.frankfurter.app';
  /** Time budget of one upstream call of any of Server A's data providers. */
  @IsIntegerBetween(1, 120000) PROVIDER_TIMEOUT_MS: number = 5000;
  @IsIntegerBetween(0, 3600000) QUOTE_CACHE_TTL_MS: number = 15000;
  @IsIntegerBetween(0, 3600000) NEWS_CACHE_TTL_MS: number = 120000;
  @IsIntegerBetween(0, 3600000) FX_CACHE_TTL_MS: number = 300000;
}

/** Server A's provider settings, injected with `@Inject(financeConfig.KEY)`. */
export const financeConfig = registerAs('finance', (env: Environment = process.env) => {
  const vars = validateEnvironment(FinanceVariables, env);
  return {
    marketDataProvider: vars.MARKET_DATA_PROVIDER,
    newsProvider: vars.NEWS_PROVIDER,
    /** Time budget of one upstream call by any of the providers. */
    timeoutMs: vars.PROVIDER_TIMEOUT_MS,
    yahooBaseUrl: trimSlash(vars.YAHOO_FINANCE_BASE_URL),
    finnhub: {
      baseUrl: trimSlash(vars.FINNHUB_BASE_URL),
      ...(vars.FINNHUB_API_KEY ? { apiKey: new ProviderSecret(vars.FINNHUB_API_KEY) } : {}),
    },
    /** Frankfurter's API, for exchange rates when MARKET_DATA_PROVIDER is a real provider. */
    fxBaseUrl: trimSlash(vars.FX_BASE_URL),
    newsFeeds: vars.NEWS_FEEDS.split(',').map((u) => u.trim()),
    quoteCacheTtlMs: vars.QUOTE_CACHE_TTL_MS,
    newsCacheTtlMs: vars.NEWS_CACHE_TTL_MS,
    fxCacheTtlMs: vars.FX_CACHE_TTL_MS,
  };
});

export type FinanceConfig = ConfigType<typeof financeConfig>;
