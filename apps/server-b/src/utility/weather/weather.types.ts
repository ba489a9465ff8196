/** What the tool asks a weather provider for. */
export interface WeatherQuery {
  /** A place name in any language, or undefined when coordinates are given. */
  location?: string;
  latitude?: number;
  longitude?: number;
  units: 'metric' | 'imperial';
  /** Forecast days, 1..16. */
  days: number;
}

export interface Place {
  name: string;
  latitude: number;
  longitude: number;
  country?: string;
  countryCode?: string;
  region?: string;
  timezone?: string;
  population?: number;
}

export interface ForecastDay {
  date: string;
  min: number;
  max: number;
  precipitation: number;
  condition: string;
  weatherCode: number;
}

export interface WeatherReport {
  location: Place;
  current: {
    time?: string;
    temperature: number;
    humidity: number;
    windSpeed: number;
    condition: string;
    weatherCode: number;
  };
  forecast: ForecastDay[];
  units: 'metric' | 'imperial';
  unitLabels: { temperature: string; windSpeed: string; precipitation: string; humidity: string };
  source: string;
  /** How an ambiguous place name was resolved, or that values are simulated. */
  note?: string;
}

/** A source of weather: Open-Meteo, or the offline simulation. */
export interface WeatherProvider {
  /** Name used in `source` and in error messages. */
  readonly source: string;
  report(query: WeatherQuery): Promise<WeatherReport>;
}

export const WEATHER_PROVIDER = Symbol('WEATHER_PROVIDER');

export const UNIT_LABELS = {
  metric: { temperature: '°C', windSpeed: 'km/h', precipitation: 'mm', humidity: '%' },
  imperial: { temperature: '°F', windSpeed: 'mph', precipitation: 'inch', humidity: '%' },
} as const;
