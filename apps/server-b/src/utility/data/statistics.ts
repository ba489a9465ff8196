import { pause, SLICE, sortNumbers } from './slices.js';

/** Neumaier's compensated sum: adding 0.1 ten times gives 1, and 1e16 + 1 - 1e16 gives 1. */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    // |a| written out: hot loops here avoid global lookups, which are slow in vm contexts (Jest).
    const a = this.sum < 0 ? -this.sum : this.sum;
    this.compensation += a >= (x < 0 ? -x : x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

export interface Percentiles {
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
}

export interface Summary {
  count: number;
  sum: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  range: number | null;
  /** Sample variance and standard deviation (n - 1); null below two values. */
  variance: number | null;
  stdev: number | null;
  /** Population variance and standard deviation (n). */
  populationVariance: number | null;
  populationStdev: number | null;
  percentiles: Percentiles | null;
}

/** The p-th percentile of sorted values by linear interpolation between closest ranks (R-7, NumPy's and Excel's default). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Descriptive statistics of finite numbers; `values` may be reordered. Works in slices on large inputs. */
export async function summarize(values: Float64Array): Promise<Summary> {
  const n = values.length;
  if (n === 0) {
    return {
      count: 0,
      sum: 0,
      mean: null,
      median: null,
      min: null,
      max: null,
      range: null,
      variance: null,
      stdev: null,
      populationVariance: null,
      populationStdev: null,
      percentiles: null,
    };
  }
  const total = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    total.add(values[i]);
    if (i % SLICE === SLICE - 1) await pause();
  }
  const sum = total.value;
  const mean = sum / n;
  // Corrected two-pass algorithm: the second term cancels the rounding error left in the mean.
  const squares = new CompensatedSum();
  const deviations = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    squares.add(d * d);
    deviations.add(d);
    if (i % SLICE === SLICE - 1) await pause();
  }
  const m2 = Math.max(0, squares.value - (deviations.value * deviations.value) / n);
  const sorted = await sortNumbers(values);
  const populationVariance = m2 / n;
  const variance = n > 1 ? m2 / (n - 1) : null;
  return {
    count: n,
    sum,
    mean,
    median: percentile(sorted, 50),
    min: sorted[0],
    max: sorted[n - 1],
    range: sorted[n - 1] - sorted[0],
    variance,
    stdev: variance === null ? null : Math.sqrt(variance),
    populationVariance,
    populationStdev: Math.sqrt(populationVariance),
    percentiles: {
      p25: percentile(sorted, 25),
      p50: percentile(sorted, 50),
      p75: percentile(sorted, 75),
      p90: percentile(sorted, 90),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
    },
  };
}
