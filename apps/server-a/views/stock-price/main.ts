import { chart } from '../../../../libs/view-kit/src/chart';
import {
  dateTime,
  money,
  number,
  percent,
  signed,
  trend,
} from '../../../../libs/view-kit/src/format';
import { data, el, startView } from '../../../../libs/view-kit/src/view';
import type { PriceHistory } from '../../src/finance/price-history';
import type { Quote as QuoteResult } from '../../src/finance/quote';

/** `get_stock_price`'s result for one symbol, with its history when a `range` was asked. */
type Quote = QuoteResult & { history?: PriceHistory };

/** Several symbols at once: the view shows the list. */
interface Batch {
  quotes: Quote[];
  errors: Array<{ symbol: string; message: string }>;
}

const MARKET: Record<NonNullable<Quote['marketState']>, string> = {
  PRE: 'pre-market',
  REGULAR: 'market open',
  POST: 'after hours',
  CLOSED: 'market closed',
};

startView<Quote | Batch>('stock-price', (root, { result }) => {
  if ('quotes' in result) return batch(root, result);
  const q = result;
  root.append(
    el('h1', '', q.name ? `${q.symbol} · ${q.name}` : q.symbol),
    el(
      'p',
      'sub',
      [q.exchange, q.marketState && MARKET[q.marketState], dateTime(q.asOf), q.source]
        .filter(Boolean)
        .join(' · '),
    ),
  );
  const price = el('dd', '', money(q.price, q.currency));
  price.dataset.field = 'price';
  const change = el('dd', trend(q.change), `${signed(q.change)} (${percent(q.changePercent)})`);
  change.dataset.field = 'change';
  const kpis = el(
    'dl',
    'kpis',
    el('div', 'kpi', el('dt', '', 'Last price'), price),
    el('div', 'kpi', el('dt', '', 'Change'), change),
    el(
      'div',
      'kpi',
      el('dt', '', 'Previous close'),
      el('dd', '', money(q.previousClose, q.currency)),
    ),
  );
  if (q.dayLow !== undefined && q.dayHigh !== undefined) {
    kpis.append(
      el(
        'div',
        'kpi',
        el('dt', '', 'Day range'),
        el('dd', '', `${number(q.dayLow)} – ${number(q.dayHigh)}`),
      ),
    );
  }
  if (q.volume !== undefined)
    kpis.append(el('div', 'kpi', el('dt', '', 'Volume'), el('dd', '', number(q.volume, 0))));
  root.append(kpis);

  const h = q.history;
  if (!h || h.points.length === 0) {
    root.append(
      el(
        'p',
        'note',
        h ? `No trades in ${h.range}.` : 'Ask with a range (1d to 5y) for a price chart.',
      ),
    );
    return;
  }
  const first = h.points[0].close;
  const last = h.points[h.points.length - 1].close;
  const over = ((last - first) / first) * 100;
  const span = el('p', 'note', `${h.range} (${h.interval} closes): ${percent(over)}`);
  span.dataset.field = 'history';
  root.append(span);
  chart(root, {
    label: `${q.symbol} closing prices over ${h.range}, from ${money(first, h.currency)} to ${money(last, h.currency)}`,
    x: h.points.map((p) => Date.parse(p.time) / 1000),
    series: [
      {
        label: `Close (${h.currency})`,
        values: h.points.map((p) => p.close),
        color: over >= 0 ? '--color-text-success' : '--color-text-danger',
        format: (v) => money(v, h.currency),
      },
    ],
    yFormat: (v) => number(v),
  });
});

function batch(root: HTMLElement, b: Batch): void {
  root.append(el('h1', '', `${b.quotes.length} quotes`));
  const rows = b.quotes.map((q) =>
    data(
      el(
        'tr',
        '',
        el('td', '', q.symbol),
        el('td', '', money(q.price, q.currency)),
        el('td', trend(q.change), percent(q.changePercent)),
      ),
      { symbol: q.symbol },
    ),
  );
  const head = el('tr', '', ...['Symbol', 'Price', 'Change'].map((h) => el('th', '', h)));
  root.append(
    el('div', 'table-wrap', el('table', '', el('thead', '', head), el('tbody', '', ...rows))),
  );
  for (const e of b.errors) root.append(el('p', 'note', `${e.symbol}: ${e.message}`));
}
