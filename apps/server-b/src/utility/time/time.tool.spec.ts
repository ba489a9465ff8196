import { Ajv2020 } from 'ajv/dist/2020.js';
import { InvalidArgumentsError } from '@app/core';
import { toolDefinitionOf } from '@app/tools';
import { DateTime, IANAZone, Settings } from 'luxon';
import { resolveZone } from './time-zones.js';
import { type ConversionResult, TimeTool, type ZonedTime } from './time.tool.js';

/** The current time as `execute` first computed it: plainly with luxon, every field its own call. */
function referenceCurrentTime(timezone: string): ZonedTime {
  const dt = DateTime.now().setZone(resolveZone(timezone, 'timezone')).startOf('second');
  return {
    timezone: dt.zoneName ?? 'UTC',
    datetime: dt.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ"),
    utcOffset: dt.toFormat('ZZ'),
    isDst: dt.isInDST,
    dayOfWeek: dt.setLocale('en').weekdayLong ?? '',
    unixTime: Math.floor(dt.toSeconds()),
  };
}

/** Every instant in [from, to) at which `zone` changes offset (the first millisecond of the new one). */
function offsetChanges(zone: string, from: number, to: number): number[] {
  const tz = IANAZone.create(zone);
  const step = 14 * 86_400_000; // offsets last longer than that (Morocco's Ramadan: about a month)
  const changes: number[] = [];
  let offset = tz.offset(from);
  for (let t = from; t < to; t += step) {
    const next = tz.offset(t + step);
    if (next === offset) continue;
    offset = next;
    let [lo, hi] = [t, t + step]; // offset(lo) is the old one, offset(hi) the new one
    const before = tz.offset(lo);
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (tz.offset(mid) === before) lo = mid;
      else hi = mid;
    }
    changes.push(hi);
  }
  return changes;
}

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

    describe('at a given instant', () => {
      const realNow = Settings.now;
      const at = (iso: string) => {
        const ms = Date.parse(iso);
        Settings.now = () => ms;
      };
      afterEach(() => {
        Settings.now = realNow;
      });

      it('reads the clock to the second, across a DST change', () => {
        at('2026-03-29T00:59:59.999Z');
        expect(tool.execute({ timezone: 'Europe/London' })).toEqual({
          timezone: 'Europe/London',
          datetime: '2026-03-29T00:59:59+00:00',
          utcOffset: '+00:00',
          isDst: false,
          dayOfWeek: 'Sunday',
          unixTime: 1774745999,
        });
        at('2026-03-29T01:00:00.000Z');
        expect(tool.execute({ timezone: 'Europe/London' })).toMatchObject({
          datetime: '2026-03-29T02:00:00+01:00',
          isDst: true,
        });
        at('2026-12-31T23:30:00.500Z');
        expect(tool.execute({ timezone: 'Asia/Kathmandu' })).toMatchObject({
          datetime: '2027-01-01T05:15:00+05:45',
          dayOfWeek: 'Friday',
          unixTime: 1798759800,
        });
        // In luxon's view Dublin's summer is DST, although Irish law calls winter the exception.
        at('2026-07-01T12:00:00Z');
        expect(tool.execute({ timezone: 'Europe/Dublin' })).toMatchObject({ isDst: true });
      });

      // execute writes its fields by hand from one luxon DateTime and caches the reference offsets
      // luxon's isInDST compares with; this holds it to the plain luxon computation for every zone:
      // around each change of offset in 2019-2028 (Morocco's Ramadan ones fall in May some years,
      // the month luxon compares with), around new year (local and UTC) and at instants spread
      // over 1900-2100 (Liberia kept -00:44:30 until 1972: luxon writes it as -00:44).
      it('says exactly what the plain luxon computation says, for every zone', () => {
        const zones = [
          ...Intl.supportedValuesOf('timeZone'),
          ...['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT+5', 'Asia/Kolkata', 'US/Eastern', 'europe/london'],
        ];
        let seed = 20260101;
        const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
        const [from, to] = [Date.UTC(1900, 0, 1), Date.UTC(2100, 0, 1)];
        const everywhere = ['1971-06-01T00:00:00Z', '2019-03-15T12:00:00Z', '2020-05-20T12:00:00Z'];
        let compared = 0;
        const mismatches: string[] = [];
        for (const zone of zones) {
          const name = resolveZone(zone, 'timezone');
          const tz = IANAZone.create(name);
          const instants = everywhere.map((iso) => Date.parse(iso));
          for (const change of offsetChanges(name, Date.UTC(2019, 0, 1), Date.UTC(2029, 0, 1))) {
            instants.push(change - 1000, change, change + 3_600_000);
          }
          for (const year of [2026, 2038]) {
            const utcMidnight = Date.UTC(year, 0, 1);
            const localMidnight = utcMidnight - tz.offset(utcMidnight) * 60_000;
            for (const midnight of [utcMidnight, localMidnight]) {
              instants.push(midnight - 1, midnight);
            }
          }
          for (let i = 0; i < 10; i++) instants.push(from + Math.floor(random() * (to - from)));
          for (const instant of instants) {
            Settings.now = () => instant;
            const got = tool.execute({ timezone: zone });
            const want = referenceCurrentTime(zone);
            compared++;
            // Compared as JSON, as the answer is sent: key order counts too.
            if (JSON.stringify(got) !== JSON.stringify(want)) {
              mismatches.push(
                `${zone} @ ${new Date(instant).toISOString()}: ${JSON.stringify(got)}`,
              );
            }
          }
        }
        expect({ count: mismatches.length, first: mismatches.slice(0, 5) }).toEqual({
          count: 0,
          first: [],
        });
        expect(compared).toBeGreaterThan(10_000);
      });
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
