import { InvalidArgumentsError } from '@app/core';
import { DateTime, IANAZone, type Zone } from 'luxon';

// Node's ICU lists canonical zone ids only; UTC and the Etc aliases are valid IANA names too.
const KNOWN_ZONES = [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC', 'GMT'];
const BY_LOWER = new Map(KNOWN_ZONES.map((z) => [z.toLowerCase(), z]));

/**
 * Resolves a user-supplied IANA time zone name to its canonical spelling, or throws a 400
 * naming the field and, when one is close, suggesting a real zone. Offsets ("+07:00") and
 * abbreviations ("ICT", "EST") are refused: they do not know daylight-saving rules.
 */
export function resolveZone(value: string, field: string): string {
  const name = value.trim();
  const known = BY_LOWER.get(name.toLowerCase());
  if (known) return known;
  // Valid IANA links that ICU does not list (Asia/Kolkata, US/Eastern...) are accepted as typed.
  if (name.includes('/') && IANAZone.isValidZone(name)) return name;
  const suggestion = suggestZone(name);
  throw new InvalidArgumentsError(
    `${field} '${name}' is not an IANA time zone (Area/Location, e.g. Asia/Bangkok)` +
      (suggestion ? `; did you mean '${suggestion}'?` : ''),
    [{ field, message: 'unknown IANA time zone', ...(suggestion ? { suggestion } : {}) }],
  );
}

/** The known zone closest to `input` by edit distance, on the whole name or its city part. */
export function suggestZone(input: string): string | undefined {
  const wanted = input.trim().toLowerCase().replace(/\s+/g, '_');
  if (!wanted) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const zone of KNOWN_ZONES) {
    const lower = zone.toLowerCase();
    const city = lower.slice(lower.lastIndexOf('/') + 1);
    const d = Math.min(levenshtein(wanted, lower), levenshtein(wanted, city));
    if (d < bestDistance) {
      bestDistance = d;
      best = zone;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j] + 1,
        row[j - 1] + 1,
        prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length];
}

/** How a local wall-clock time maps onto real instants in a zone. */
export type LocalTimeStatus = 'valid' | 'nonexistent' | 'ambiguous';

export interface ResolvedLocalTime {
  /** The instant chosen (Temporal's "compatible" rule: earlier of two, or shifted past a gap). */
  dateTime: DateTime;
  status: LocalTimeStatus;
  /** Every instant the wall time could mean: two when ambiguous, none when it does not exist. */
  candidates: DateTime[];
}

/**
 * Reads a wall-clock time (given as a DateTime in UTC holding the local fields) in `zone`,
 * detecting daylight-saving gaps and overlaps instead of silently picking one.
 */
export function resolveLocalTime(wall: DateTime, zone: string): ResolvedLocalTime {
  const tz = IANAZone.create(zone);
  const local = wall.toMillis();
  const day = 86_400_000;
  const offsets = new Set([tz.offset(local - day), tz.offset(local), tz.offset(local + day)]);
  const instants = [...offsets]
    .map((offset) => local - offset * 60_000)
    .filter((instant) => tz.offset(instant) * 60_000 === local - instant)
    .sort((a, b) => a - b);
  const candidates = [...new Set(instants)].map((ms) => DateTime.fromMillis(ms, { zone }));
  if (candidates.length === 1) return { dateTime: candidates[0], status: 'valid', candidates };
  if (candidates.length > 1) return { dateTime: candidates[0], status: 'ambiguous', candidates };
  // In a spring-forward gap: read the time with the offset in force before the gap, which
  // lands as far past the transition as the wall time was into the gap.
  const before = tz.offset(local - day);
  return {
    dateTime: DateTime.fromMillis(local - before * 60_000, { zone }),
    status: 'nonexistent',
    candidates,
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Per zone, the offset it keeps all around a date (keyed yyyymmdd), or null when it changes near it. */
const steadyOffsets = new WeakMap<Zone, Map<number, number | null>>();

/**
 * Exactly what luxon's `DateTime#isInDST` answers, without the two to four offset look-ups
 * (each an `Intl` `formatToParts`) it makes on every call. luxon calls a time daylight-saving
 * when its offset is above the zone's offset at the same wall-clock time on 1 January or on
 * the same day of May of that year (so Europe/Dublin's "negative DST" counts the summer as
 * DST, as luxon sees it). Those two reference offsets are remembered per zone and date
 * whenever the zone keeps one offset all around that date, as it does on nearly every date;
 * when a change falls near one of them, luxon itself is asked.
 */
export function isInDst(dt: DateTime): boolean {
  if (!dt.isValid || dt.isOffsetFixed) return dt.isInDST;
  const january = steadyOffset(dt.zone, dt.year, 1, 1);
  const may = steadyOffset(dt.zone, dt.year, 5, dt.day); // May has 31 days, luxon keeps the day
  if (january === null || may === null) return dt.isInDST;
  return dt.offset > january || dt.offset > may;
}

/**
 * The offset `zone` has at every instant luxon may look at to place a wall-clock time on
 * `year-month-day` (that day widened by a day each side, as offsets stay within ±24 h), or
 * null if the offset changes there. Sampled every 6 hours: no zone has two changes that close
 * together (the shortest stretch between offset changes in tzdata since 1900 is about 4 days,
 * Africa/Freetown in 1939), so equal samples mean one offset throughout.
 */
function steadyOffset(zone: Zone, year: number, month: number, day: number): number | null {
  let byDate = steadyOffsets.get(zone);
  if (!byDate) steadyOffsets.set(zone, (byDate = new Map()));
  const key = year * 10_000 + month * 100 + day;
  let offset = byDate.get(key);
  if (offset === undefined) {
    const midnight = new Date(0);
    midnight.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0-99 as 19xx
    const from = midnight.getTime() - DAY;
    offset = zone.offset(from);
    for (let t = from + 6 * HOUR; t <= from + 3 * DAY && offset !== null; t += 6 * HOUR) {
      if (zone.offset(t) !== offset) offset = null;
    }
    if (byDate.size >= 64) byDate.clear(); // a year's January plus the last few weeks' days
    byDate.set(key, offset);
  }
  return offset;
}
