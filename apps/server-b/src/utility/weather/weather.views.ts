import { builtViewFile, type McpAppView } from '@app/mcp';

/** Server B's MCP Apps view, built from apps/server-b/views by `npm run build`. */
export const WEATHER_VIEWS: McpAppView[] = [
  {
    uri: 'ui://weather/forecast',
    name: 'weather-view',
    title: 'Weather',
    description:
      'Current conditions and a chart of the daily forecast (highs, lows, precipitation) in the units asked for.',
    file: builtViewFile('server-b', 'weather'),
    tools: ['get_weather'],
    prefersBorder: true,
  },
];
