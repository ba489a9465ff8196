import { InvalidArgumentsError } from '@app/core';
import {
  type Dataset,
  isMissing,
  numbersOf,
  numericField,
  position,
  type Row,
  valueOf,
} from './dataset.js';
import { pause, SLICE, sortItems, sortNumbers } from './slices.js';
import { CompensatedSum, summarize, type Summary } from './statistics.js';

// Bound once: per-item global lookups are slow in vm contexts such as Jest's, where servers run in tests.
const { hasOwn } = Object;
const { isArray } = Array;

export const FILTER_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'in'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export const AGGREGATES = ['sum', 'avg', 'min', 'max', 'count'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** `stats`: descriptive statistics of the numbers at `field` (or of the items), skipping missing values. */
export async function stats(
  dataset: Dataset,
  field?: string,
): Promise<Summary & { missing: number; field?: string }> {
  const column = numericField(dataset, field);
  const { values, missing } = numbersOf(dataset, column);
  return {
    ...(column === undefined ? {} : { field: column }),
    ...(await summarize(values)),
    missing,
  };
}

// Numbers, then text, then booleans, then anything else; missing values always last.
function typeRank(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return 0;
    case 'string':
      return 1;
    case 'boolean':
      return 2;
    default:
      return 3;
  }
}

/** Orders two values of any JSON type; equal ranks of objects keep their order. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  if (ra === 3) return 0;
  const x = a as string | boolean;
  const y = b as string | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `sort`: a stable sort by `field` (or by the items), ascending or descending; missing values last. */
export async function sort(
  dataset: Dataset,
  field: string | undefined,
  order: 'asc' | 'desc',
): Promise<{ items: unknown[]; count: number }> {
  const { items } = dataset;
  if (field === undefined && items.every((x) => typeof x === 'number')) {
    const sorted = await sortNumbers(Float64Array.from(items as number[]));
    if (order === 'desc') sorted.reverse(); // equal numbers are indistinguishable: stability holds
    return { items: Array.from(sorted), count: items.length };
  }
  const keys = items.map((item, i) => valueOf(dataset, item, i, field));
  const direction = order === 'desc' ? -1 : 1;
  const indexes = await sortItems(
    Array.from({ length: items.length }, (_, i) => i),
    (i, j) => {
      const a = keys[i];
      const b = keys[j];
      const ma = isMissing(a);
      const mb = isMissing(b);
      if (ma || mb) return (ma ? 1 : 0) - (mb ? 1 : 0);
      return direction * compareValues(a, b);
    },
  );
  return { items: indexes.map((i) => items[i]), count: items.length };
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // "42" from CSV text and 42 from JSON mean the same to the person filtering.
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined && (typeof a === 'number' || typeof b === 'number'))
    return x === y;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object')
    return canonical(a) === canonical(b);
  return false;
}

function ordered(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = asNumber(a);
  const y = asNumber(b);
  return x === undefined || y === undefined ? undefined : x - y;
}

function matcher(operator: FilterOperator, value: unknown): (v: unknown) => boolean {
  switch (operator) {
    case 'eq':
      return (v) => equal(v, value);
    case 'ne':
      return (v) => !equal(v, value);
    case 'gt':
      return (v) => (ordered(v, value) ?? NaN) > 0;
    case 'gte':
      return (v) => (ordered(v, value) ?? NaN) >= 0;
    case 'lt':
      return (v) => (ordered(v, value) ?? NaN) < 0;
    case 'lte':
      return (v) => (ordered(v, value) ?? NaN) <= 0;
    case 'contains': {
      const needle = String(value).toLowerCase();
      return (v) =>
        typeof v === 'string'
          ? v.toLowerCase().includes(needle)
          : isArray(v) && v.some((x) => equal(x, value));
    }
    case 'in': {
      if (!Array.isArray(value)) {
        throw new InvalidArgumentsError("arguments.value must be an array for operator 'in'", [
          { field: 'arguments.value', message: 'not an array' },
        ]);
      }
      return (v) => value.some((x) => equal(v, x));
    }
  }
}

/** `filter`: the items whose `field` (or themselves) match `operator` and `value`, in order. */
export function filter(
  dataset: Dataset,
  field: string | undefined,
  operator: FilterOperator,
  value: unknown,
): { items: unknown[]; count: number; removed: number } {
  if (value === undefined) {
    throw new InvalidArgumentsError('arguments.value is required for filter', [
      { field: 'arguments.value', message: 'required for filter' },
    ]);
  }
  const matches = matcher(operator, value);
  const items = dataset.items.filter((item, i) => matches(valueOf(dataset, item, i, field)));
  return { items, count: items.length, removed: dataset.items.length - items.length };
}

/** A string that is equal for deep-equal JSON values (object keys sorted). */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return `${typeof value}:${String(value)}`;
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface Group {
  key: unknown;
  count: number;
  value: number | null;
}

