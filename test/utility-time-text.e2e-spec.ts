import {
  createTestDatabase,
  http,
  type Json,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import { NO_WEATHER } from './support/open-meteo-fixture.js';

describe('Server B: get_time and text_analyzer over REST', () => {
  let servers: TestServers;
  const call = (name: string, args: Record<string, unknown>) =>
    http<Json>('POST', `${servers.b}/tools/call`, { name, arguments: args });

  beforeAll(async () => {
    servers = await startTestServers(
      await createTestDatabase(),
      { ...NO_WEATHER, TEXT_MAX_CHARS: '1000' },
      ['b'],
    );
  });

  afterAll(async () => {
    await servers?.stop();
  });

  it('publishes an output schema for both tools', async () => {
    const { body } = await http<Json>('GET', `${servers.b}/tools`);
    for (const name of ['get_time', 'text_analyzer']) {
      const tool = body.tools.find((t: Json) => t.name === name);
      expect(tool.outputSchema).toMatchObject({ type: 'object' });
    }
  });

  describe('get_time', () => {
    it('gives the current time in a zone', async () => {
      const { status, body } = await call('get_time', { timezone: 'Asia/Bangkok' });
      expect(status).toBe(200);
      expect(body.result).toMatchObject({
        timezone: 'Asia/Bangkok',
        utcOffset: '+07:00',
        isDst: false,
      });
      expect(Math.abs(body.result.unixTime - Date.now() / 1000)).toBeLessThan(5);
    });

    it('converts across a daylight-saving gap and says so', async () => {
      const { status, body } = await call('get_time', {
        operation: 'convert',
        timezone: 'America/New_York',
        time: '2026-03-08T02:30',
        targetTimezone: 'Asia/Bangkok',
      });
      expect(status).toBe(200);
      expect(body.operation).toBe('convert');
      expect(body.result).toMatchObject({
        localTime: 'nonexistent',
        from: { datetime: '2026-03-08T03:30:00-04:00', isDst: true },
        to: { datetime: '2026-03-08T14:30:00+07:00' },
        differenceHours: 11,
      });
    });

    it('answers 400 naming an unknown zone with a suggestion', async () => {
      const { status, body } = await call('get_time', { timezone: 'Europe/Lodnon' });
      expect(status).toBe(400);
      expect(body.code).toBe('INVALID_ARGUMENTS');
      expect(body.message).toContain("arguments.timezone 'Europe/Lodnon'");
      expect(body.message).toContain('Europe/London');
    });
  });

  describe('text_analyzer', () => {
    it('counts Thai words and sentences and identifies Thai', async () => {
      const { status, body } = await call('text_analyzer', {
        text: 'สวัสดีครับ วันนี้อากาศดีมาก',
      });
      expect(status).toBe(200);
      expect(body.operation).toBe('analyze');
      expect(body.result).toMatchObject({
        words: 7, // สวัสดี|ครับ  วัน|นี้|อากาศ|ดี|มาก
        sentences: 2,
        language: 'th',
        sentiment: { label: 'unsupported' },
      });
    });

    it('scores English sentiment', async () => {
      const { body } = await call('text_analyzer', {
        operation: 'sentiment',
        text: 'What a fantastic, happy day. Everything went great!',
      });
      expect(body.result.language).toBe('en');
      expect(body.result.sentiment.label).toBe('positive');
    });

    it('answers 400 for empty text and for text past TEXT_MAX_CHARS', async () => {
      const empty = await call('text_analyzer', { text: '' });
      expect(empty.status).toBe(400);
      expect(empty.body.message).toContain('arguments.text');
      const blank = await call('text_analyzer', { text: '  ' });
      expect(blank.status).toBe(400);
      const long = await call('text_analyzer', { text: 'a'.repeat(1001) });
      expect(long.status).toBe(400);
      expect(long.body.message).toContain('TEXT_MAX_CHARS');
    });
  });
});
