import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { InvalidArgumentsError } from '@app/core';
import { toolDefinitionOf } from '@app/tools';
import { DataProcessorTool } from './data-processor.tool.js';
import { CompensatedSum } from './statistics.js';

type Result = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- results are read field by field

function processor(dataMaxItems = 1_000_000): DataProcessorTool {
  return new DataProcessorTool({ dataMaxItems });
}

const tool = processor();
const run = (args: Record<string, unknown>) => tool.execute(args) as Promise<Result>;
const validateOutput = new Ajv2020({ strict: false }).compile(
  toolDefinitionOf(DataProcessorTool)!.outputSchema!,
);

/** The textbook definitions, written plainly, to check the fast code against. */
function naiveStats(xs: number[]) {
  const n = xs.length;
  const sorted = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const ss = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
  const at = (p: number) => {
    const r = (p / 100) * (n - 1);
    return (
      sorted[Math.floor(r)] + (sorted[Math.ceil(r)] - sorted[Math.floor(r)]) * (r - Math.floor(r))
    );
  };
  return {
    mean,
    min: sorted[0],
    max: sorted[n - 1],
    median: at(50),
    p90: at(90),
    populationVariance: ss / n,
    variance: n > 1 ? ss / (n - 1) : null,
  };
}

const close = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('data_processor', () => {
  describe('stats', () => {
    it('gives count, sum, mean, median, min, max, both deviations and percentiles', async () => {
      const r = await run({ operation: 'stats', data: [2, 4, 4, 4, 5, 5, 7, 9] });
      expect(r).toMatchObject({
        count: 8,
        sum: 40,
        mean: 5,
        median: 4.5,
        min: 2,
        max: 9,
        range: 7,
        populationVariance: 4,
        populationStdev: 2,
        variance: 32 / 7,
        missing: 0,
      });
      expect(r.stdev).toBeCloseTo(Math.sqrt(32 / 7), 12);
      expect(r.percentiles).toEqual({
        p25: 4,
        p50: 4.5,
        p75: 5.5,
        p90: expect.closeTo(7.6, 12),
        p95: expect.closeTo(8.3, 12),
        p99: expect.closeTo(8.86, 12),
      });
      expect(validateOutput(r)).toBe(true);
    });

    it('sums without floating-point drift', async () => {
      expect((await run({ operation: 'stats', data: Array(10).fill(0.1) })).sum).toBe(1);
      expect((await run({ operation: 'stats', data: [1e16, 1, -1e16] })).sum).toBe(1);
      const s = new CompensatedSum();
      for (const x of [0.1, 0.2, 0.3]) s.add(x);
      expect(s.value).toBe(0.6);
    });

    it('works on a field of objects, skipping missing values', async () => {
      const r = await run({
        operation: 'stats',
        field: 'price',
        data: [{ price: 10 }, { price: null }, { other: 1 }, { price: 20 }],
      });
      expect(r).toMatchObject({ field: 'price', count: 2, mean: 15, missing: 2 });
    });

    it('answers 400 naming the position of a value that is not a number', async () => {
      await expect(run({ operation: 'stats', data: [1, 2, 'three', 4] })).rejects.toThrow(
        /arguments\.data\[2\] is not a number \("three"\)/,
      );
      await expect(
        run({ operation: 'stats', field: 'v', data: [{ v: 1 }, { v: true }] }),
      ).rejects.toThrow(/arguments\.data\[1\]\.v is not a number/);
      await expect(
        run({ operation: 'stats', field: 'price', data: 'name,price\na,1\nb,n/a\n' }),
      ).rejects.toThrow(/arguments\.data row 2, column 'price' is not a number \("n\/a"\)/);
    });

    it('gives nulls, not NaN, for no numbers at all', async () => {
      const r = await run({ operation: 'stats', data: [] });
      expect(r).toMatchObject({ count: 0, sum: 0, mean: null, stdev: null, percentiles: null });
      expect(validateOutput(r)).toBe(true);
    });

    it('agrees with the textbook definitions on any input (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
            minLength: 1,
            maxLength: 300,
          }),
          async (xs) => {
            const r = await run({ operation: 'stats', data: xs });
            const ref = naiveStats(xs);
            expect(r.count).toBe(xs.length);
            expect(r.min).toBe(ref.min);
            expect(r.max).toBe(ref.max);
            expect(close(r.mean, ref.mean)).toBe(true);
            expect(close(r.median, ref.median)).toBe(true);
            expect(close(r.percentiles.p90, ref.p90)).toBe(true);
            expect(Math.abs(r.populationVariance - ref.populationVariance)).toBeLessThanOrEqual(
              1e-6 * Math.max(1, ref.populationVariance),
            );
          },
        ),
        { numRuns: 200 },
      );
    });

    it('handles more items than one slice (merge sort across slices)', async () => {
      const xs = Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 100_003);
      const r = await run({ operation: 'stats', data: xs });
      expect(r).toMatchObject({ count: 100_003, min: 0, max: 100_002, median: 50_001 });
    });
  });

  describe('CSV', () => {
    const csv = [
      'name,city,amount,note',
      '"Smith, John",Bangkok,10.5,"said ""hi"""',
      'Ann,"Chiang Mai",4,"two',
      'lines"',
      'Bob,Bangkok,,plain',
      '',
    ].join('\r\n');

    it('reads quotes, commas, doubled quotes and newlines inside fields', async () => {
      const r = await run({ operation: 'sort', data: csv, field: 'name' });
      expect(r.items).toEqual([
        { name: 'Ann', city: 'Chiang Mai', amount: 4, note: 'two\r\nlines' },
        { name: 'Bob', city: 'Bangkok', amount: null, note: 'plain' },
        { name: 'Smith, John', city: 'Bangkok', amount: 10.5, note: 'said "hi"' },
      ]);
    });

    it('groups CSV rows and aggregates a column', async () => {
      const r = await run({
        operation: 'group',
        data: csv,
        field: 'city',
        valueField: 'amount',
        aggregate: 'sum',
      });
      expect(r.groups).toEqual([
        { key: 'Bangkok', count: 2, value: 10.5 },
        { key: 'Chiang Mai', count: 1, value: 4 },
      ]);
    });

    it('answers 400 for malformed CSV, saying why', async () => {
      await expect(run({ operation: 'describe', data: 'a,b\n1,2,3\n' })).rejects.toThrow(
        /not valid CSV.*line 2/,
      );
      await expect(run({ operation: 'describe', data: 'a,b\n"open,2\n' })).rejects.toThrow(
        InvalidArgumentsError,
      );
    });

    it('keeps quoted numbers as text but still counts them in stats', async () => {
      const r = await run({ operation: 'describe', data: 'zip,n\n"01234",1\n"10110",2\n' });
      expect(r.columns[0]).toMatchObject({ name: 'zip', type: 'string' });
      expect((await run({ operation: 'stats', data: 'n\n"1"\n"2"\n' })).sum).toBe(3);
    });
  });

  describe('sort', () => {
    it('sorts numbers ascending and descending', async () => {
      expect((await run({ operation: 'sort', data: [3, 1, 2] })).items).toEqual([1, 2, 3]);
      expect((await run({ operation: 'sort', data: [3, 1, 2], order: 'desc' })).items).toEqual([
        3, 2, 1,
      ]);
    });

    it('is stable and puts missing values last in both orders', async () => {
      const data = [
        { k: 2, id: 'a' },
        { id: 'b' },
        { k: 1, id: 'c' },
        { k: 2, id: 'd' },
        { k: 1, id: 'e' },
      ];
      const asc = await run({ operation: 'sort', data, field: 'k' });
      expect(asc.items.map((x: Result) => x.id)).toEqual(['c', 'e', 'a', 'd', 'b']);
      const desc = await run({ operation: 'sort', data, field: 'k', order: 'desc' });
      expect(desc.items.map((x: Result) => x.id)).toEqual(['a', 'd', 'c', 'e', 'b']);
    });

    it('requires a field for objects', async () => {
      await expect(run({ operation: 'sort', data: [{ a: 1 }] })).rejects.toThrow(
        /arguments\.field is required/,
      );
    });

    it('returns an ordered permutation, stable for equal keys (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ k: fc.integer({ min: 0, max: 5 }), id: fc.nat() })),
          fc.constantFrom('asc', 'desc'),
          async (rows, order) => {
            const data = rows.map((r, i) => ({ ...r, id: i }));
            const { items } = await run({ operation: 'sort', data, field: 'k', order });
            expect([...items].sort((a: Result, b: Result) => a.id - b.id)).toEqual(data);
            for (let i = 1; i < items.length; i++) {
              const [a, b] = [items[i - 1], items[i]];
              expect(order === 'asc' ? a.k <= b.k : a.k >= b.k).toBe(true);
              if (a.k === b.k) expect(a.id).toBeLessThan(b.id);
            }
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe('filter', () => {
    const data = [
      { name: 'Alpha', n: 5, tags: ['x'] },
      { name: 'beta', n: 10, tags: ['y'] },
      { name: 'Gamma', n: 15, tags: ['x', 'y'] },
    ];
    it.each([
      ['eq', 'n', 10, ['beta']],
      ['ne', 'n', 10, ['Alpha', 'Gamma']],
      ['gt', 'n', 5, ['beta', 'Gamma']],
      ['gte', 'n', 10, ['beta', 'Gamma']],
      ['lt', 'n', 10, ['Alpha']],
      ['lte', 'n', 10, ['Alpha', 'beta']],
      ['contains', 'name', 'A', ['Alpha', 'beta', 'Gamma']],
      ['contains', 'tags', 'y', ['beta', 'Gamma']],
      ['in', 'name', ['Alpha', 'Gamma'], ['Alpha', 'Gamma']],
    ])('%s on %s', async (operator, field, value, names) => {
      const r = await run({ operation: 'filter', data, field, operator, value });
      expect(r.items.map((x: Result) => x.name)).toEqual(names);
      expect(r.count).toBe(names.length);
    });

    it('filters bare numbers and needs an operator and a value', async () => {
      expect(
        (await run({ operation: 'filter', data: [1, 5, 9], operator: 'gt', value: 4 })).items,
      ).toEqual([5, 9]);
      await expect(run({ operation: 'filter', data: [1], value: 1 })).rejects.toThrow(
        /arguments\.operator is required/,
      );
      await expect(
        run({ operation: 'filter', data: [1], operator: 'in', value: 1 }),
      ).rejects.toThrow(/must be an array/);
    });
  });

  describe('group', () => {
    it('aggregates sum, avg, min, max and count per key, in order of appearance', async () => {
      const data = [
        { team: 'b', pts: 3 },
        { team: 'a', pts: 1 },
        { team: 'b', pts: 5 },
      ];
      const by = async (aggregate: string) =>
        (await run({ operation: 'group', data, field: 'team', valueField: 'pts', aggregate }))
          .groups;
      expect(await by('sum')).toEqual([
        { key: 'b', count: 2, value: 8 },
        { key: 'a', count: 1, value: 1 },
      ]);
      expect((await by('avg'))[0].value).toBe(4);
      expect((await by('min'))[0].value).toBe(3);
      expect((await by('max'))[0].value).toBe(5);
      expect((await by('count'))[0].value).toBe(2);
    });

    it('group sums add up to the total (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              g: fc.constantFrom('a', 'b', 'c', 'd'),
              v: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
            }),
          ),
          async (data) => {
            const r = await run({ operation: 'group', data, field: 'g', valueField: 'v' });
            const total = await run({ operation: 'stats', data, field: 'v' });
            const sum = r.groups.reduce((s: number, g: Result) => s + g.value, 0);
            expect(Math.abs(sum - total.sum)).toBeLessThanOrEqual(1e-6);
            expect(r.groups.reduce((s: number, g: Result) => s + g.count, 0)).toBe(data.length);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('names a non-numeric value by position', async () => {
      await expect(
        run({ operation: 'group', data: [{ g: 1, v: 'x' }], field: 'g', valueField: 'v' }),
      ).rejects.toThrow(/arguments\.data\[0\]\.v is not a number/);
    });
  });

  describe('deduplicate', () => {
    it('removes deep-equal items whatever their key order, keeping the first', async () => {
      const r = await run({
        operation: 'deduplicate',
        data: [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, { a: 2 }, 1, '1', 1],
      });
      expect(r.items).toEqual([{ a: 1, b: [1, 2] }, { a: 2 }, 1, '1']);
      expect(r.removed).toBe(2);
    });

    it('deduplicates by field', async () => {
      const r = await run({
        operation: 'deduplicate',
        field: 'email',
        data: [
          { email: 'a@x', n: 1 },
          { email: 'b@x', n: 2 },
          { email: 'a@x', n: 3 },
        ],
      });
      expect(r.items.map((x: Result) => x.n)).toEqual([1, 2]);
    });
  });

  describe('describe', () => {
    it('gives per-column types, counts and statistics', async () => {
      const r = await run({
        operation: 'describe',
        data: 'id,city,score\n1,BKK,9.5\n2,CNX,\n3,BKK,7\n',
      });
      expect(r.rows).toBe(3);
      expect(r.columns).toEqual([
        expect.objectContaining({ name: 'id', type: 'integer', count: 3, unique: 3 }),
        expect.objectContaining({
          name: 'city',
          type: 'string',
          unique: 2,
          top: [
            { value: 'BKK', count: 2 },
            { value: 'CNX', count: 1 },
          ],
        }),
        expect.objectContaining({ name: 'score', type: 'number', missing: 1 }),
      ]);
      expect(r.columns[2].stats).toMatchObject({ min: 7, max: 9.5, mean: 8.25 });
      expect(validateOutput(r)).toBe(true);
    });
  });

  describe('large inputs', () => {
    it('lets other work run while it processes a million numbers', async () => {
      const data = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_000);
      let turns = 0;
      let running = true;
      const tick = () => {
        turns++;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      const r = await run({ operation: 'stats', data });
      running = false;
      expect(r).toMatchObject({ count: 1_000_000, min: 0, max: 999_999, median: 499_999.5 });
      // Each turn is a moment another request could have been served.
      expect(turns).toBeGreaterThan(20);
      const sorted = await run({ operation: 'sort', data, order: 'desc' });
      expect(sorted.items.slice(0, 2)).toEqual([999_999, 999_998]);
    });
  });

  describe('limits', () => {
    it('refuses more than DATA_MAX_ITEMS items, from JSON or CSV', async () => {
      const small = processor(3);
      await expect(small.execute({ operation: 'stats', data: [1, 2, 3, 4] })).rejects.toThrow(
        /4 items; at most 3 are accepted \(DATA_MAX_ITEMS\)/,
      );
      await expect(small.execute({ operation: 'stats', data: 'n\n1\n2\n3\n4\n' })).rejects.toThrow(
        /DATA_MAX_ITEMS/,
      );
      await expect(small.execute({ operation: 'stats', data: [1, 2, 3] })).resolves.toMatchObject({
        count: 3,
      });
    });
  });
});
