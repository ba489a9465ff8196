import { InvalidArgumentsError } from '@app/core';
import { CsvError, parse } from 'csv-parse/sync';

export type Row = Record<string, unknown>;

// Bound once: per-item global lookups are slow in vm contexts such as Jest's, where servers run in tests.
const { hasOwn } = Object;
const { isArray } = Array;

/** The items of one call, from a JSON array or CSV text, with how to name each one in errors. */
export interface Dataset {
  items: unknown[];
  format: 'json' | 'csv';
  /** CSV header, in order. */
  columns?: string[];
}

// Unquoted CSV cells that read as numbers become numbers; "007" stays text like a spreadsheet would not.
const CSV_NUMBER = /^[-+]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$|^[-+]?0?\.\d+$/;

/** Reads `data` (a JSON array, or CSV text with a header row) into items, at most `maxItems`. */
export function readDataset(data: unknown, maxItems: number): Dataset {
  if (Array.isArray(data)) {
    if (data.length > maxItems) throw tooMany(data.length, maxItems);
    return { items: data, format: 'json' };
  }
  if (typeof data !== 'string') {
    throw new InvalidArgumentsError('arguments.data must be a JSON array or CSV text', [
      { field: 'arguments.data', message: 'not an array or a string' },
    ]);
  }
  let columns: string[] = [];
  let rows: Row[];
  try {
    rows = parse(data, {
      bom: true,
      columns: (header: string[]) => (columns = header.map((h) => h.trim())),
      skip_empty_lines: true,
      trim: true,
      to: maxItems + 1,
      cast: (value, context) => {
        if (context.header || context.quoting) return value;
        if (value === '') return null;
        return CSV_NUMBER.test(value) ? Number(value) : value;
      },
    }) as Row[];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    throw new InvalidArgumentsError(`arguments.data is not valid CSV: ${err.message}`, [
      { field: 'arguments.data', message: err.code },
    ]);
  }
  if (rows.length > maxItems) throw tooMany(`more than ${maxItems}`, maxItems);
  return { items: rows, format: 'csv', columns };
}

function tooMany(count: number | string, maxItems: number): InvalidArgumentsError {
  return new InvalidArgumentsError(
    `arguments.data has ${count} items; at most ${maxItems} are accepted (DATA_MAX_ITEMS)`,
    [{ field: 'arguments.data', message: `at most ${maxItems} items` }],
  );
}

/** How an error names item `index` (and its `field`): `arguments.data[3].price` or `arguments.data row 4, column 'price'`. */
export function position(dataset: Dataset, index: number, field?: string): string {
  if (dataset.format === 'csv') {
    return `arguments.data row ${index + 1}${field === undefined ? '' : `, column '${field}'`}`;
  }
  return `arguments.data[${index}]${field === undefined ? '' : `.${field}`}`;
}

/** The value an operation reads from an item: the item itself, or its own property `field`. */
export function valueOf(dataset: Dataset, item: unknown, index: number, field?: string): unknown {
  if (field === undefined) return item;
  if (item === null || typeof item !== 'object' || isArray(item)) {
    throw new InvalidArgumentsError(
      `${position(dataset, index)} is not an object, so it has no field '${field}'`,
      [{ field: position(dataset, index), message: 'not an object' }],
    );
  }
  return hasOwn(item, field) ? (item as Row)[field] : undefined;
}

/** Missing values (absent, null, empty CSV cell) are skipped by statistics and sorted last. */
export function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/**
 * The numbers at `field` (or the items themselves), as a Float64Array for fast sorting.
 * Missing values are skipped and counted; anything else that is not a finite number is a 400
 * naming its position (CSV text that reads as a number is accepted).
 */
export function numbersOf(
  dataset: Dataset,
  field?: string,
): { values: Float64Array; missing: number } {
  const { items } = dataset;
  const values = new Float64Array(items.length);
  let count = 0;
  for (let i = 0; i < items.length; i++) {
    const v = field === undefined ? items[i] : valueOf(dataset, items[i], i, field);
    if (typeof v === 'number') {
      values[count++] = v;
      continue;
    }
    if (isMissing(v)) continue;
    const n = dataset.format === 'csv' && typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw notANumber(dataset, i, field, v);
    values[count++] = n;
  }
  return { values: values.subarray(0, count), missing: items.length - count };
}

function notANumber(
  dataset: Dataset,
  index: number,
  field: string | undefined,
  value: unknown,
): InvalidArgumentsError {
  const where = position(dataset, index, field);
  const shown = JSON.stringify(value) ?? String(value);
  return new InvalidArgumentsError(
    `${where} is not a number (${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown})`,
    [{ field: where, message: 'not a number', index }],
  );
}

/** The field to read numbers from: the one given, or the only column of a one-column CSV. */
export function numericField(dataset: Dataset, field: string | undefined): string | undefined {
  if (field !== undefined) return field;
  if (dataset.format === 'csv') {
    if (dataset.columns?.length === 1) return dataset.columns[0];
    throw new InvalidArgumentsError('arguments.field is required: name the CSV column to use', [
      { field: 'arguments.field', message: `one of ${(dataset.columns ?? []).join(', ')}` },
    ]);
  }
  return undefined;
}
