import { startFixtureServer } from './fixture-server.js';

/**
 * A stand-in for Open-Meteo on 127.0.0.1 answering `/v1/search` (geocoding) and
 * `/v1/forecast` in the real APIs' JSON formats (https://open-meteo.com/en/docs,
 * https://open-meteo.com/en/docs/geocoding-api), with switches for failures.
 */
export interface OpenMeteoFixture {
  forecastUrl: string;
  geocodingUrl: string;
  /** Every request path with its query, in order. */
  requests: string[];
  /** `ok`, or a failure to act out: a 500, a body that is not JSON, or no answer before `delayMs`. */
  mode: 'ok' | 'error' | 'garbage' | 'slow';
  delayMs: number;
  close(): Promise<void>;
}

// Real GeoNames entries, as Open-Meteo's geocoding API returns them.
const PLACES = [
  {
    id: 1609350,
    name: 'Bangkok',
    latitude: 13.75398,
    longitude: 100.50144,
    elevation: 4,
    feature_code: 'PPLC',
    country_code: 'TH',
    admin1_id: 1609348,
    timezone: 'Asia/Bangkok',
    population: 5104476,
    country_id: 1605651,
    country: 'Thailand',
    admin1: 'Bangkok',
    aliases: ['bangkok', 'กรุงเทพมหานคร', 'กรุงเทพ'],
  },
  {
    id: 4717560,
    name: 'Paris',
    latitude: 33.66094,
    longitude: -95.55551,
    elevation: 183,
    feature_code: 'PPLA2',
    country_code: 'US',
    admin1_id: 4736286,
    timezone: 'America/Chicago',
    population: 24782,
    country_id: 6252001,
    country: 'United States',
    admin1: 'Texas',
    aliases: ['paris'],
  },
  {
    id: 2988507,
    name: 'Paris',
    latitude: 48.85341,
    longitude: 2.3488,
    elevation: 42,
    feature_code: 'PPLC',
    country_code: 'FR',
    admin1_id: 3012874,
    timezone: 'Europe/Paris',
    population: 2138551,
    country_id: 3017382,
    country: 'France',
    admin1: 'Île-de-France',
    aliases: ['paris'],
  },
];

function geocoding(query: URLSearchParams): unknown {
  const name = (query.get('name') ?? '').trim().toLowerCase();
  const count = Number(query.get('count') ?? 10);
  const results = PLACES.filter((p) => p.aliases.includes(name))
    .slice(0, count)
    .map(({ aliases: _aliases, ...place }) => place);
  // No match: Open-Meteo leaves `results` out entirely.
  return results.length > 0 ? { results, generationtime_ms: 0.7 } : { generationtime_ms: 0.4 };
}

function forecast(query: URLSearchParams): { status: number; body: unknown } {
  const latitude = Number(query.get('latitude'));
  const longitude = Number(query.get('longitude'));
  if (!(latitude >= -90 && latitude <= 90)) {
    return {
      status: 400,
      body: { error: true, reason: `Latitude must be in range of -90 to 90°. Given: ${latitude}.` },
    };
  }
  const days = Number(query.get('forecast_days') ?? 7);
  const f = query.get('temperature_unit') === 'fahrenheit';
  const mph = query.get('wind_speed_unit') === 'mph';
  const inch = query.get('precipitation_unit') === 'inch';
  const t = (c: number) => (f ? Math.round(((c * 9) / 5 + 32) * 10) / 10 : c);
  const start = Date.UTC(2026, 10, 25);
  return {
    status: 200,
    body: {
      latitude: Math.round(latitude * 1000) / 1000,
      longitude: Math.round(longitude * 1000) / 1000,
      generationtime_ms: 0.06,
      utc_offset_seconds: 25200,
      timezone: 'Asia/Bangkok',
      timezone_abbreviation: 'GMT+7',
      elevation: 4,
      current_units: {
        time: 'iso8601',
        interval: 'seconds',
        temperature_2m: f ? '°F' : '°C',
        relative_humidity_2m: '%',
        wind_speed_10m: mph ? 'mp/h' : 'km/h',
        weather_code: 'wmo code',
      },
      current: {
        time: '2026-11-25T19:00',
        interval: 900,
        temperature_2m: t(27.3),
        relative_humidity_2m: 78,
        wind_speed_10m: mph ? 3.8 : 6.1,
        weather_code: 3,
      },
      daily_units: {
        time: 'iso8601',
        weather_code: 'wmo code',
        temperature_2m_max: f ? '°F' : '°C',
        temperature_2m_min: f ? '°F' : '°C',
        precipitation_sum: inch ? 'inch' : 'mm',
      },
      daily: {
        time: Array.from({ length: days }, (_, i) =>
          new Date(start + i * 86_400_000).toISOString().slice(0, 10),
        ),
        weather_code: Array.from({ length: days }, (_, i) => [3, 80, 95, 0][i % 4]),
        temperature_2m_max: Array.from({ length: days }, (_, i) => t(32 + (i % 3) / 10)),
        temperature_2m_min: Array.from({ length: days }, (_, i) => t(24 - (i % 2) / 10)),
        precipitation_sum: Array.from({ length: days }, (_, i) =>
          inch ? [0, 0.09, 0.41, 0][i % 4] : [0, 2.3, 10.5, 0][i % 4],
        ),
      },
    },
  };
}

/**
 * Server settings for specs that never call get_weather: should one, it fails at once on a
 * closed local port instead of reaching the internet.
 */
export const NO_WEATHER = {
  WEATHER_PROVIDER: 'open-meteo',
  WEATHER_FORECAST_URL: 'http://127.0.0.1:9/v1/forecast',
  WEATHER_GEOCODING_URL: 'http://127.0.0.1:9/v1/search',
};

/** Starts the fixture on a free port of 127.0.0.1. */
export async function startOpenMeteoFixture(): Promise<OpenMeteoFixture> {
  const server = await startFixtureServer((_req, res, url) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (fixture.mode === 'slow') {
      const timer = setTimeout(() => send(200, {}), fixture.delayMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (fixture.mode === 'error')
      return send(500, { error: true, reason: 'Internal Server Error' });
    if (fixture.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html>maintenance</html>');
    }
    if (url.pathname === '/v1/search') return send(200, geocoding(url.searchParams));
    if (url.pathname === '/v1/forecast') {
      const { status, body } = forecast(url.searchParams);
      return send(status, body);
    }
    send(404, { error: true, reason: 'Not Found' });
  });
  const fixture: OpenMeteoFixture = {
    forecastUrl: `${server.url}/v1/forecast`,
    geocodingUrl: `${server.url}/v1/search`,
    requests: server.requests,
    mode: 'ok',
    delayMs: 5000,
    close: () => server.close(),
  };
  return fixture;
}
