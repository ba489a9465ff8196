import { InvalidArgumentsError } from '@app/core';
import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { DateTime, Settings } from 'luxon';
import { isInDst, type LocalTimeStatus, resolveLocalTime, resolveZone } from './time-zones.js';

/** One side of an answer: a moment as seen in one zone. */
export interface ZonedTime {
  timezone: string;
  datetime: string;
  utcOffset: string;
  isDst: boolean;
  dayOfWeek: string;
  unixTime: number;
}

export interface ConversionResult {
  from: ZonedTime;
  to: ZonedTime;
  /** Hours to add to `from`'s wall clock to read `to`'s (fractional for zones like Asia/Kathmandu). */
  differenceHours: number;
  /** `instant` when `time` carried its own offset; otherwise how the local time fell in `timezone`. */
  localTime: LocalTimeStatus | 'instant';
  note?: string;
  /** When ambiguous, both instants the local time could mean, earlier first. */
  alternatives?: string[];
}

// An offset or Z after the time part; a date alone ("2026-03-08") has none.
const HAS_OFFSET = /[T ]\d[^+-]*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

const ZONED_TIME_SCHEMA = {
  type: 'object',
  properties: {
    timezone: { type: 'string' },
    datetime: { type: 'string', description: 'ISO 8601 with offset' },
    utcOffset: { type: 'string', pattern: '^[+-]\\d{2}:\\d{2}$' },
    isDst: { type: 'boolean' },
    dayOfWeek: { type: 'string' },
    unixTime: { type: 'integer' },
  },
  required: ['timezone', 'datetime', 'utcOffset', 'isDst', 'dayOfWeek', 'unixTime'],
};

