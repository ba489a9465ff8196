import { Inject } from '@nestjs/common';
import { InvalidArgumentsError } from '@app/core';
import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { WEATHER_PROVIDER, type WeatherProvider, type WeatherReport } from './weather.types.js';

const NUMBER = { type: 'number' };
const DAY_SCHEMA = {
  type: 'object',
  properties: {
    date: { type: 'string', description: 'YYYY-MM-DD, local to the place' },
    min: NUMBER,
    max: NUMBER,
    precipitation: NUMBER,
    condition: { type: 'string' },
    weatherCode: { type: 'integer', description: 'WMO 4677 code' },
  },
  required: ['date', 'min', 'max', 'precipitation', 'condition'],
};

@Tool({
  name: 'get_weather',
  title: 'Weather',
  description:
    'Current weather and a daily forecast (1-16 days) for a place name in any language or for coordinates. Open-Meteo by default; WEATHER_PROVIDER=simulated works offline.',
  inputSchema: {
    type: 'object',
    properties: {
      location: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        description:
          'Place name, e.g. Bangkok or "Paris, France"; several matches pick the most populous',
      },
      latitude: {
        type: 'number',
        minimum: -90,
        maximum: 90,
        description: 'With longitude, instead of location',
      },
      longitude: {
        type: 'number',
        minimum: -180,
        maximum: 180,
        description: 'With latitude, instead of location',
      },
      units: {
        type: 'string',
        enum: ['metric', 'imperial'],
        default: 'metric',
        description: 'metric (°C, km/h, mm) or imperial (°F, mph, inch)',
      },
      days: {
        type: 'integer',
        minimum: 1,
        maximum: 16,
        default: 3,
        description: 'Forecast days (1-16)',
      },
    },
    additionalProperties: false,
    examples: [{ location: 'Bangkok', days: 2 }],
  },
  outputSchema: {
    type: 'object',
    properties: {
      location: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          latitude: NUMBER,
          longitude: NUMBER,
          country: { type: 'string' },
          countryCode: { type: 'string' },
          region: { type: 'string' },
          timezone: { type: 'string' },
          population: NUMBER,
        },
        required: ['name', 'latitude', 'longitude'],
      },
      current: {
        type: 'object',
        properties: {
          time: { type: 'string' },
          temperature: NUMBER,
          humidity: NUMBER,
          windSpeed: NUMBER,
          condition: { type: 'string' },
          weatherCode: { type: 'integer' },
        },
        required: ['temperature', 'humidity', 'windSpeed', 'condition'],
      },
      forecast: { type: 'array', items: DAY_SCHEMA },
      units: { type: 'string', enum: ['metric', 'imperial'] },
      unitLabels: {
        type: 'object',
        properties: {
          temperature: { type: 'string' },
          windSpeed: { type: 'string' },
          precipitation: { type: 'string' },
          humidity: { type: 'string' },
        },
      },
      source: { type: 'string' },
      note: { type: 'string' },
    },
    required: ['location', 'current', 'forecast', 'units', 'source'],
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
  offline: { WEATHER_PROVIDER: 'simulated' },
})
export class WeatherTool implements ToolHandler {
  constructor(@Inject(WEATHER_PROVIDER) private readonly provider: WeatherProvider) {}

  execute(args: ToolArguments): Promise<WeatherReport> {
    const location = typeof args.location === 'string' ? args.location.trim() : undefined;
    const hasLatitude = typeof args.latitude === 'number';
    const hasLongitude = typeof args.longitude === 'number';
    if (location !== undefined && (hasLatitude || hasLongitude)) {
      throw new InvalidArgumentsError(
        'give arguments.location or latitude and longitude, not both',
        [{ field: 'arguments.location', message: 'not with coordinates' }],
      );
    }
    if (location === undefined && !(hasLatitude && hasLongitude)) {
      const missing = hasLatitude
        ? 'arguments.longitude'
        : hasLongitude
          ? 'arguments.latitude'
          : 'arguments.location';
      throw new InvalidArgumentsError(
        `${missing} is required: give a location, or latitude and longitude`,
        [{ field: missing, message: 'required' }],
      );
    }
    if (location === '') {
      throw new InvalidArgumentsError('arguments.location is empty', [
        { field: 'arguments.location', message: 'empty' },
      ]);
    }
    return this.provider.report({
      location,
      latitude: hasLatitude ? (args.latitude as number) : undefined,
      longitude: hasLongitude ? (args.longitude as number) : undefined,
      units: args.units === 'imperial' ? 'imperial' : 'metric',
      days: typeof args.days === 'number' ? args.days : 3,
    });
  }
}
