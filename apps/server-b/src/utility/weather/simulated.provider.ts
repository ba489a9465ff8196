import { createHash } from 'node:crypto';
import { InvalidArgumentsError } from '@app/core';
import { type Gazetteer, loadGazetteer } from './gazetteer.js';
import { coordinatesPlace } from './open-meteo.provider.js';
import {
  type Place,
  UNIT_LABELS,
  type WeatherProvider,
  type WeatherQuery,
  type WeatherReport,
} from './weather.types.js';
import { describeWeatherCode } from './wmo-codes.js';

const DAY_MS = 86_400_000;
// Codes weighted towards fair weather, as real days are.
const SIMULATED_CODES = [0, 0, 1, 1, 2, 2, 3, 3, 45, 51, 61, 63, 80, 95];

/** A number in [0, 1) fixed by `seed`: the same place and day always get the same weather. */
function unit(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Offline weather: real places (from the bundled gazetteer) with simulated, deterministic,
 * plausible values (warmer near the equator, seasons by hemisphere). Labelled `simulated`.
 */
export class SimulatedWeatherProvider implements WeatherProvider {
  readonly source = 'simulated';

  constructor(
    private readonly gazetteer: () => Promise<Gazetteer> = loadGazetteer,
    private readonly now: () => Date = () => new Date(),
  ) {
    // Start loading at boot (in a worker thread) so the first call does not wait; a failure
    // here is reported by that call, which tries again.
    gazetteer().catch(() => undefined);
  }

  async report(query: WeatherQuery): Promise<WeatherReport> {
    const gazetteer = await this.gazetteer();
    let place: Place;
    let resolution = '';
    if (query.location !== undefined) {
      const match = gazetteer.find(query.location);
      if (!match) {
        throw new InvalidArgumentsError(
          `arguments.location '${query.location}' was not found in the offline gazetteer (cities over 1,000 people; try "City, Country" or coordinates)`,
          [{ field: 'arguments.location', message: 'no such place' }],
        );
      }
      place = match.place;
      if (match.matches > 1) {
        resolution = ` '${query.location}' matched ${match.matches} places; the most populous, ${place.name}, ${place.country}, was used.`;
      }
    } else {
      const near = gazetteer.nearest(query.latitude!, query.longitude!);
      place = {
        ...coordinatesPlace(query.latitude!, query.longitude!),
        ...(near
          ? { name: `near ${near.name}`, country: near.country, countryCode: near.countryCode }
          : {}),
      };
    }
    const today = Math.floor(this.now().getTime() / DAY_MS) * DAY_MS;
    const key = `${place.latitude.toFixed(2)},${place.longitude.toFixed(2)}`;
    const imperial = query.units === 'imperial';
    const temperature = (c: number) => round1(imperial ? (c * 9) / 5 + 32 : c);
    const day = (offset: number) => {
      const date = new Date(today + offset * DAY_MS).toISOString().slice(0, 10);
      const mean =
        this.meanTemperature(place.latitude, today + offset * DAY_MS) +
        (unit(`t:${key}:${date}`) - 0.5) * 6;
      const spread = 4 + unit(`s:${key}:${date}`) * 6;
      const code = SIMULATED_CODES[Math.floor(unit(`c:${key}:${date}`) * SIMULATED_CODES.length)];
      const rainy = code >= 51;
      const mm = rainy ? round1(0.5 + unit(`p:${key}:${date}`) * (code === 95 ? 40 : 15)) : 0;
      return { date, mean, spread, code, mm };
    };
    const first = day(0);
    const hour = this.now().getUTCHours();
    return {
      location: place,
      current: {
        temperature: temperature(
          first.mean + (first.spread / 2) * Math.sin(((hour - 9) / 24) * 2 * Math.PI),
        ),
        humidity: Math.round(35 + unit(`h:${key}:${first.date}:${hour}`) * 55),
        windSpeed: round1((imperial ? 0.621371 : 1) * unit(`w:${key}:${first.date}:${hour}`) * 30),
        condition: describeWeatherCode(first.code),
        weatherCode: first.code,
      },
      forecast: Array.from({ length: query.days }, (_, i) => {
        const d = day(i);
        return {
          date: d.date,
          min: temperature(d.mean - d.spread / 2),
          max: temperature(d.mean + d.spread / 2),
          precipitation: imperial ? Math.round((d.mm / 25.4) * 100) / 100 : d.mm,
          condition: describeWeatherCode(d.code),
          weatherCode: d.code,
        };
      }),
      units: query.units,
      unitLabels: { ...UNIT_LABELS[query.units] },
      source: this.source,
      note: `Simulated weather (WEATHER_PROVIDER=simulated); the place and its coordinates are real (GeoNames).${resolution}`,
    };
  }

  /** About 28 °C at the equator falling towards the poles, with a season that peaks in July north and January south. */
  private meanTemperature(latitude: number, time: number): number {
    const dayOfYear = (time - Date.UTC(new Date(time).getUTCFullYear(), 0, 1)) / DAY_MS;
    const season = Math.cos(((dayOfYear - 196) / 365.25) * 2 * Math.PI) * Math.sign(latitude);
    const a = Math.abs(latitude);
    return 28 - 0.1 * a - 0.006 * a * a + season * (a / 90) * 18;
  }
}
