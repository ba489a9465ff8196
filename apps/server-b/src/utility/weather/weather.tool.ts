import { createHash } from 'node:crypto';
import { InvalidArgumentsError, Tool, type ToolArguments, type ToolHandler } from '@app/tools';

const CONDITIONS = [
  'Clear sky',
  'Mainly clear',
  'Partly cloudy',
  'Overcast',
  'Light rain',
  'Thunderstorm',
];

function seeded(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

@Tool({
  name: 'get_weather',
  title: 'Weather',
  description: 'Current weather and a daily forecast for a place name or coordinates.',
  inputSchema: {
    type: 'object',
    properties: {
      location: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        description: 'Place name, e.g. Bangkok',
      },
      latitude: { type: 'number', minimum: -90, maximum: 90 },
      longitude: { type: 'number', minimum: -180, maximum: 180 },
      units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' },
      days: {
        type: 'integer',
        minimum: 1,
        maximum: 16,
        default: 3,
        description: 'Forecast days (1-16)',
      },
    },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
})
export class WeatherTool implements ToolHandler {
  execute(args: ToolArguments) {
    const hasCoords = typeof args.latitude === 'number' && typeof args.longitude === 'number';
    if (typeof args.location !== 'string' && !hasCoords) {
      throw new InvalidArgumentsError(
        'arguments.location or arguments.latitude with arguments.longitude is required',
        [{ field: 'arguments.location', message: 'give a location or latitude and longitude' }],
      );
    }
    const name =
      typeof args.location === 'string'
        ? args.location.trim()
        : `${args.latitude},${args.longitude}`;
    const units = args.units === 'imperial' ? 'imperial' : 'metric';
    const days = typeof args.days === 'number' ? args.days : 3;
    const day = new Date().toISOString().slice(0, 10);
    const tempC = (seed: string) => Math.round((5 + seeded(seed) * 30) * 10) / 10;
    const temp = (c: number) => (units === 'imperial' ? Math.round((c * 9) / 5 + 32) : c);
    return {
      location: {
        name,
        latitude: hasCoords ? (args.latitude as number) : 0,
        longitude: hasCoords ? (args.longitude as number) : 0,
      },
      current: {
        temperature: temp(tempC(`${name}:${day}`)),
        humidity: Math.round(30 + seeded(`h:${name}:${day}`) * 60),
        windSpeed: Math.round(seeded(`w:${name}:${day}`) * 300) / 10,
        condition: CONDITIONS[Math.floor(seeded(`c:${name}:${day}`) * CONDITIONS.length)],
      },
      forecast: Array.from({ length: days }, (_, i) => {
        const date = new Date(Date.now() + i * 86_400_000).toISOString().slice(0, 10);
        const a = tempC(`min:${name}:${date}`);
        const b = tempC(`max:${name}:${date}`);
        return {
          date,
          min: temp(Math.min(a, b)),
          max: temp(Math.max(a, b)),
          precipitation: Math.round(seeded(`p:${name}:${date}`) * 200) / 10,
          condition: CONDITIONS[Math.floor(seeded(`c:${name}:${date}`) * CONDITIONS.length)],
        };
      }),
      units,
      source: 'simulated',
    };
  }
}
