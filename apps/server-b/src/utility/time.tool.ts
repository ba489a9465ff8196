import { InvalidArgumentsError, Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { DateTime, IANAZone } from 'luxon';

function zone(name: unknown, field: string): string {
  const z = typeof name === 'string' ? name.trim() : 'UTC';
  if (!IANAZone.isValidZone(z) || (!z.includes('/') && z !== 'UTC')) {
    throw new InvalidArgumentsError(
      `${field} '${z}' is not an IANA time zone (e.g. Asia/Bangkok)`,
      [{ field, message: 'unknown IANA time zone' }],
    );
  }
  return z;
}

function describe(dt: DateTime) {
  return {
    timezone: dt.zoneName,
    datetime: dt.toISO({ suppressMilliseconds: true }),
    utcOffset: dt.toFormat('ZZ'),
    isDst: dt.isInDST,
    dayOfWeek: dt.setLocale('en').weekdayLong,
    unixTime: Math.floor(dt.toSeconds()),
  };
}

@Tool({
  name: 'get_time',
  title: 'Time zones',
  description: 'Current time in an IANA time zone, or convert a time between two zones.',
  inputSchema: {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: ['execute', 'convert'], default: 'execute' },
      timezone: { type: 'string', default: 'UTC', description: 'IANA zone, e.g. Asia/Bangkok' },
      time: { type: 'string', description: 'ISO 8601 time to convert (convert only)' },
      targetTimezone: { type: 'string', description: 'IANA zone to convert into (convert only)' },
    },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
})
export class TimeTool implements ToolHandler {
  execute(args: ToolArguments) {
    const from = zone(args.timezone, 'arguments.timezone');
    if (args.operation !== 'convert') return describe(DateTime.now().setZone(from));
    const to = zone(args.targetTimezone, 'arguments.targetTimezone');
    const source =
      typeof args.time === 'string'
        ? DateTime.fromISO(args.time, { zone: from, setZone: false })
        : DateTime.now();
    if (!source.isValid) {
      throw new InvalidArgumentsError(
        `arguments.time '${String(args.time)}' is not an ISO 8601 time`,
        [{ field: 'arguments.time', message: 'not ISO 8601' }],
      );
    }
    const a = source.setZone(from);
    const b = source.setZone(to);
    return { from: describe(a), to: describe(b), differenceHours: (b.offset - a.offset) / 60 };
  }
}