/** `group`: items grouped by `field`, with `aggregate` of `valueField` per group, in order of first appearance. */
export async function group(
  dataset: Dataset,
  field: string,
  valueField: string | undefined,
  aggregate: Aggregate,
): Promise<{
  groups: Group[];
  count: number;
  field: string;
  valueField?: string;
  aggregate: Aggregate;
}> {
  if (aggregate !== 'count' && valueField === undefined) {
    throw new InvalidArgumentsError(
      `arguments.valueField is required for aggregate '${aggregate}'`,
      [{ field: 'arguments.valueField', message: `required for ${aggregate}` }],
    );
  }
  interface Bucket {
    key: unknown;
    count: number;
    numbers: number;
    sum: CompensatedSum;
    min: number;
    max: number;
  }
  const buckets = new Map<unknown, Bucket>();
  const { items } = dataset;
  for (let i = 0; i < items.length; i++) {
    const key = valueOf(dataset, items[i], i, field) ?? null;
    const id = key !== null && typeof key === 'object' ? canonical(key) : key;
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = {
        key,
        count: 0,
        numbers: 0,
        sum: new CompensatedSum(),
        min: Infinity,
        max: -Infinity,
      };
      buckets.set(id, bucket);
    }
    bucket.count++;
    if (aggregate !== 'count' && valueField !== undefined) {
      const raw = valueOf(dataset, items[i], i, valueField);
      if (!isMissing(raw)) {
        const n = asNumber(raw);
        if (n === undefined || (typeof raw === 'string' && dataset.format === 'json')) {
          throw new InvalidArgumentsError(
            `${position(dataset, i, valueField)} is not a number (${JSON.stringify(raw)})`,
            [{ field: position(dataset, i, valueField), message: 'not a number', index: i }],
          );
        }
        bucket.numbers++;
        bucket.sum.add(n);
        if (n < bucket.min) bucket.min = n;
        if (n > bucket.max) bucket.max = n;
      }
    }
    if (i % SLICE === SLICE - 1) await pause();
  }
  const groups = [...buckets.values()].map((b) => ({
    key: b.key,
    count: b.count,
    value: aggregateOf(b, aggregate),
  }));
  return {
    groups,
    count: groups.length,
    field,
    ...(valueField === undefined ? {} : { valueField }),
    aggregate,
  };
}

function aggregateOf(
  b: { count: number; numbers: number; sum: CompensatedSum; min: number; max: number },
  aggregate: Aggregate,
): number | null {
  switch (aggregate) {
    case 'count':
      return b.count;
    case 'sum':
      return b.sum.value;
    case 'avg':
      return b.numbers === 0 ? null : b.sum.value / b.numbers;
    case 'min':
      return b.numbers === 0 ? null : b.min;
    case 'max':
      return b.numbers === 0 ? null : b.max;
  }
}

/** `deduplicate`: the first item of each distinct whole item (deep equality) or `field` value. */
export function deduplicate(
  dataset: Dataset,
  field: string | undefined,
): { items: unknown[]; count: number; removed: number } {
  const seen = new Set<unknown>();
  const items = dataset.items.filter((item, i) => {
    const v = valueOf(dataset, item, i, field);
    const id = v !== null && typeof v === 'object' ? canonical(v) : v;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { items, count: items.length, removed: dataset.items.length - items.length };
}

export interface ColumnDescription {
  name: string;
  /** The one type of the present values, `mixed` when there are several, `empty` when none. */
  type: string;
  types: Record<string, number>;
  count: number;
  missing: number;
  unique: number;
  stats?: Pick<Summary, 'sum' | 'mean' | 'median' | 'min' | 'max' | 'stdev'>;
  minLength?: number;
  maxLength?: number;
  top?: Array<{ value: unknown; count: number }>;
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (isArray(v)) return 'array';
  return typeof v === 'number' && v % 1 === 0 ? 'integer' : typeof v;
}

/** `describe`: per column (or for the items themselves), the types present, counts and statistics. */
export async function describe(
  dataset: Dataset,
): Promise<{ rows: number; columns: ColumnDescription[] }> {
  const { items } = dataset;
  const objects = items.length > 0 && items.every((x) => x && typeof x === 'object' && !isArray(x));
  let names = dataset.columns ?? ['value'];
  if (objects && !dataset.columns) {
    const keys = new Set<string>();
    for (const x of items) for (const key in x as Row) if (hasOwn(x as Row, key)) keys.add(key);
    names = [...keys];
  }
  const columns: ColumnDescription[] = [];
  for (const name of names) {
    const read = (x: unknown) =>
      objects ? (hasOwn(x as Row, name) ? (x as Row)[name] : undefined) : x;
    const types: Record<string, number> = {};
    const counts = new Map<unknown, { value: unknown; count: number }>();
    const numbers: number[] = [];
    let missing = 0;
    let minLength = Infinity;
    let maxLength = -Infinity;
    for (let i = 0; i < items.length; i++) {
      const v = read(items[i]);
      const t = jsonType(v);
      if (t === 'null') {
        missing++;
        continue;
      }
      types[t] = (types[t] ?? 0) + 1;
      if (typeof v === 'number') numbers.push(v);
      if (typeof v === 'string') {
        if (v.length < minLength) minLength = v.length;
        if (v.length > maxLength) maxLength = v.length;
      }
      const id = v !== null && typeof v === 'object' ? canonical(v) : v;
      const entry = counts.get(id);
      if (entry) entry.count++;
      else counts.set(id, { value: v, count: 1 });
      if (i % SLICE === SLICE - 1) await pause();
    }
    const present = Object.keys(types);
    const merged = present.length === 2 && types.integer && types.number ? 'number' : present[0];
    const column: ColumnDescription = {
      name,
      type:
        present.length === 0
          ? 'empty'
          : present.length === 1 || merged === 'number'
            ? merged
            : 'mixed',
      types,
      count: items.length - missing,
      missing,
      unique: counts.size,
    };
    if (numbers.length > 0) {
      const s = await summarize(Float64Array.from(numbers));
      column.stats = {
        sum: s.sum,
        mean: s.mean,
        median: s.median,
        min: s.min,
        max: s.max,
        stdev: s.stdev,
      };
    }
    if (types.string) {
      column.minLength = minLength;
      column.maxLength = maxLength;
    }
    if (counts.size < items.length - missing) {
      column.top = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, 5);
    }
    columns.push(column);
  }
  return { rows: items.length, columns };
}
