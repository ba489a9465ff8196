import {
  InvalidArgumentsError,
  PlatformError,
  UpstreamError,
  UpstreamTimeoutError,
} from '@app/core';
import { withOfflineHint } from './offline-hint.js';
import { closestName } from './tool-suggestions.js';

describe('withOfflineHint', () => {
  const offline = { WEATHER_PROVIDER: 'simulated' };

  it("adds the offline setting to a provider's failure, keeping its status, code and details", () => {
    const hinted = withOfflineHint(
      new UpstreamTimeoutError('Open-Meteo did not answer within 5000 ms', { timeoutMs: 5000 }),
      offline,
    ) as PlatformError;
    expect(hinted).toMatchObject({
      status: 504,
      code: 'UPSTREAM_TIMEOUT',
      message:
        'Open-Meteo did not answer within 5000 ms. To answer without the network, start the server with WEATHER_PROVIDER=simulated',
      details: { timeoutMs: 5000, offline },
    });
  });

  it('keeps details that are not an object under cause', () => {
    const hinted = withOfflineHint(new UpstreamError('down', ['a']), offline) as PlatformError;
    expect(hinted.details).toEqual({ cause: ['a'], offline });
  });

  it('leaves every other error as it is', () => {
    const invalid = new InvalidArgumentsError('arguments.days must be <= 16');
    expect(withOfflineHint(invalid, offline)).toBe(invalid);
    const crash = new Error('bug');
    expect(withOfflineHint(crash, offline)).toBe(crash);
  });
});

describe('closestName', () => {
  const names = ['get_weather', 'get_time', 'data_processor', 'text_analyzer'];

  it('finds the name a slip of the keyboard meant', () => {
    expect(closestName('get_wether', names)).toBe('get_weather');
    expect(closestName('GET_TIME', names)).toBe('get_time');
    expect(closestName('dataprocessor', names)).toBe('data_processor');
  });

  it('suggests nothing for a name like none of them', () => {
    expect(closestName('zzzzzzzz', names)).toBeUndefined();
    expect(closestName('get_stock_price', names)).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
