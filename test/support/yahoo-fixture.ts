import { readFileSync } from 'node:fs';
import { send, type FixtureHandler } from './fixture-server.js';

const dir = new URL('../fixtures/finance/', import.meta.url);

/** Recorded Yahoo Finance answers (`/v8/finance/chart/{symbol}?range=1d&interval=1d`). */
export const yahooRecorded = {
  AAPL: readFileSync(new URL('yahoo-chart-aapl.json', dir), 'utf8'),
  'VOD.L': readFileSync(new URL('yahoo-chart-vod-l.json', dir), 'utf8'),
  notFound: readFileSync(new URL('yahoo-chart-not-found.json', dir), 'utf8'),
};

/** The recorded AAPL answer reshaped for another symbol, price, previous close and currency. */
export function yahooChart(
  symbol: string,
  price: number,
  previousClose: number,
  currency = 'USD',
): string {
  const answer = JSON.parse(yahooRecorded.AAPL) as {
    chart: { result: Array<{ meta: Record<string, unknown> }> };
  };
  Object.assign(answer.chart.result[0].meta, {
    symbol,
    currency,
    regularMarketPrice: price,
    previousClose,
    chartPreviousClose: previousClose,
    longName: `${symbol} Inc.`,
  });
  return JSON.stringify(answer);
}

/**
 * A chart answer over a longer range, in Yahoo's shape: the recorded AAPL meta reshaped, one
 * timestamp per close (a `null` close is a bar without a trade, as Yahoo sends it).
 */
export function yahooHistoryChart(
  symbol: string,
  range: string,
  interval: string,
  bars: Array<[time: string, close: number | null]>,
): string {
  const answer = JSON.parse(yahooChart(symbol, 229.87, 228.52)) as {
    chart: { result: Array<Record<string, unknown> & { meta: Record<string, unknown> }> };
  };
  const result = answer.chart.result[0];
  Object.assign(result.meta, { range, dataGranularity: interval });
  result.timestamp = bars.map(([time]) => Date.parse(time) / 1000);
  const closes = bars.map(([, close]) => close);
  result.indicators = {
    quote: [
      { open: closes, close: closes, high: closes, low: closes, volume: closes.map(() => 0) },
    ],
    adjclose: [{ adjclose: closes }],
  };
  return JSON.stringify(answer);
}

/**
 * Answers like Yahoo's chart endpoint: the given symbols, 404 "Not Found" for any other. A
 * request for another range than `1d` gets `histories[symbol]` when there is one.
 */
export function yahooHandler(
  answers: Record<string, string>,
  histories: Record<string, string> = {},
): FixtureHandler {
  return (_req, res, url) => {
    const match = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, 'text/html', '<html>Not Found</html>');
    const symbol = decodeURIComponent(match[1]);
    const range = url.searchParams.get('range');
    const body = (range !== '1d' ? histories[symbol] : undefined) ?? answers[symbol];
    if (body === undefined) {
      return send(res, 404, 'application/json;charset=utf-8', yahooRecorded.notFound);
    }
    send(res, 200, 'application/json;charset=utf-8', body);
  };
}
