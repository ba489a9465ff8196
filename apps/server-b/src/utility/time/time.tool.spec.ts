import { Ajv2020 } from 'ajv/dist/2020.js';
import { InvalidArgumentsError, toolDefinitionOf } from '@app/tools';
import { type ConversionResult, TimeTool } from './time.tool.js';

describe('get_time', () => {
  const tool = new TimeTool();
  const validateOutput = new Ajv2020({ strict: false }).compile(
    toolDefinitionOf(TimeTool)!.outputSchema!,
  );
  const convert = (time: string, timezone: string, targetTimezone = 'UTC') =>
    tool.execute({ operation: 'convert', time, timezone, targetTimezone }) as ConversionResult;

  describe('execute', () => {
    it('gives the current time in the zone with its offset, DST flag and weekday', () => {
      const before = Math.floor(Date.now() / 1000);
      const r = tool.execute({ timezone: 'Asia/Bangkok' });
      expect(r).toMatchObject({ timezone: 'Asia/Bangkok', utcOffset: '+07:00', isDst: false });
      expect('datetime' in r && r.datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      expect('unixTime' in r && r.unixTime).toBeGreaterThanOrEqual(before);
      expect(validateOutput(r)).toBe(true);
    });

    it('defaults to UTC and accepts any letter case', () => {
      const utc = tool.execute({});
      expect(utc).toMatchObject({ timezone: 'UTC', utcOffset: '+00:00' });
      expect('datetime' in utc && utc.datetime).toMatch(/\+00:00$/);
      expect(tool.execute({ timezone: 'asia/tokyo' })).toMatchObject({ timezone: 'Asia/Tokyo' });
    });

    it('refuses an unknown zone naming it, with a close suggestion', () => {
      expect(() => tool.execute({ timezone: 'Asia/Bankok' })).toThrow(
        /arguments\.timezone 'Asia\/Bankok'.*did you mean 'Asia\/Bangkok'/,
      );
      expect(() => tool.execute({ timezone: 'New York' })).toThrow(/America\/New_York/);
      expect(() => tool.execute({ timezone: 'Mars/Olympus_Mons' })).toThrow(InvalidArgumentsError);
    });

    it('refuses offsets and abbreviations, which carry no daylight-saving rules', () => {
      expect(() => tool.execute({ timezone: '+07:00' })).toThrow(InvalidArgumentsError);
      expect(() => tool.execute({ timezone: 'EST' })).toThrow(/not an IANA time zone/);
    });
  });

  describe('convert', () => {
    it('converts an instant with an offset into both zones with the hour difference', () => {
      const r = convert('2026-07-01T12:00:00+07:00', 'Asia/Bangkok', 'America/New_York');
      expect(r.from).toMatchObject({ datetime: '2026-07-01T12:00:00+07:00', isDst: false });
      expect(r.to).toMatchObject({
        datetime: '2026-07-01T01:00:00-04:00',
        utcOffset: '-04:00',
        isDst: true,
        dayOfWeek: 'Wednesday',
      });
      expect(r.differenceHours).toBe(-11);
      expect(r.localTime).toBe('instant');
      expect(validateOutput(r)).toBe(true);
    });

    it('reads a time without offset in the source zone', () => {
      const r = convert('2026-01-15T09:00', 'Europe/London', 'Asia/Tokyo');
      expect(r.from.datetime).toBe('2026-01-15T09:00:00+00:00');
      expect(r.to.datetime).toBe('2026-01-15T18:00:00+09:00');
      expect(r.localTime).toBe('valid');
    });

    it('handles fractional offsets', () => {
      expect(convert('2026-07-01T12:00', 'UTC', 'Asia/Kathmandu').differenceHours).toBe(5.75);
    });

    // Spring-forward gaps: the wall time never happens; it is read past the gap and said so.
    it.each([
      [
        'America/New_York',
        '2026-03-08T02:30',
        '2026-03-08T03:30:00-04:00',
        '2026-03-08T07:30:00+00:00',
      ],
      [
        'Europe/London',
        '2026-03-29T01:30',
        '2026-03-29T02:30:00+01:00',
        '2026-03-29T01:30:00+00:00',
      ],
      [
        'Australia/Sydney',
        '2026-10-04T02:30',
        '2026-10-04T03:30:00+11:00',
        '2026-10-03T16:30:00+00:00',
      ],
      [
        'America/Santiago',
        '2026-09-06T00:30',
        '2026-09-06T01:30:00-03:00',
        '2026-09-06T04:30:00+00:00',
      ],
    ])('%s: %s is a nonexistent local time', (zone, time, from, utc) => {
      const r = convert(time, zone);
      expect(r.localTime).toBe('nonexistent');
      expect(r.note).toContain('does not exist');
      expect(r.from.datetime).toBe(from);
      expect(r.to.datetime).toBe(utc);
      expect(validateOutput(r)).toBe(true);
    });

    // Fall-back overlaps: the wall time happens twice; the earlier is used and both are listed.
    it.each([
      ['America/New_York', '2026-11-01T01:30', '-04:00', '-05:00', '2026-11-01T05:30:00+00:00'],
      ['Europe/London', '2026-10-25T01:30', '+01:00', '+00:00', '2026-10-25T00:30:00+00:00'],
      ['Australia/Sydney', '2026-04-05T02:30', '+11:00', '+10:00', '2026-04-04T15:30:00+00:00'],
      ['America/Santiago', '2026-04-04T23:30', '-03:00', '-04:00', '2026-04-05T02:30:00+00:00'],
    ])('%s: %s is an ambiguous local time', (zone, time, first, second, utc) => {
      const r = convert(time, zone);
      expect(r.localTime).toBe('ambiguous');
      expect(r.note).toContain('happens twice');
      expect(r.alternatives).toEqual([`${time}:00${first}`, `${time}:00${second}`]);
      expect(r.from).toMatchObject({ utcOffset: first, isDst: true });
      expect(r.to.datetime).toBe(utc);
    });

    it('gives the hour difference on each side of a DST change', () => {
      expect(convert('2026-03-07T12:00', 'America/New_York', 'Europe/London').differenceHours).toBe(
        5,
      );
      // Between the US and UK changes the gap is one hour shorter.
      expect(convert('2026-03-10T12:00', 'America/New_York', 'Europe/London').differenceHours).toBe(
        4,
      );
      expect(convert('2026-04-01T12:00', 'America/New_York', 'Europe/London').differenceHours).toBe(
        5,
      );
    });

    it('requires a target zone and a valid ISO time', () => {
      expect(() => tool.execute({ operation: 'convert', timezone: 'UTC' })).toThrow(
        /arguments\.targetTimezone is required/,
      );
      expect(() =>
        tool.execute({ operation: 'convert', time: 'tomorrow', targetTimezone: 'UTC' }),
      ).toThrow(/arguments\.time 'tomorrow' is not an ISO 8601/);
      expect(() =>
        tool.execute({ operation: 'convert', time: '2026-02-30T10:00', targetTimezone: 'UTC' }),
      ).toThrow(InvalidArgumentsError);
    });

    it('accepts a space instead of T', () => {
      expect(convert('2026-01-15 09:00', 'UTC', 'Asia/Bangkok').to.datetime).toBe(
        '2026-01-15T16:00:00+07:00',
      );
    });
  });
});
