import { UpstreamError, UpstreamTimeoutError } from '@app/core';
import {
  closedPort,
  type FixtureServer,
  send,
  startFixtureServer,
} from '../../../../../test/support/fixture-server.js';
import { frankfurterHandler } from '../../../../../test/support/frankfurter-fixture.js';
import { UnknownCurrencyError } from '../fx-rate.provider.js';
import { FrankfurterFxRateProvider } from './frankfurter-fx-rate.provider.js';

type Answer = (res: Parameters<typeof send>[0]) => void;

describe('FrankfurterFxRateProvider (against a Frankfurter stand-in on 127.0.0.1)', () => {
  let fx: FixtureServer;

  beforeAll(async () => {
    fx = await startFixtureServer(frankfurterHandler());
  });
  afterAll(() => fx.close());
  beforeEach(() => fx.handle(frankfurterHandler()));

  const provider = (timeoutMs = 2000, ttlMs = 60_000) =>
    new FrankfurterFxRateProvider(fx.url, timeoutMs, ttlMs);

  it('reads the published rates, as exact decimals, with their date', async () => {
    const rates = await provider().getRates('USD', ['THB', 'EUR']);
    expect(rates).toMatchObject({ base: 'USD', date: '2026-11-24', source: 'frankfurter' });
    expect([...rates.rates].map(([c, r]) => [c, r.toString()])).toEqual([
      ['EUR', '0.95'],
      ['THB', '34.5'],
    ]);
    expect(fx.requests.at(-1)).toBe('/latest?from=USD&to=EUR,THB');
  });

  it('asks once for the same rates, concurrently and within the cache time', async () => {
    const p = provider();
    const before = fx.requests.length;
    await Promise.all([p.getRates('EUR', ['USD']), p.getRates('EUR', ['USD'])]);
    await p.getRates('EUR', ['USD']);
    expect(fx.requests.length - before).toBe(1);
  });

  it('names the currency Frankfurter does not know (looking it up in /currencies)', async () => {
    const err = (await provider()
      .getRates('USD', ['EUR', 'AED'])
      .catch((e: unknown) => e)) as UnknownCurrencyError;
    expect(err).toBeInstanceOf(UnknownCurrencyError);
    expect(err.status).toBe(400);
    expect(err.currencies).toEqual(['AED']);
    expect(err.message).toBe('Frankfurter (ECB reference rates) has no exchange rate for AED');
    expect(fx.requests.slice(-2)).toEqual(['/latest?from=USD&to=AED,EUR', '/currencies']);
  });

  it('names an unknown base currency too', async () => {
    const err = (await provider()
      .getRates('XAU', ['EUR'])
      .catch((e: unknown) => e)) as UnknownCurrencyError;
    expect(err).toBeInstanceOf(UnknownCurrencyError);
    expect(err.currencies).toEqual(['XAU']);
  });

  it('names a currency missing from a 200 answer', async () => {
    fx.handle((_req, res) =>
      send(
        res,
        200,
        'application/json',
        '{"amount":1.0,"base":"USD","date":"2026-11-24","rates":{"EUR":0.95}}',
      ),
    );
    const err = (await provider()
      .getRates('USD', ['EUR', 'THB'])
      .catch((e: unknown) => e)) as UnknownCurrencyError;
    expect(err).toBeInstanceOf(UnknownCurrencyError);
    expect(err.currencies).toEqual(['THB']);
  });

  it.each<[string, Answer, RegExp]>([
    ['a 500', (res) => send(res, 500, 'text/plain', 'oops'), /HTTP 500/],
    ['malformed JSON', (res) => send(res, 200, 'application/json', '{"rates":'), /malformed/],
    ['JSON of another shape', (res) => send(res, 200, 'application/json', '[1]'), /malformed/],
    [
      'rates from another base',
      (res) =>
        send(res, 200, 'application/json', '{"base":"EUR","date":"2026-11-24","rates":{"EUR":1}}'),
      /malformed.*not USD/,
    ],
    [
      'a rate that is not a number',
      (res) =>
        send(
          res,
          200,
          'application/json',
          '{"base":"USD","date":"2026-11-24","rates":{"EUR":"x"}}',
        ),
      /malformed/,
    ],
    [
      'a negative rate',
      (res) =>
        send(res, 200, 'application/json', '{"base":"USD","date":"2026-11-24","rates":{"EUR":-1}}'),
      /malformed/,
    ],
  ])('turns %s into a 502 naming Frankfurter', async (_label, answer, message) => {
    fx.handle((_req, res) => answer(res));
    const err = (await provider()
      .getRates('USD', ['EUR'])
      .catch((e: unknown) => e)) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(502);
    expect(err.message).toContain('Frankfurter');
    expect(err.message).toMatch(message);
  });

  it('gives up after the timeout with a 504 naming Frankfurter', async () => {
    fx.handle(() => undefined);
    const err = (await provider(200)
      .getRates('USD', ['EUR'])
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(err.message).toBe('Frankfurter (ECB reference rates) did not answer within 200 ms');
  });

  it('answers a 502 at once when nothing listens', async () => {
    const down = new FrankfurterFxRateProvider(`http://127.0.0.1:${await closedPort()}`, 30_000, 0);
    const err = (await down.getRates('USD', ['EUR']).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toBe('Frankfurter (ECB reference rates) is unreachable (ECONNREFUSED)');
  });
});
