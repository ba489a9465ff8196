import uPlot, { type AlignedData, type Options, type Series } from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One series of a chart: its label, values, colour (a CSS variable) and how it is drawn. */
export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  /** A CSS custom property holding the colour, e.g. `--chart-1`. */
  color: string;
  kind?: 'line' | 'bars';
  /** Which y scale: `y` (left) or `y2` (right). */
  scale?: 'y' | 'y2';
  format?: (v: number) => string;
}

export interface ChartSpec {
  /** x values: Unix seconds for time axes, indexes for categories. */
  x: number[];
  series: ChartSeries[];
  /** Category names for a category x axis (bar charts by symbol). */
  categories?: string[];
  height?: number;
  /** Accessible name of the chart. */
  label: string;
  yFormat?: (v: number) => string;
  y2Format?: (v: number) => string;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || 'gray';
}

/**
 * Draws a uPlot chart into `parent`, in the colours of the current theme, as wide as its
 * container (redrawn when the container's width changes).
 */
export function chart(parent: HTMLElement, spec: ChartSpec): uPlot {
  const box = document.createElement('figure');
  box.className = 'chart';
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', spec.label);
  parent.append(box);
  const text = cssVar('--color-text-secondary');
  const grid = cssVar('--color-border-secondary');
  const bars = uPlot.paths.bars!({ size: [0.6, 48] });
  const axis = (format?: (v: number) => string) => ({
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    ...(format ? { values: (_u: uPlot, ticks: number[]) => ticks.map(format) } : {}),
  });
  const categories = spec.categories;
  const series: Series[] = [
    {},
    ...spec.series.map((s): Series => {
      const color = cssVar(s.color);
      return {
        label: s.label,
        stroke: color,
        width: s.kind === 'bars' ? 0 : 2,
        fill: s.kind === 'bars' ? color : undefined,
        paths: s.kind === 'bars' ? bars : undefined,
        points: { show: false },
        scale: s.scale ?? 'y',
        value: (_u, v) => (v === null ? '–' : s.format ? s.format(v) : String(v)),
      };
    }),
  ];
  const hasY2 = spec.series.some((s) => s.scale === 'y2');
  const options: Options = {
    width: widthOf(box),
    height: spec.height ?? 220,
    series,
    legend: { show: spec.series.length > 1 },
    cursor: { points: { show: false } },
    scales: {
      x: categories
        ? { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }
        : { time: true },
      y: {
        range: (_u, min, max) =>
          padded(
            min,
            max,
            spec.series.some((s) => s.kind === 'bars'),
          ),
      },
      ...(hasY2 ? { y2: { range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] } } : {}),
    },
    axes: [
      {
        ...axis(),
        ...(categories
          ? {
              splits: () => categories.map((_c, i) => i),
              values: (_u: uPlot, ticks: number[]) => ticks.map((t) => categories[t] ?? ''),
            }
          : {}),
      },
      axis(spec.yFormat),
      ...(hasY2 ? [{ ...axis(spec.y2Format), side: 1, scale: 'y2', grid: { show: false } }] : []),
    ],
  };
  const data = [spec.x, ...spec.series.map((s) => s.values)] as AlignedData;
  const plot = new uPlot(options, data, box);
  new ResizeObserver(() => {
    const width = widthOf(box);
    if (width !== plot.width) plot.setSize({ width, height: plot.height });
  }).observe(box);
  return plot;
}

/** The width the chart may take: its box's content width (no wider, or the view scrolls sideways). */
function widthOf(box: HTMLElement): number {
  return Math.max(160, Math.floor(box.getBoundingClientRect().width));
}

/** A y range with a little room above and below; bar charts start at zero. */
function padded(min: number, max: number, fromZero: boolean): [number, number] {
  if (fromZero) return [Math.min(0, min), max > 0 ? max * 1.1 : 1];
  const span = max - min || Math.abs(max) * 0.02 || 1;
  return [min - span * 0.08, max + span * 0.08];
}
