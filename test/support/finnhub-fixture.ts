import { send, type FixtureHandler } from './fixture-server.js';

/** The key the Finnhub stand-in accepts; tests check it never shows up anywhere else. */
export const FINNHUB_TEST_KEY = 'fixture-finnhub-key-4c1d9e';

/** Finnhub's answers as it sends them (`/quote`, `/stock/profile2`, errors), per symbol. */
export interface FinnhubAnswers {
  quote: string;
  /** `{}` is Finnhub's answer for a symbol without a profile. */
  profile?: string;
}

/** A `/quote` answer in Finnhub's format for another price and previous close. */
export function finnhubQuote(c: number, pc: number, t = 1732309201): string {
  const d = Math.round((c - pc) * 100) / 100;
  const dp = Math.round(((c - pc) / pc) * 1e6) / 1e4;
  return JSON.stringify({ c, d, dp, h: Math.max(c, pc), l: Math.min(c, pc), o: pc, pc, t });
}

/** Recorded Finnhub answers (AAPL at the 2024-11-22 close). */
export const finnhubRecorded = {
  AAPL: {
    quote:
      '{"c":229.87,"d":1.35,"dp":0.5908,"h":230.72,"l":228.06,"o":228.06,"pc":228.52,"t":1732309201}',
    profile:
      '{"country":"US","currency":"USD","estimateCurrency":"USD","exchange":"NASDAQ NMS - GLOBAL MARKET","finnhubIndustry":"Technology","ipo":"1980-12-12","logo":"https://static2.finnhub.io/file/publicdatany/finnhubimage/stock_logo/AAPL.png","marketCapitalization":3474512.5,"name":"Apple Inc","phone":"14089961010","shareOutstanding":15115.82,"ticker":"AAPL","weburl":"https://www.apple.com/"}',
  },
  /** What Finnhub answers for a symbol it does not know: HTTP 200 and zeros. */
  unknown: '{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}',
  invalidKey: '{"error":"Invalid API key."}',
  noAccess: '{"error":"You don\'t have access to this resource."}',
  rateLimited: '{"error":"API limit reached. Please try again later. Remaining Limit: 0"}',
} as const;

/** The quote the finnhub provider makes of the recorded AAPL answers. */
export const finnhubAaplQuote = {
  symbol: 'AAPL',
  name: 'Apple Inc',
  price: 229.87,
  currency: 'USD',
  change: 1.35,
  changePercent: 0.59,
  previousClose: 228.52,
  dayHigh: 230.72,
  dayLow: 228.06,
  exchange: 'NASDAQ NMS - GLOBAL MARKET',
  asOf: '2024-11-22T21:00:01.000Z',
  source: 'finnhub',
};

/**
 * Answers like Finnhub's `/quote` and `/stock/profile2`: 401 without the right
 * `X-Finnhub-Token` header, the given symbols, zeros (and `{}` as profile) for any other.
 */
export function finnhubHandler(
  answers: Record<string, FinnhubAnswers>,
  key = FINNHUB_TEST_KEY,
): FixtureHandler {
  return (req, res, url) => {
    if (req.headers['x-finnhub-token'] !== key) {
      return send(res, 401, 'application/json; charset=utf-8', finnhubRecorded.invalidKey);
    }
    const symbol = url.searchParams.get('symbol') ?? '';
    const known = answers[symbol];
    if (url.pathname.endsWith('/quote')) {
      return send(
        res,
        200,
        'application/json; charset=utf-8',
        known?.quote ?? finnhubRecorded.unknown,
      );
    }
    if (url.pathname.endsWith('/stock/profile2')) {
      return send(res, 200, 'application/json; charset=utf-8', known?.profile ?? '{}');
    }
    send(res, 404, 'text/plain', '404 page not found');
  };
}
