import { UnknownSymbolError } from '@app/core';
import { Decimal } from 'decimal.js';
import type { MarketDataProvider } from '../market-data.provider.js';
import { type PriceHistory, type PriceRange, RANGE_INTERVALS } from '../price-history.js';
import type { MarketState, Quote } from '../quote.js';
import { isFiniteNumber, numberField, parseJsonObject, textField } from './answer-fields.js';
import { badStatus, fetchUpstream, malformed } from './upstream-http.js';

const LABEL = 'Yahoo Finance';

interface TradingPeriod {
  start?: number;
  end?: number;
}

/** The part of Yahoo's `/v8/finance/chart` answer a quote is made of. */
interface ChartMeta {
  symbol?: string;
  currency?: string | null;
  regularMarketPrice?: number;
  previousClose?: number;
  chartPreviousClose?: number;
  regularMarketTime?: number;
  regularMarketDayHigh?: number;
  regularMarketDayLow?: number;
  regularMarketVolume?: number;
  fullExchangeName?: string;
  exchangeName?: string;
  longName?: string;
  shortName?: string;
  currentTradingPeriod?: { pre?: TradingPeriod; regular?: TradingPeriod; post?: TradingPeriod };
}

interface ChartResult {
  meta?: ChartMeta;
  timestamp?: unknown;
  indicators?: { quote?: Array<{ close?: unknown }> };
}

interface ChartAnswer {
  chart?: {
    result?: ChartResult[] | null;
    error?: { code?: string; description?: string } | null;
  };
}

/**
 * Quotes from Yahoo Finance's public chart endpoint (no key, plain HTTP):
 * `GET {base}/v8/finance/chart/{symbol}?range=1d&interval=1d`.
 */
export class YahooMarketDataProvider implements MarketDataProvider {
  readonly id = 'yahoo';
  readonly label = LABEL;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getQuote(symbol: string): Promise<Quote> {
    const meta = (await this.chart(symbol, '1d', '1d')).meta;
    if (!meta) throw malformed(LABEL, 'no chart result');
    return this.toQuote(symbol, meta);
  }

  /** The chart's closes over `range`; Yahoo leaves `null` where no trade happened: skipped. */
  async getHistory(symbol: string, range: PriceRange): Promise<PriceHistory> {
    const { interval } = RANGE_INTERVALS[range];
    const result = await this.chart(symbol, range, interval);
    const times = result.timestamp;
    const closes = result.indicators?.quote?.[0]?.close;
    const currency = result.meta?.currency;
    if (typeof currency !== 'string' || currency === '') {
      throw malformed(LABEL, `no currency for ${symbol}`);
    }
    // A range without a trade (a new listing, a holiday) has no timestamps at all.
    if (times === undefined && closes === undefined)
      return { range, interval, currency, points: [] };
    if (!Array.isArray(times) || !Array.isArray(closes) || times.length !== closes.length) {
      throw malformed(LABEL, `no usable price history for ${symbol}`);
    }
    const points = times.flatMap((t: unknown, i) => {
      const close: unknown = closes[i];
      return isFiniteNumber(t) && isFiniteNumber(close)
        ? [
            {
              time: new Date(t * 1000).toISOString(),
              close: new Decimal(close).toDecimalPlaces(6).toNumber(),
            },
          ]
        : [];
    });
    return { range, interval, currency, points };
  }

  /** The first result of `/v8/finance/chart/{symbol}` over `range` at `interval`. */
  private async chart(symbol: string, range: string, interval: string): Promise<ChartResult> {
    const url = `${this.baseUrl}/v8/finance/chart/${encodeURIComponent(symbol)}?range=${range}&interval=${interval}&includePrePost=false`;
    const res = await fetchUpstream({
      provider: LABEL,
      url,
      timeoutMs: this.timeoutMs,
      accept: 'application/json',
    });
    const answer = parseJsonObject(res.body) as ChartAnswer | undefined;
    const error = answer?.chart?.error;
    // Yahoo says "Not Found" (HTTP 404) for a symbol it does not list; anything else is its fault.
    if (error?.code === 'Not Found' || (res.status === 200 && isEmptyResult(answer))) {
      throw new UnknownSymbolError(symbol, LABEL);
    }
    if (res.status !== 200) throw badStatus(LABEL, res.status);
    if (!answer?.chart) throw malformed(LABEL, 'no chart in the answer');
    if (error) throw malformed(LABEL, `${error.code ?? 'error'}: ${error.description ?? ''}`);
    const result = answer.chart.result?.[0];
    if (!result) throw malformed(LABEL, 'no chart result');
    return result;
  }

  private toQuote(symbol: string, meta: ChartMeta): Quote {
    const price = meta.regularMarketPrice;
    const previous = meta.previousClose ?? meta.chartPreviousClose;
    if (!isFiniteNumber(price) || !isFiniteNumber(previous) || previous <= 0) {
      throw malformed(LABEL, `no usable price or previous close for ${symbol}`);
    }
    if (typeof meta.currency !== 'string' || meta.currency === '') {
      throw malformed(LABEL, `no currency for ${symbol}`);
    }
    // Yahoo's numbers are binary floats (189.83999633789062): snap them to decimals once.
    const p = new Decimal(price).toDecimalPlaces(6);
    const prev = new Decimal(previous).toDecimalPlaces(6);
    const change = p.minus(prev);
    const time = isFiniteNumber(meta.regularMarketTime)
      ? new Date(meta.regularMarketTime * 1000)
      : this.now();
    return {
      symbol: typeof meta.symbol === 'string' ? meta.symbol : symbol,
      ...textField('name', meta.longName ?? meta.shortName),
      price: p.toNumber(),
      currency: meta.currency,
      change: change.toNumber(),
      changePercent: change.div(prev).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber(),
      previousClose: prev.toNumber(),
      ...numberField('dayHigh', meta.regularMarketDayHigh),
      ...numberField('dayLow', meta.regularMarketDayLow),
      ...numberField('volume', meta.regularMarketVolume),
      ...textField('exchange', meta.fullExchangeName ?? meta.exchangeName),
      ...(meta.currentTradingPeriod
        ? { marketState: marketState(meta.currentTradingPeriod, this.now()) }
        : {}),
      asOf: time.toISOString(),
      source: this.id,
    };
  }
}

function isEmptyResult(answer: ChartAnswer | undefined): boolean {
  const result = answer?.chart?.result;
  return Array.isArray(result) && result.length === 0 && !answer?.chart?.error;
}

/** Yahoo's chart answer has no market state, but it gives today's trading periods. */
export function marketState(
  periods: NonNullable<ChartMeta['currentTradingPeriod']>,
  now: Date,
): MarketState {
  const t = now.getTime() / 1000;
  const inside = (p?: TradingPeriod) =>
    p !== undefined &&
    isFiniteNumber(p.start) &&
    isFiniteNumber(p.end) &&
    t >= p.start &&
    t < p.end;
  if (inside(periods.regular)) return 'REGULAR';
  if (inside(periods.pre)) return 'PRE';
  if (inside(periods.post)) return 'POST';
  return 'CLOSED';
}
