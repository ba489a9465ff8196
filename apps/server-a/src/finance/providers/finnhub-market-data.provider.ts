import { UnknownSymbolError, UpstreamError } from '@app/core';
import { Decimal } from 'decimal.js';
import type { MarketDataProvider } from '../market-data.provider.js';
import type { Quote } from '../quote.js';
import { isFiniteNumber, numberField, parseJsonObject, textField } from './answer-fields.js';
import { badStatus, fetchUpstream, malformed, type UpstreamResponse } from './upstream-http.js';

const LABEL = 'Finnhub';

/** Finnhub's `/quote` answer: current, change, percent, high, low, open, previous close, time. */
interface FinnhubQuote {
  c?: number | null;
  d?: number | null;
  dp?: number | null;
  h?: number | null;
  l?: number | null;
  o?: number | null;
  pc?: number | null;
  t?: number | null;
}

/** The part of Finnhub's `/stock/profile2` answer a quote uses; `{}` for a symbol it has none for. */
interface FinnhubProfile {
  currency?: string;
  exchange?: string;
  name?: string;
}

/**
 * Quotes from Finnhub (MARKET_DATA_PROVIDER=finnhub, FINNHUB_API_KEY): `GET {base}/quote` for
 * the price and `GET {base}/stock/profile2` for currency, exchange and name, in parallel. The key
 * travels in the `X-Finnhub-Token` header only, never in a URL, a message or a result.
 */
export class FinnhubMarketDataProvider implements MarketDataProvider {
  readonly id = 'finnhub';
  readonly label = LABEL;
  readonly #apiKey: string;

  constructor(
    private readonly baseUrl: string,
    apiKey: string,
    private readonly timeoutMs: number,
  ) {
    this.#apiKey = apiKey;
  }

  async getQuote(symbol: string): Promise<Quote> {
    const query = `?symbol=${encodeURIComponent(symbol)}`;
    // The profile only adds currency, exchange and name: a failure of it must not fail the quote.
    const [quote, profile] = await Promise.all([
      this.get(`/quote${query}`).then((res) => parseQuote(res, symbol)),
      this.get(`/stock/profile2${query}`).then(parseProfile, () => undefined),
    ]);
    return toQuote(symbol, quote, profile);
  }

  private get(path: string): Promise<UpstreamResponse> {
    return fetchUpstream({
      provider: LABEL,
      url: `${this.baseUrl}${path}`,
      timeoutMs: this.timeoutMs,
      accept: 'application/json',
      headers: { 'X-Finnhub-Token': this.#apiKey },
    });
  }
}

function parseQuote(res: UpstreamResponse, symbol: string): FinnhubQuote {
  if (res.status === 401 || res.status === 403) {
    // 403 is also Finnhub's answer for data outside the key's plan (e.g. most non-US listings).
    throw new UpstreamError(
      `${LABEL} refused the API key (HTTP ${res.status}): FINNHUB_API_KEY is invalid, or its plan does not cover ${symbol}`,
      { provider: LABEL, status: res.status },
    );
  }
  if (res.status === 429) {
    throw new UpstreamError(
      `${LABEL} rate limited the request (HTTP 429): the API key's call allowance is used up, try again shortly`,
      { provider: LABEL, status: 429, reason: 'rate limited' },
    );
  }
  if (res.status !== 200) throw badStatus(LABEL, res.status);
  const answer = parseJsonObject(res.body);
  if (!answer) throw malformed(LABEL, 'the quote is not a JSON object');
  return answer as FinnhubQuote;
}

function parseProfile(res: UpstreamResponse): FinnhubProfile | undefined {
  return res.status === 200 ? (parseJsonObject(res.body) as FinnhubProfile | undefined) : undefined;
}

function toQuote(symbol: string, q: FinnhubQuote, profile: FinnhubProfile | undefined): Quote {
  // Finnhub answers a symbol it does not know with 200 and every field 0 (or null).
  if (q.c === 0 && q.t === 0 && !q.pc) throw new UnknownSymbolError(symbol, LABEL);
  if (!isFiniteNumber(q.c) || !isFiniteNumber(q.pc) || q.pc <= 0) {
    throw malformed(LABEL, `no usable price or previous close for ${symbol}`);
  }
  if (!isFiniteNumber(q.t) || q.t <= 0) throw malformed(LABEL, `no quote time for ${symbol}`);
  const price = new Decimal(q.c).toDecimalPlaces(6);
  const previous = new Decimal(q.pc).toDecimalPlaces(6);
  // Worked out in decimals like the other providers, rather than trusting Finnhub's rounded d/dp.
  const change = price.minus(previous);
  return {
    symbol,
    ...textField('name', profile?.name),
    price: price.toNumber(),
    // Finnhub quotes a listing in its own currency, which only the profile names; without a
    // profile the symbol is a US listing (suffix-less symbols are Finnhub's US tickers).
    currency: currencyOf(profile) ?? 'USD',
    change: change.toNumber(),
    changePercent: change
      .div(previous)
      .mul(100)
      .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
      .toNumber(),
    previousClose: previous.toNumber(),
    ...numberField('dayHigh', q.h, { positive: true }),
    ...numberField('dayLow', q.l, { positive: true }),
    ...textField('exchange', profile?.exchange),
    asOf: new Date(q.t * 1000).toISOString(),
    source: 'finnhub',
  };
}

function currencyOf(profile: FinnhubProfile | undefined): string | undefined {
  const c = profile?.currency;
  return typeof c === 'string' && /^[A-Za-z]{3}$/.test(c.trim()) ? c.trim() : undefined;
}
