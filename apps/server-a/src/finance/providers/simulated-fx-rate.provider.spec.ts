import { UnknownCurrencyError } from '../fx-rate.provider.js';
import { SimulatedFxRateProvider } from './simulated-fx-rate.provider.js';

describe('SimulatedFxRateProvider', () => {
  const provider = new SimulatedFxRateProvider(() => new Date('2026-11-25T12:00:00Z'));

  it('gives fixed cross rates to 6 significant digits, dated today and labelled simulated', async () => {
    const rates = await provider.getRates('USD', ['EUR', 'THB']);
    expect(rates).toMatchObject({ base: 'USD', date: '2026-11-25', source: 'simulated' });
    expect(rates.rates.get('EUR')?.toString()).toBe('0.92');
    expect(rates.rates.get('THB')?.toString()).toBe('35.5');
    const fromEur = await provider.getRates('EUR', ['USD', 'JPY']);
    expect(fromEur.rates.get('USD')?.toString()).toBe('1.08696');
    expect(fromEur.rates.get('JPY')?.toString()).toBe('163.587');
  });

  it('answers the same rates every time', async () => {
    const a = await provider.getRates('GBP', ['CHF']);
    const b = await provider.getRates('GBP', ['CHF']);
    expect(b).toEqual(a);
  });

  it('names the currencies it has no rate for', async () => {
    await expect(provider.getRates('USD', ['EUR', 'XYZ'])).rejects.toEqual(
      new UnknownCurrencyError(['XYZ'], 'the simulated FX table'),
    );
    const err = (await provider.getRates('ABC', ['EUR']).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('the simulated FX table has no exchange rate for ABC');
  });
});
