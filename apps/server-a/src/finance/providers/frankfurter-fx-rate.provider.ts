import { Decimal } from 'decimal.js';
import { type FxRateProvider, type FxRates, UnknownCurrencyError } from '../fx-rate.provider.js';
import { TtlCache } from '../ttl-cache.js';
import { parseJsonObject } from './answer-fields.js';
import { badStatus, fetchUpstream, malformed } from './upstream-http.js';

const LABEL = 'Frankfurter (ECB reference rates)';

/** The list of currencies changes a few times a decade; a day is brief enough. */
const CURRENCY_LIST_TTL_MS = 24 * 60 * 60 * 1000;

interface LatestAnswer {
  amount?: unknown;
  base?: unknown;
  date?: unknown;
  rates?: unknown;
}

/**
 * Exchange rates from the keyless Frankfurter API (the European Central Bank's daily
 * reference rates): `GET {FX_BASE_URL}/latest?from=USD&to=EUR,THB`. Answers are kept for
 * FX_CACHE_TTL_MS; concurrent requests for the same rates share one upstream call.
 */
export class FrankfurterFxRateProvider implements FxRateProvider {
  readonly id = 'frankfurter';
  readonly label = LABEL;
  private readonly cache: TtlCache<FxRates>;
  private readonly currencyList = new TtlCache<ReadonlySet<string>>(CURRENCY_LIST_TTL_MS);

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    cacheTtlMs: number,
  ) {
    this.cache = new TtlCache(cacheTtlMs);
  }

  getRates(base: string, currencies: readonly string[]): Promise<FxRates> {
    const wanted = [...new Set(currencies)].sort();
    return this.cache.get(`${base}>${wanted.join(',')}`, () => this.latest(base, wanted));
  }

  private async latest(base: string, wanted: readonly string[]): Promise<FxRates> {
    const to = wanted.map(encodeURIComponent).join(',');
    const res = await fetchUpstream({
      provider: LABEL,
      url: `${this.baseUrl}/latest?from=${encodeURIComponent(base)}&to=${to}`,
      timeoutMs: this.timeoutMs,
      accept: 'application/json',
    });
    // Frankfurter answers 404 (422 in some versions) when it has no such currency.
    if (res.status === 404 || res.status === 422) {
      throw await this.unknownAmong([base, ...wanted], res.status);
    }
    if (res.status !== 200) throw badStatus(LABEL, res.status);
    const answer = parseJsonObject(res.body) as LatestAnswer | undefined;
    if (!answer || typeof answer.rates !== 'object' || answer.rates === null) {
      throw malformed(LABEL, 'no rates in the answer');
    }
    if (answer.base !== base)
      throw malformed(LABEL, `rates from ${String(answer.base)}, not ${base}`);
    if (typeof answer.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(answer.date)) {
      throw malformed(LABEL, 'no date in the answer');
    }
    if (answer.amount !== undefined && answer.amount !== 1) {
      throw malformed(LABEL, `rates for an amount of ${String(answer.amount)}, not 1`);
    }
    const published = answer.rates as Record<string, unknown>;
    const missing = wanted.filter((c) => published[c] === undefined);
    if (missing.length > 0) throw new UnknownCurrencyError(missing, LABEL);
    const rates = new Map<string, Decimal>();
    for (const c of wanted) {
      const rate = published[c];
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
        throw malformed(LABEL, `the ${base}/${c} rate is not a positive number`);
      }
      // A JSON number's shortest form is the decimal Frankfurter wrote (0.95, not 0.9499999...).
      rates.set(c, new Decimal(rate));
    }
    return { base, rates, date: answer.date, source: this.id };
  }

  /** Which of `codes` Frankfurter does not list, to name them; asked only after a refusal. */
  private async unknownAmong(codes: readonly string[], status: number): Promise<Error> {
    const known = await this.currencyList.get('all', () => this.currencies());
    const unknown = [...new Set(codes.filter((c) => !known.has(c)))];
    return unknown.length > 0 ? new UnknownCurrencyError(unknown, LABEL) : badStatus(LABEL, status);
  }

  private async currencies(): Promise<ReadonlySet<string>> {
    const res = await fetchUpstream({
      provider: LABEL,
      url: `${this.baseUrl}/currencies`,
      timeoutMs: this.timeoutMs,
      accept: 'application/json',
    });
    if (res.status !== 200) throw badStatus(LABEL, res.status);
    const list = parseJsonObject(res.body);
    if (!list) throw malformed(LABEL, 'the currency list is not a JSON object');
    return new Set(Object.keys(list));
  }
}
