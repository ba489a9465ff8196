// Reads the fenced blocks of the documentation and compares what a command printed with the
// answer shown beside it. The rules are written for people in CONTRIBUTING.md ("Documentation").
import { readFileSync } from 'node:fs';

/** A `<!-- doc-test: ... -->` comment on the line before a block. */
export type Marker =
  | { kind: 'skip'; reason: string }
  | { kind: 'excerpt'; path: string }
  | { kind: 'vary'; fields: string[] };

/** One fenced block of a page. */
export interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  marker?: Marker;
  /** The ```json or ```text block right after this one (blank lines only between): its answer. */
  answer?: Block;
  /** This block is the answer of the block before it. */
  isAnswer: boolean;
}

const MARKER = /^<!--\s*doc-test:\s*(skip|excerpt|vary)\s+(.+?)\s*-->$/;

/** Parses a page's fenced blocks, their markers and which block answers which. */
export function readBlocks(page: string, path: string): Block[] {
  return parseBlocks(page, readFileSync(path, 'utf8'));
}

/** {@link readBlocks} on a page's text. */
export function parseBlocks(page: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let previousEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? parseMarker(lines[before]) : undefined;
    const block: Block = {
      page,
      line: start + 1,
      lang: open[1].toLowerCase(),
      text: body.join('\n'),
      marker,
      isAnswer: false,
    };
    const previous = blocks.at(-1);
    const adjacent = previous !== undefined && before === previousEnd && !previous.isAnswer;
    if (adjacent && !marker && (block.lang === 'json' || block.lang === 'text')) {
      previous.answer = block;
      block.isAnswer = true;
    }
    blocks.push(block);
    previousEnd = i;
  }
  return blocks;
}

function parseMarker(line: string): Marker | undefined {
  const m = MARKER.exec(line.trim());
  if (!m) return undefined;
  const [, kind, arg] = m;
  if (kind === 'skip') return { kind, reason: arg };
  if (kind === 'excerpt') return { kind, path: arg };
  return { kind: 'vary', fields: arg.split(/[\s,]+/).filter(Boolean) };
}

/**
 * Fields whose values change from run to run (clock, uptime, durations), compared by type only
 * wherever they appear. A block adds its own with `<!-- doc-test: vary a,b -->`.
 */
export const VOLATILE_FIELDS = [
  'timestamp',
  'asOf',
  'uptimeSeconds',
  'durationMs',
  'since',
  'until',
];

/** The elision a documented answer may use: `"...": "..."` in an object, `"..."` last in an array. */
export const ELLIPSIS = '...';

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Compares an actual JSON value with a documented one and lists every difference (empty when
 * they agree). Objects have exactly the documented keys unless they hold `"...": "..."`; arrays
 * have exactly the documented items unless the last is `"..."`; fields named in `vary` (and
 * {@link VOLATILE_FIELDS}) need only the same JSON type; everything else must be equal.
 */
export function compareJson(
  actual: unknown,
  expected: unknown,
  vary: ReadonlySet<string> = new Set(),
  path = '$',
): string[] {
  if (kindOf(actual) !== kindOf(expected)) {
    return [`${path}: expected ${kindOf(expected)} ${short(expected)}, got ${short(actual)}`];
  }
  if (Array.isArray(expected)) {
    const items = actual as unknown[];
    const open = expected.at(-1) === ELLIPSIS;
    const shown = open ? expected.slice(0, -1) : expected;
    const problems: string[] = [];
    if (open ? items.length < shown.length : items.length !== shown.length) {
      problems.push(
        `${path}: expected ${open ? 'at least ' : ''}${shown.length} items, got ${items.length}`,
      );
    }
    shown.forEach((item, i) => {
      if (i < items.length) problems.push(...compareJson(items[i], item, vary, `${path}[${i}]`));
    });
    return problems;
  }
  if (kindOf(expected) === 'object') {
    const exp = expected as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    const open = exp[ELLIPSIS] === ELLIPSIS;
    const problems: string[] = [];
    for (const [key, value] of Object.entries(exp)) {
      if (key === ELLIPSIS) continue;
      const at = `${path}.${key}`;
      if (!(key in act)) problems.push(`${at}: missing`);
      else if (vary.has(key) || VOLATILE_FIELDS.includes(key)) {
        if (kindOf(act[key]) !== kindOf(value)) {
          problems.push(`${at}: expected a ${kindOf(value)}, got ${short(act[key])}`);
        }
      } else problems.push(...compareJson(act[key], value, vary, at));
    }
    if (!open) {
      for (const key of Object.keys(act)) {
        if (!(key in exp)) problems.push(`${path}.${key}: not in the documented answer`);
      }
    }
    return problems;
  }
  return actual === expected ? [] : [`${path}: expected ${short(expected)}, got ${short(actual)}`];
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Text as compared: no trailing spaces, no leading or trailing blank lines. */
export function normaliseText(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** Rows as `psql` prints them (aligned, a header, a row count), for ```sql blocks' answers. */
export function psqlTable(rows: Array<Record<string, unknown>>, fields: string[]): string {
  const cell = (v: unknown) => (v === null ? '' : String(v));
  const numeric = fields.map(
    (f) => rows.length > 0 && rows.every((r) => /^-?\d+(\.\d+)?$/.test(cell(r[f]))),
  );
  const widths = fields.map((f) => Math.max(f.length, ...rows.map((r) => cell(r[f]).length)));
  const centre = (text: string, w: number) => {
    const left = Math.floor((w - text.length) / 2);
    return ' '.repeat(left) + text + ' '.repeat(w - text.length - left);
  };
  const line = (cells: string[]) => ` ${cells.join(' | ')} `;
  return [
    line(fields.map((f, i) => centre(f, widths[i]))),
    widths.map((w) => '-'.repeat(w + 2)).join('+'),
    ...rows.map((r) =>
      line(
        fields.map((f, i) =>
          numeric[i] ? cell(r[f]).padStart(widths[i]) : cell(r[f]).padEnd(widths[i]),
        ),
      ),
    ),
    `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`,
  ].join('\n');
}

/** A logical line of a shell block: continuation lines joined, comment-only lines dropped. */
export function shellLines(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    if (current === '' && /^\s*(#.*)?$/.test(raw)) continue;
    if (/\\\s*$/.test(raw)) {
      current += raw.replace(/\\\s*$/, '') + ' ';
      continue;
    }
    current += raw;
    // A quoted argument may span lines (curl -d '{ ... }'): keep reading until quotes balance.
    if (unbalanced(current)) {
      current += '\n';
      continue;
    }
    out.push(current.trim());
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function unbalanced(line: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return false;
  }
  return quote !== undefined;
}

/** `NAME=value ... npm start` or `... npm run start:server-a|b`: what the docs test stands in for. */
export const START_LINE =
  /^((?:[A-Z_][A-Z0-9_]*=(?:'[^']*'|"[^"]*"|\S*)\s+)*)npm (?:start|run start:(server-[ab]))\s*(?:#.*)?$/;
