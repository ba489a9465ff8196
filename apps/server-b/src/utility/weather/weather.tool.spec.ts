import { Ajv2020 } from 'ajv/dist/2020.js';
import { toolDefinitionOf } from '@app/tools';
import {
  type OpenMeteoFixture,
  startOpenMeteoFixture,
} from '../../../../../test/support/open-meteo-fixture.js';
import { loadGazetteer } from './gazetteer.js';
import { OpenMeteoProvider, type OpenMeteoSettings } from './open-meteo.provider.js';
import { SimulatedWeatherProvider } from './simulated.provider.js';
import { WeatherTool } from './weather.tool.js';
import type { WeatherReport } from './weather.types.js';
import { describeWeatherCode } from './wmo-codes.js';

const validateOutput = new Ajv2020({ strict: false }).compile(
  toolDefinitionOf(WeatherTool)!.outputSchema!,
);

describe('get_weather', () => {
  describe('with Open-Meteo (fixture server on 127.0.0.1)', () => {
    let fixture: OpenMeteoFixture;
    const settings = (over: Partial<OpenMeteoSettings> = {}) => ({
      forecastUrl: fixture.forecastUrl,
      geocodingUrl: fixture.geocodingUrl,
      timeoutMs: 2000,
      cacheTtlSeconds: 60,
      ...over,
    });
    const weather = (over?: Partial<OpenMeteoSettings>) =>
      new WeatherTool(new OpenMeteoProvider(settings(over)));

    beforeEach(async () => {
      fixture = await startOpenMeteoFixture();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('geocodes a name, fetches the forecast and turns WMO codes into words', async () => {
      const r = await weather().execute({ location: 'Bangkok', days: 3 });
      expect(r.location).toMatchObject({
        name: 'Bangkok',
        latitude: 13.75398,
        longitude: 100.50144,
        country: 'Thailand',
        timezone: 'Asia/Bangkok',
      });
      expect(r.current).toEqual({
        time: '2026-11-25T19:00',
        temperature: 27.3,
        humidity: 78,
        windSpeed: 6.1,
        condition: 'Overcast',
        weatherCode: 3,
      });
      expect(r.forecast).toHaveLength(3);
      expect(r.forecast[1]).toEqual({
        date: '2026-11-26',
        min: 23.9,
        max: 32.1,
        precipitation: 2.3,
        condition: 'Slight rain showers',
        weatherCode: 80,
      });
      expect(r).toMatchObject({ units: 'metric', source: 'open-meteo' });
      expect(r.unitLabels.temperature).toBe('°C');
      expect(validateOutput(r)).toBe(true);
      const forecastCall = fixture.requests.find((p) => p.startsWith('/v1/forecast'))!;
      expect(forecastCall).toContain('latitude=13.75398');
      expect(forecastCall).toContain('forecast_days=3');
    });

    it('resolves a name written in Thai', async () => {
      const r = await weather().execute({ location: 'กรุงเทพมหานคร' });
      expect(r.location.name).toBe('Bangkok');
      expect(fixture.requests[0]).toContain(`name=${encodeURIComponent('กรุงเทพมหานคร')}`);
    });

    it('picks the most populous of several matches and says which', async () => {
      const r = await weather().execute({ location: 'Paris' });
      expect(r.location).toMatchObject({ name: 'Paris', country: 'France' });
      expect(r.note).toMatch(/matched 2 places; the most populous, Paris, Île-de-France, France/);
    });

    it('asks for imperial units and gives exactly the days asked for', async () => {
      const r = await weather().execute({
        latitude: 13.75,
        longitude: 100.5,
        units: 'imperial',
        days: 16,
      });
      expect(r.forecast).toHaveLength(16);
      expect(r.current.temperature).toBe(81.1);
      expect(r.unitLabels).toMatchObject({
        temperature: '°F',
        windSpeed: 'mph',
        precipitation: 'inch',
      });
      expect(fixture.requests[0]).toContain('temperature_unit=fahrenheit');
      expect(fixture.requests[0]).toContain('wind_speed_unit=mph');
    });

    it('answers 400 for a place that does not exist', async () => {
      await expect(weather().execute({ location: 'Nowhereville' })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining("arguments.location 'Nowhereville' was not found"),
      });
    });

    it('caches answers for the TTL', async () => {
      const tool = weather();
      await tool.execute({ location: 'Bangkok' });
      await tool.execute({ location: 'Bangkok' });
      expect(fixture.requests).toHaveLength(2);
      const uncached = weather({ cacheTtlSeconds: 0 });
      await uncached.execute({ location: 'Bangkok' });
      await uncached.execute({ location: 'Bangkok' });
      expect(fixture.requests).toHaveLength(6);
    });

    it('turns an upstream error into 502 naming Open-Meteo, and does not cache it', async () => {
      const tool = weather();
      fixture.mode = 'error';
      await expect(tool.execute({ location: 'Bangkok' })).rejects.toMatchObject({
        status: 502,
        code: 'UPSTREAM_ERROR',
        message: 'Open-Meteo geocoding answered 500: Internal Server Error',
      });
      fixture.mode = 'ok';
      await expect(tool.execute({ location: 'Bangkok' })).resolves.toMatchObject({
        source: 'open-meteo',
      });
    });

    it('turns a body that is not JSON into 502', async () => {
      fixture.mode = 'garbage';
      await expect(weather().execute({ latitude: 1, longitude: 2 })).rejects.toMatchObject({
        status: 502,
        message: expect.stringContaining('not JSON'),
      });
    });

    it('gives up after WEATHER_TIMEOUT_MS with 504', async () => {
      fixture.mode = 'slow';
      const started = Date.now();
      await expect(
        weather({ timeoutMs: 200 }).execute({ latitude: 1, longitude: 2 }),
      ).rejects.toMatchObject({
        status: 504,
        code: 'UPSTREAM_TIMEOUT',
        message: 'Open-Meteo forecast did not answer within 200 ms',
      });
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('fails fast with 502 when nothing listens', async () => {
      const closed = new URL(fixture.forecastUrl);
      await fixture.close();
      await expect(
        weather({ forecastUrl: closed.toString() }).execute({ latitude: 1, longitude: 2 }),
      ).rejects.toMatchObject({
        status: 502,
        message: expect.stringMatching(/Open-Meteo forecast could not be reached/),
      });
      fixture = await startOpenMeteoFixture();
    });
  });

  describe('argument rules', () => {
    const tool = new WeatherTool({
      source: 'none',
      report: () => Promise.reject(new Error('unused')),
    });
    it.each([
      [{}, 'arguments.location is required'],
      [{ latitude: 1 }, 'arguments.longitude is required'],
      [{ longitude: 1 }, 'arguments.latitude is required'],
      [{ location: 'Rome', latitude: 1, longitude: 2 }, 'not both'],
      [{ location: '   ' }, 'arguments.location is empty'],
    ])('%j is refused', (args, message) => {
      expect(() => tool.execute(args)).toThrow(message);
    });
  });

  describe('simulated (offline)', () => {
    const simulated = new WeatherTool(
      new SimulatedWeatherProvider(loadGazetteer, () => new Date('2026-11-25T12:00:00Z')),
    );

    it('resolves real places from the bundled gazetteer and labels the values simulated', async () => {
      const r = (await simulated.execute({ location: 'Bangkok', days: 5 })) as WeatherReport;
      expect(r.location).toMatchObject({ name: 'Bangkok', countryCode: 'TH', country: 'Thailand' });
      expect(r.location.latitude).toBeCloseTo(13.754, 2);
      expect(r.location.longitude).toBeCloseTo(100.501, 2);
      expect(r.source).toBe('simulated');
      expect(r.note).toContain('Simulated');
      expect(r.forecast.map((d) => d.date)).toEqual([
        '2026-11-25',
        '2026-11-26',
        '2026-11-27',
        '2026-11-28',
        '2026-11-29',
      ]);
      for (const d of r.forecast) {
        expect(d.min).toBeLessThanOrEqual(d.max);
        expect(d.condition).toBe(describeWeatherCode(d.weatherCode));
      }
      expect(validateOutput(r)).toBe(true);
    }, 30_000);

    it('is deterministic, accent- and case-insensitive, and takes "City, Country"', async () => {
      const a = await simulated.execute({ location: 'sao paulo' });
      const b = await simulated.execute({ location: 'São Paulo' });
      expect(a).toEqual(b);
      expect(a.location.countryCode).toBe('BR');
      const paris = await simulated.execute({ location: 'Paris' });
      expect(paris.location.countryCode).toBe('FR');
      expect(paris.note).toContain('most populous');
      const texas = await simulated.execute({ location: 'Paris, US' });
      expect(texas.location.countryCode).toBe('US');
      const byName = await simulated.execute({ location: 'Paris, United States' });
      expect(byName.location).toEqual(texas.location);
    }, 30_000);

    it('names coordinates after the nearest city', async () => {
      const r = await simulated.execute({ latitude: 13.75, longitude: 100.5 });
      expect(r.location).toMatchObject({ name: 'near Bangkok', latitude: 13.75, longitude: 100.5 });
    }, 30_000);

    it('answers 400 for an unknown place', async () => {
      await expect(simulated.execute({ location: 'Qwertyuiopville' })).rejects.toMatchObject({
        status: 400,
      });
    }, 30_000);
  });
});
