import { Inject } from '@nestjs/common';
import { InvalidArgumentsError } from '@app/core';
import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { type UtilityConfig, utilityConfig } from '../../config/utility.config.js';
import { readDataset } from './dataset.js';
import {
  type Aggregate,
  AGGREGATES,
  deduplicate,
  describe,
  filter,
  FILTER_OPERATORS,
  type FilterOperator,
  group,
  sort,
  stats,
} from './operations.js';

const OPERATIONS = ['stats', 'sort', 'filter', 'group', 'deduplicate', 'describe'] as const;

const NUMBER_OR_NULL = { type: ['number', 'null'] };

@Tool({
  name: 'data_processor',
  title: 'Data processor',
  description:
    'Statistics, sorting, filtering, grouping, de-duplication and column descriptions over a JSON array (numbers or objects) or CSV text with a header row.',
  inputSchema: {
    type: 'object',
    properties: {
      operation: {
        type: 'string',
        enum: [...OPERATIONS],
        description: 'stats, sort, filter, group, deduplicate or describe',
      },
      data: {
        type: ['array', 'string'],
        description:
          'A JSON array of numbers or objects, or CSV text whose first row is the header',
      },
      field: {
        type: 'string',
        minLength: 1,
        description:
          'Object property or CSV column to work on (stats, sort, filter, group key, deduplicate)',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort order' },
      operator: {
        type: 'string',
        enum: [...FILTER_OPERATORS],
        description:
          'filter: eq, ne, gt, gte, lt, lte, contains (text, case-insensitive, or array member), in (value is an array)',
      },
      value: { description: 'filter: the value to compare with' },
      valueField: { type: 'string', minLength: 1, description: 'group: the field to aggregate' },
      aggregate: {
        type: 'string',
        enum: [...AGGREGATES],
        description:
          'group: sum, avg, min, max or count (default: sum with valueField, else count)',
      },
    },
    required: ['operation', 'data'],
    additionalProperties: false,
    examples: [
      { operation: 'stats', data: [3, 1, 4, 1, 5, 9, 2, 6] },
      {
        operation: 'group',
        data: 'region,sales\nnorth,10\nsouth,7\nnorth,5',
        field: 'region',
        valueField: 'sales',
      },
    ],
  },
  outputSchema: {
    type: 'object',
    properties: {
      field: { type: 'string' },
      count: { type: 'integer' },
      missing: { type: 'integer' },
      sum: { type: 'number' },
      mean: NUMBER_OR_NULL,
      median: NUMBER_OR_NULL,
      min: NUMBER_OR_NULL,
      max: NUMBER_OR_NULL,
      range: NUMBER_OR_NULL,
      variance: NUMBER_OR_NULL,
      stdev: NUMBER_OR_NULL,
      populationVariance: NUMBER_OR_NULL,
      populationStdev: NUMBER_OR_NULL,
      percentiles: {
        type: ['object', 'null'],
        properties: Object.fromEntries(
          ['p25', 'p50', 'p75', 'p90', 'p95', 'p99'].map((p) => [p, { type: 'number' }]),
        ),
      },
      items: { type: 'array' },
      removed: { type: 'integer' },
      groups: {
        type: 'array',
        items: {
          type: 'object',
          properties: { key: {}, count: { type: 'integer' }, value: NUMBER_OR_NULL },
          required: ['key', 'count', 'value'],
        },
      },
      valueField: { type: 'string' },
      aggregate: { type: 'string', enum: [...AGGREGATES] },
      rows: { type: 'integer' },
      columns: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            type: { type: 'string' },
            types: { type: 'object' },
            count: { type: 'integer' },
            missing: { type: 'integer' },
            unique: { type: 'integer' },
            stats: { type: 'object' },
            minLength: { type: 'integer' },
            maxLength: { type: 'integer' },
            top: { type: 'array' },
          },
          required: ['name', 'type', 'types', 'count', 'missing', 'unique'],
        },
      },
    },
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  // A million numbers is about 7-11 MB of JSON: more than the server-wide body limit.
  maxBodyBytes: 32 * 1024 * 1024,
  maxArrayLength: 10_000_000,
})
export class DataProcessorTool implements ToolHandler {
  private readonly maxItems: number;

  constructor(@Inject(utilityConfig.KEY) config: Pick<UtilityConfig, 'dataMaxItems'>) {
    this.maxItems = config.dataMaxItems;
  }

  async execute(args: ToolArguments): Promise<unknown> {
    const dataset = readDataset(args.data, this.maxItems);
    const field = typeof args.field === 'string' ? args.field : undefined;
    const needsField = () => {
      if (field !== undefined) return;
      const first = dataset.items.find((x) => x !== null && typeof x === 'object');
      if (first !== undefined) {
        throw new InvalidArgumentsError(
          `arguments.field is required to ${String(args.operation)} objects or CSV rows`,
          [{ field: 'arguments.field', message: 'required for objects' }],
        );
      }
    };
    switch (args.operation as (typeof OPERATIONS)[number]) {
      case 'stats':
        return stats(dataset, field);
      case 'sort':
        needsField();
        return sort(dataset, field, args.order === 'desc' ? 'desc' : 'asc');
      case 'filter':
        needsField();
        if (typeof args.operator !== 'string') {
          throw new InvalidArgumentsError('arguments.operator is required for filter', [
            { field: 'arguments.operator', message: `one of ${FILTER_OPERATORS.join(', ')}` },
          ]);
        }
        return filter(dataset, field, args.operator as FilterOperator, args.value);
      case 'group': {
        if (field === undefined) {
          throw new InvalidArgumentsError(
            'arguments.field is required for group: the key to group by',
            [{ field: 'arguments.field', message: 'required for group' }],
          );
        }
        const valueField = typeof args.valueField === 'string' ? args.valueField : undefined;
        const aggregate =
          (args.aggregate as Aggregate | undefined) ?? (valueField === undefined ? 'count' : 'sum');
        return group(dataset, field, valueField, aggregate);
      }
      case 'deduplicate':
        return deduplicate(dataset, field);
      case 'describe':
        return describe(dataset);
    }
  }
}
