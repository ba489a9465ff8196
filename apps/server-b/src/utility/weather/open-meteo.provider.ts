import { InvalidArgumentsError, UpstreamError, UpstreamTimeoutError } from '@app/core';
import type { WeatherConfig } from '../../config/weather.config.js';
import {
  type ForecastDay,
  type Place,
  UNIT_LABELS,
  type WeatherProvider,
  type WeatherQuery,
  type WeatherReport,
} from './weather.types.js';
import { describeWeatherCode } from './wmo-codes.js';

/** Where Open-Meteo answers, how long to wait for it and how long to keep its answers. */
export type OpenMeteoSettings = Pick<
  WeatherConfig,
  'forecastUrl' | 'geocodingUrl' | 'timeoutMs' | 'cacheTtlSeconds'
>;

/** One result of Open-Meteo's geocoding API (`/v1/search`). */
interface GeocodingResult {
  name: string;
  latitude: number;
  longitude: number;
  country?: string;
  country_code?: string;
  admin1?: string;
  timezone?: string;
  population?: number;
}

/** The parts of Open-Meteo's forecast API answer (`/v1/forecast`) this provider asks for. */
interface ForecastResponse {
  latitude: number;
  longitude: number;
  timezone?: string;
  current?: {
    time: string;
    temperature_2m: number;
    relative_humidity_2m: number;
    wind_speed_10m: number;
    weather_code: number;
  };
  daily?: {
    time: string[];
    weather_code: number[];
    temperature_2m_max: number[];
    temperature_2m_min: number[];
    precipitation_sum: number[];
  };
}

const CACHE_ENTRIES = 500;

/**
 * Open-Meteo's keyless forecast and geocoding APIs. Answers are cached for
 * WEATHER_CACHE_TTL_SECONDS (identical requests in flight share one fetch);
 * failures become 502 and time-outs 504, both naming Open-Meteo.
 */
export class OpenMeteoProvider implements WeatherProvider {
  readonly source = 'open-meteo';
  private readonly cache = new Map<string, { expires: number; value: Promise<unknown> }>();

  constructor(private readonly settings: OpenMeteoSettings) {}

  async report(query: WeatherQuery): Promise<WeatherReport> {
    const { place, note } =
      query.location === undefined
        ? { place: coordinatesPlace(query.latitude!, query.longitude!), note: undefined }
        : await this.geocode(query.location);
    const imperial = query.units === 'imperial';
    const url = new URL(this.settings.forecastUrl);
    url.search = new URLSearchParams({
      latitude: String(place.latitude),
      longitude: String(place.longitude),
      current: 'temperature_2m,relative_humidity_2m,wind_speed_10m,weather_code',
      daily: 'weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum',
      timezone: 'auto',
      forecast_days: String(query.days),
      ...(imperial
        ? { temperature_unit: 'fahrenheit', wind_speed_unit: 'mph', precipitation_unit: 'inch' }
        : {}),
    }).toString();
    const data = (await this.getJson(url, 'forecast')) as ForecastResponse;
    const { current, daily } = data;
    if (!current || !daily || !Array.isArray(daily.time) || daily.time.length < query.days) {
      throw new UpstreamError('Open-Meteo forecast answered in an unexpected format', {
        provider: this.source,
      });
    }
    const forecast: ForecastDay[] = daily.time.slice(0, query.days).map((date, i) => ({
      date,
      min: daily.temperature_2m_min[i],
      max: daily.temperature_2m_max[i],
      precipitation: daily.precipitation_sum[i],
      condition: describeWeatherCode(daily.weather_code[i]),
      weatherCode: daily.weather_code[i],
    }));
    return {
      location: { ...place, timezone: place.timezone ?? data.timezone },
      current: {
        time: current.time,
        temperature: current.temperature_2m,
        humidity: current.relative_humidity_2m,
        windSpeed: current.wind_speed_10m,
        condition: describeWeatherCode(current.weather_code),
        weatherCode: current.weather_code,
      },
      forecast,
      units: query.units,
      unitLabels: { ...UNIT_LABELS[query.units] },
      source: this.source,
      ...(note ? { note } : {}),
    };
  }

  /** Resolves a place name; several matches pick the most populous, and the note says so. */
  private async geocode(name: string): Promise<{ place: Place; note?: string }> {
    const url = new URL(this.settings.geocodingUrl);
    url.search = new URLSearchParams({
      name,
      count: '10',
      language: 'en',
      format: 'json',
    }).toString();
    const data = (await this.getJson(url, 'geocoding')) as { results?: GeocodingResult[] };
    const results = Array.isArray(data.results) ? data.results : [];
    if (results.length === 0) {
      throw new InvalidArgumentsError(`arguments.location '${name}' was not found`, [
        { field: 'arguments.location', message: 'no such place' },
      ]);
    }
    // Open-Meteo ranks by relevance; ties on population keep that order.
    const best = results.reduce((a, b) => ((b.population ?? 0) > (a.population ?? 0) ? b : a));
    const place: Place = {
      name: best.name,
      latitude: best.latitude,
      longitude: best.longitude,
      ...(best.country ? { country: best.country } : {}),
      ...(best.country_code ? { countryCode: best.country_code } : {}),
      ...(best.admin1 ? { region: best.admin1 } : {}),
      ...(best.timezone ? { timezone: best.timezone } : {}),
      ...(best.population ? { population: best.population } : {}),
    };
    const note =
      results.length > 1
        ? `'${name}' matched ${results.length} places; the most populous, ${[best.name, best.admin1, best.country].filter(Boolean).join(', ')}, was used`
        : undefined;
    return { place, note };
  }

  private getJson(url: URL, api: 'forecast' | 'geocoding'): Promise<unknown> {
    const key = url.toString();
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = this.fetchJson(url, api);
    if (this.settings.cacheTtlSeconds > 0) {
      if (this.cache.size >= CACHE_ENTRIES) this.evict(now);
      this.cache.set(key, { expires: now + this.settings.cacheTtlSeconds * 1000, value });
      // A failure is not worth remembering: the next call tries again.
      value.catch(() => this.cache.delete(key));
    }
    return value;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.cache) if (entry.expires <= now) this.cache.delete(key);
    // Still full: drop the oldest (Map keeps insertion order).
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }

  // Only the time-out stops a fetch: it may be shared by several callers through the cache.
  private async fetchJson(url: URL, api: 'forecast' | 'geocoding'): Promise<unknown> {
    const what = `Open-Meteo ${api}`;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: timeout,
      });
    } catch (err) {
      if (timeout.aborted) {
        throw new UpstreamTimeoutError(
          `${what} did not answer within ${this.settings.timeoutMs} ms`,
          {
            provider: this.source,
            timeoutMs: this.settings.timeoutMs,
          },
        );
      }
      const cause =
        (err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new UpstreamError(`${what} could not be reached (${cause})`, { provider: this.source });
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const reason = (body as { reason?: unknown } | undefined)?.reason;
      throw new UpstreamError(
        `${what} answered ${response.status}${typeof reason === 'string' ? `: ${reason}` : ''}`,
        { provider: this.source, status: response.status },
      );
    }
    if (body === null || typeof body !== 'object') {
      throw new UpstreamError(`${what} answered with something that is not JSON`, {
        provider: this.source,
      });
    }
    return body;
  }
}

/** A place named by its coordinates (Open-Meteo has no reverse geocoding). */
export function coordinatesPlace(latitude: number, longitude: number): Place {
  return { name: `${latitude.toFixed(4)}, ${longitude.toFixed(4)}`, latitude, longitude };
}
