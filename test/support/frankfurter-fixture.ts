import { send, type FixtureHandler } from './fixture-server.js';

/** Rates a Frankfurter stand-in publishes: per base currency, units of each other currency. */
export type FrankfurterRates = Record<string, Record<string, number>>;

/** ECB reference rates of one day, as Frankfurter serves them from a USD base. */
export const frankfurterRecorded: { date: string; rates: FrankfurterRates } = {
  date: '2026-11-24',
  rates: {
    USD: { EUR: 0.95, GBP: 0.7952, JPY: 154.62, THB: 34.5, CHF: 0.8846 },
    EUR: { USD: 1.0526, GBP: 0.8371, JPY: 162.76, THB: 36.316, CHF: 0.9312 },
  },
};

/** Frankfurter's `/currencies` answer (an excerpt: the codes the stand-in knows). */
const CURRENCY_NAMES: Record<string, string> = {
  CHF: 'Swiss Franc',
  EUR: 'Euro',
  GBP: 'British Pound',
  JPY: 'Japanese Yen',
  THB: 'Thai Baht',
  USD: 'United States Dollar',
};

/**
 * Answers like Frankfurter's v1 API: `/latest?from=X&to=A,B` with the requested rates,
 * `404 {"message":"not found"}` for a currency it does not know, and `/currencies`.
 */
export function frankfurterHandler(
  published: FrankfurterRates = frankfurterRecorded.rates,
  date = frankfurterRecorded.date,
): FixtureHandler {
  const notFound = (res: Parameters<FixtureHandler>[1]) =>
    send(res, 404, 'application/json', '{"message":"not found"}');
  return (_req, res, url) => {
    if (url.pathname === '/currencies') {
      return send(res, 200, 'application/json', JSON.stringify(CURRENCY_NAMES));
    }
    if (url.pathname !== '/latest') return notFound(res);
    const from = url.searchParams.get('from') ?? 'EUR';
    const table = published[from];
    if (!table) return notFound(res);
    const to = (url.searchParams.get('to') ?? Object.keys(table).join(',')).split(',');
    if (to.some((c) => table[c] === undefined)) return notFound(res);
    const rates = Object.fromEntries(to.sort().map((c) => [c, table[c]]));
    send(res, 200, 'application/json', JSON.stringify({ amount: 1.0, base: from, date, rates }));
  };
}
