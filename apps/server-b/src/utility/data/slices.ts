import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Work on big inputs is cut into slices of this many items with a turn of the event loop
 * between them, so one large call never holds up other requests for more than a few ms.
 */
export const SLICE = 1 << 15;

/** Lets other requests run between slices. */
export function pause(): Promise<void> {
  return nextTurn();
}

/** Writable, indexable storage: a plain array or a typed array. */
interface Slots<T> {
  [index: number]: T;
  readonly length: number;
}

/** A stable merge sort done in slices: sorted runs, then merges, with pauses between them. */
async function sortInSlices<T>(
  items: Slots<T>,
  scratch: Slots<T>,
  sortRun: (lo: number, hi: number) => void,
  compare: (a: T, b: T) => number,
): Promise<Slots<T>> {
  const n = items.length;
  for (let lo = 0; lo < n; lo += SLICE) {
    sortRun(lo, Math.min(n, lo + SLICE));
    if (n > SLICE) await pause();
  }
  let src = items;
  let dst = scratch;
  for (let width = SLICE; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (k < hi) {
        const end = Math.min(k + 4 * SLICE, hi);
        // `<= 0` takes the left item on ties: that is what keeps the sort stable.
        while (k < end) {
          dst[k++] = i < mid && (j >= hi || compare(src[i], src[j]) <= 0) ? src[i++] : src[j++];
        }
        await pause();
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** Sorts numbers ascending (native sort per slice, merged in slices); returns a sorted array, maybe `values` itself. */
export async function sortNumbers(values: Float64Array): Promise<Float64Array> {
  if (values.length <= SLICE) return values.sort();
  return (await sortInSlices(
    values,
    new Float64Array(values.length),
    (lo, hi) => values.subarray(lo, hi).sort(),
    (a, b) => a - b,
  )) as Float64Array;
}

/** Stable sort of any items by `compare`, in slices; returns a new array. */
export async function sortItems<T>(
  items: readonly T[],
  compare: (a: T, b: T) => number,
): Promise<T[]> {
  const copy = items.slice();
  if (copy.length <= SLICE) return copy.sort(compare);
  return (await sortInSlices(
    copy,
    new Array<T>(copy.length),
    (lo, hi) => {
      const run = copy.slice(lo, hi).sort(compare);
      for (let i = 0; i < run.length; i++) copy[lo + i] = run[i];
    },
    compare,
  )) as T[];
}
