import { InvalidArgumentsError, Tool, type ToolArguments, type ToolHandler } from '@app/tools';

function numbers(data: unknown[], field?: string): number[] {
  return data.map((item, i) => {
    const v = field ? (item as Record<string, unknown>)?.[field] : item;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentsError(
        `arguments.data[${i}]${field ? `.${field}` : ''} is not a number`,
        [{ field: `arguments.data[${i}]`, message: 'not a number' }],
      );
    }
    return v;
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 1) return sorted[0];
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  return sorted[lo] + (sorted[Math.ceil(rank)] - sorted[lo]) * (rank - lo);
}

@Tool({
  name: 'data_processor',
  title: 'Data processor',
  description: 'Statistics, sorting, filtering, grouping and de-duplication over a JSON array.',
  inputSchema: {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: ['stats', 'sort', 'filter', 'group', 'deduplicate'] },
      data: { type: 'array', maxItems: 1000000, description: 'Numbers or objects' },
      field: { type: 'string' },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
    },
    required: ['operation', 'data'],
    additionalProperties: true,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
})
export class DataProcessorTool implements ToolHandler {
  execute(args: ToolArguments) {
    const data = args.data as unknown[];
    const field = typeof args.field === 'string' ? args.field : undefined;
    switch (args.operation) {
      case 'stats': {
        const xs = numbers(data, field);
        if (xs.length === 0) return { count: 0 };
        const sorted = [...xs].sort((a, b) => a - b);
        const sum = xs.reduce((s, x) => s + x, 0);
        const mean = sum / xs.length;
        const variance =
          xs.length > 1 ? xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) : 0;
        return {
          count: xs.length,
          sum,
          mean,
          median: percentile(sorted, 50),
          min: sorted[0],
          max: sorted[sorted.length - 1],
          stdev: Math.sqrt(variance),
          percentiles: {
            p25: percentile(sorted, 25),
            p75: percentile(sorted, 75),
            p90: percentile(sorted, 90),
          },
        };
      }
      case 'sort': {
        const key = (x: unknown) =>
          (field ? (x as Record<string, unknown>)?.[field] : x) as number | string;
        const dir = args.order === 'desc' ? -1 : 1;
        return {
          items: [...data].sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0)),
        };
      }
      case 'deduplicate': {
        const seen = new Set<string>();
        const items = data.filter((x) => {
          const k = JSON.stringify(field ? (x as Record<string, unknown>)?.[field] : x);
          return seen.has(k) ? false : (seen.add(k), true);
        });
        return { items, removed: data.length - items.length };
      }
      default:
        return { items: data };
    }
  }
}
