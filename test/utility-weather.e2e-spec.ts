import {
  createTestDatabase,
  http,
  type Json,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import { type OpenMeteoFixture, startOpenMeteoFixture } from './support/open-meteo-fixture.js';

const weather = (servers: TestServers, args: Record<string, unknown>) =>
  http<Json>('POST', `${servers.b}/tools/call`, { name: 'get_weather', arguments: args });

describe('Server B: get_weather over REST', () => {
  describe('WEATHER_PROVIDER=open-meteo against a fixture server', () => {
    let fixture: OpenMeteoFixture;
    let servers: TestServers;

    beforeAll(async () => {
      fixture = await startOpenMeteoFixture();
      servers = await startTestServers(
        await createTestDatabase(),
        {
          WEATHER_PROVIDER: 'open-meteo',
          WEATHER_FORECAST_URL: fixture.forecastUrl,
          WEATHER_GEOCODING_URL: fixture.geocodingUrl,
          WEATHER_TIMEOUT_MS: '500',
          WEATHER_CACHE_TTL_SECONDS: '0',
        },
        ['b'],
      );
    });

    afterAll(async () => {
      await servers?.stop();
      await fixture?.close();
    });

    beforeEach(() => {
      fixture.mode = 'ok';
    });

    it('answers with the location, current weather and exactly the days asked for', async () => {
      const { status, body } = await weather(servers, { location: 'Bangkok', days: 5 });
      expect(status).toBe(200);
      expect(body.result).toMatchObject({
        location: {
          name: 'Bangkok',
          latitude: 13.75398,
          longitude: 100.50144,
          country: 'Thailand',
        },
        current: { temperature: 27.3, humidity: 78, windSpeed: 6.1, condition: 'Overcast' },
        units: 'metric',
        source: 'open-meteo',
      });
      expect(body.result.forecast).toHaveLength(5);
      expect(body.result.forecast[2]).toMatchObject({
        condition: 'Thunderstorm',
        precipitation: 10.5,
      });
    });

    it('answers 400 for out-of-range coordinates before calling upstream', async () => {
      const before = fixture.requests.length;
      const { status, body } = await weather(servers, { latitude: 91, longitude: 0 });
      expect(status).toBe(400);
      expect(body.message).toContain('arguments.latitude');
      expect(fixture.requests).toHaveLength(before);
    });

    it('answers 502 naming Open-Meteo when it fails', async () => {
      fixture.mode = 'error';
      const { status, body } = await weather(servers, { latitude: 10, longitude: 10 });
      expect(status).toBe(502);
      expect(body).toMatchObject({ code: 'UPSTREAM_ERROR', details: { provider: 'open-meteo' } });
      expect(body.message).toContain('Open-Meteo forecast');
    });

    it('answers 504 when Open-Meteo does not answer within WEATHER_TIMEOUT_MS', async () => {
      fixture.mode = 'slow';
      const started = Date.now();
      const { status, body } = await weather(servers, { latitude: 11, longitude: 11 });
      expect(status).toBe(504);
      expect(body.code).toBe('UPSTREAM_TIMEOUT');
      expect(body.message).toBe(
        'Open-Meteo forecast did not answer within 500 ms. To answer without the network, start the server with WEATHER_PROVIDER=simulated',
      );
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  describe('WEATHER_PROVIDER=simulated (offline)', () => {
    let servers: TestServers;

    beforeAll(async () => {
      servers = await startTestServers(
        await createTestDatabase(),
        { WEATHER_PROVIDER: 'simulated' },
        ['b'],
      );
    });

    afterAll(async () => {
      await servers?.stop();
    });

    it('resolves Bangkok to its true coordinates and labels the weather simulated', async () => {
      const { status, body } = await weather(servers, { location: 'Bangkok', units: 'imperial' });
      expect(status).toBe(200);
      expect(body.result.location).toMatchObject({ name: 'Bangkok', countryCode: 'TH' });
      expect(body.result.location.latitude).toBeCloseTo(13.75, 1);
      expect(body.result.location.longitude).toBeCloseTo(100.5, 1);
      expect(body.result).toMatchObject({ source: 'simulated', units: 'imperial' });
      expect(body.result.unitLabels.temperature).toBe('°F');
      expect(body.result.forecast).toHaveLength(3);
    });

    it('answers 400 for a place the gazetteer does not know', async () => {
      const { status, body } = await weather(servers, { location: 'Xyzzy Plugh' });
      expect(status).toBe(400);
      expect(body.message).toContain("arguments.location 'Xyzzy Plugh'");
    });
  });
});