/** ISO 8601 to the second, always with a numeric offset (`+00:00`, never `Z`). */
function iso(dt: DateTime): string {
  return dt.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

// luxon's weekday numbering: 1 is Monday.
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Zero-padded as luxon pads numbers in `toFormat` (the sign goes before the zeros). */
function pad(n: number, width: number): string {
  const digits = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${digits}` : digits;
}

/** An offset in minutes as luxon's `ZZ` writes it: `+05:45`, `-03:00`, `+00:00`. */
function formatOffset(minutes: number): string {
  const hours = Math.trunc(Math.abs(minutes / 60));
  const rest = Math.trunc(Math.abs(minutes % 60));
  return `${minutes >= 0 ? '+' : '-'}${pad(hours, 2)}:${pad(rest, 2)}`;
}

/**
 * The current time (to the second) in `zone`: the same answer as `zonedTime(DateTime.now()
 * .setZone(zone).startOf('second'))`, with the zone's offset worked out once instead of about
 * ten times (each an `Intl` `formatToParts`) and the text written from the numeric fields.
 */
function currentTime(zone: string): ZonedTime {
  const dt = DateTime.fromMillis(Math.floor(Settings.now() / 1000) * 1000, { zone });
  const offset = formatOffset(dt.offset);
  const date = `${pad(dt.year, 4)}-${pad(dt.month, 2)}-${pad(dt.day, 2)}`;
  const time = `${pad(dt.hour, 2)}:${pad(dt.minute, 2)}:${pad(dt.second, 2)}`;
  return {
    timezone: dt.zoneName ?? 'UTC',
    datetime: `${date}T${time}${offset}`,
    utcOffset: offset,
    isDst: isInDst(dt),
    dayOfWeek: WEEKDAYS[dt.weekday - 1],
    unixTime: dt.toMillis() / 1000,
  };
}

function zonedTime(dt: DateTime): ZonedTime {
  return {
    timezone: dt.zoneName ?? 'UTC',
    datetime: iso(dt),
    utcOffset: dt.toFormat('ZZ'),
    isDst: dt.isInDST,
    dayOfWeek: dt.setLocale('en').weekdayLong ?? '',
    unixTime: Math.floor(dt.toSeconds()),
  };
}

function parseTime(value: string): DateTime {
  const text = value.trim();
  const attempt = (s: string) =>
    HAS_OFFSET.test(s)
      ? DateTime.fromISO(s, { setZone: true })
      : DateTime.fromISO(s, { zone: 'UTC' }); // local fields only; the zone is applied later
  let parsed = attempt(text);
  if (!parsed.isValid && /^\d{4}-\d{2}-\d{2} \d/.test(text))
    parsed = attempt(text.replace(' ', 'T'));
  if (!parsed.isValid) {
    throw new InvalidArgumentsError(
      `arguments.time '${value}' is not an ISO 8601 date-time (e.g. 2026-03-08T02:30 or 2026-03-08T02:30:00-05:00)`,
      [{ field: 'arguments.time', message: parsed.invalidExplanation ?? 'not ISO 8601' }],
    );
  }
  return parsed;
}

@Tool({
  name: 'get_time',
  title: 'Time zones',
  description:
    'Current time in an IANA time zone (execute), or convert a time between two zones (convert), correct across daylight-saving changes.',
  inputSchema: {
    type: 'object',
    properties: {
      operation: {
        type: 'string',
        enum: ['execute', 'convert'],
        default: 'execute',
        description:
          '`execute`: the current time in `timezone`; `convert`: `time` into `targetTimezone`',
      },
      timezone: {
        type: 'string',
        default: 'UTC',
        maxLength: 100,
        description: 'IANA zone, e.g. Asia/Bangkok (default UTC)',
      },
      time: {
        type: 'string',
        maxLength: 64,
        description:
          'ISO 8601 time to convert; without an offset it is read in `timezone` (default: now)',
      },
      targetTimezone: {
        type: 'string',
        maxLength: 100,
        description: 'IANA zone to convert into (required for convert)',
      },
    },
    additionalProperties: false,
    examples: [
      { timezone: 'Asia/Bangkok' },
      {
        operation: 'convert',
        time: '2026-01-15T09:00:00',
        timezone: 'America/New_York',
        targetTimezone: 'Asia/Tokyo',
      },
    ],
  },
  outputSchema: {
    type: 'object',
    properties: {
      ...ZONED_TIME_SCHEMA.properties,
      from: ZONED_TIME_SCHEMA,
      to: ZONED_TIME_SCHEMA,
      differenceHours: { type: 'number' },
      localTime: { type: 'string', enum: ['valid', 'nonexistent', 'ambiguous', 'instant'] },
      note: { type: 'string' },
      alternatives: { type: 'array', items: { type: 'string' } },
    },
    anyOf: [
      { required: ZONED_TIME_SCHEMA.required },
      { required: ['from', 'to', 'differenceHours', 'localTime'] },
    ],
  },
  annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: false },
})
export class TimeTool implements ToolHandler {
  execute(args: ToolArguments): ZonedTime | ConversionResult {
    const from = resolveZone(String(args.timezone ?? 'UTC'), 'arguments.timezone');
    if (args.operation !== 'convert') return currentTime(from);
    if (typeof args.targetTimezone !== 'string') {
      throw new InvalidArgumentsError('arguments.targetTimezone is required for convert', [
        { field: 'arguments.targetTimezone', message: 'required for convert' },
      ]);
    }
    const to = resolveZone(args.targetTimezone, 'arguments.targetTimezone');
    return convert(typeof args.time === 'string' ? args.time : undefined, from, to);
  }
}

/** Converts `time` (or now) from one zone to another, saying when the local time was in a DST gap or overlap. */
export function convert(time: string | undefined, from: string, to: string): ConversionResult {
  let instant: DateTime;
  let localTime: ConversionResult['localTime'] = 'instant';
  let note: string | undefined;
  let alternatives: string[] | undefined;
  const parsed = time === undefined ? DateTime.now().startOf('second') : parseTime(time);
  if (time === undefined || HAS_OFFSET.test(time.trim())) {
    instant = parsed;
  } else {
    const resolved = resolveLocalTime(parsed, from);
    instant = resolved.dateTime;
    localTime = resolved.status;
    const wall = parsed.toFormat("yyyy-MM-dd'T'HH:mm:ss");
    if (resolved.status === 'nonexistent') {
      note = `${wall} does not exist in ${from} (clocks jump forward across it); read as ${iso(instant.setZone(from))}`;
    } else if (resolved.status === 'ambiguous') {
      alternatives = resolved.candidates.map(iso);
      note = `${wall} happens twice in ${from} (clocks fall back); the earlier, ${alternatives[0]}, is used; the later is ${alternatives[1]}`;
    }
  }
  const a = instant.setZone(from);
  const b = instant.setZone(to);
  return {
    from: zonedTime(a),
    to: zonedTime(b),
    differenceHours: (b.offset - a.offset) / 60,
    localTime,
    ...(note ? { note } : {}),
    ...(alternatives ? { alternatives } : {}),
  };
}
