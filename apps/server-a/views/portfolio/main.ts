import { chart } from '../../../../libs/view-kit/src/chart';
import { dateTime, money, number, percent, trend } from '../../../../libs/view-kit/src/format';
import { data, el, startView } from '../../../../libs/view-kit/src/view';

/** The part of `calculate_portfolio`'s result this view shows. */
interface Portfolio {
  totalValue: number;
  totalCost: number;
  unrealizedPnL: number;
  unrealizedPnLPercent: number | null;
  currency: string;
  positions: Array<{
    symbol: string;
    quantity: number;
    price: number;
    currency: string;
    value: number;
    weight: number;
    pnl: number;
    pnlPercent: number | null;
  }>;
  fxRates: Array<{ pair: string; rate: number; date: string; source: string }>;
  warnings: string[];
  asOf: string;
  source: string;
}

startView<Portfolio>('portfolio', (root, { result: p }) => {
  const count = p.positions.length;
  root.append(
    el('h1', '', 'Portfolio'),
    el(
      'p',
      'sub',
      `${count} position${count === 1 ? '' : 's'} · ${p.currency} · ${dateTime(p.asOf)} · prices: ${p.source}`,
    ),
  );
  const kpis = el('dl', 'kpis');
  const kpi = (label: string, field: string, value: string, tone = '') =>
    kpis.append(el('div', 'kpi', el('dt', '', label), data(el('dd', tone, value), { field })));
  kpi('Total value', 'totalValue', money(p.totalValue, p.currency));
  kpi('Total cost', 'totalCost', money(p.totalCost, p.currency));
  kpi(
    'Unrealised P&L',
    'unrealizedPnL',
    `${money(p.unrealizedPnL, p.currency)} (${percent(p.unrealizedPnLPercent)})`,
    trend(p.unrealizedPnL),
  );
  root.append(kpis);

  const sorted = [...p.positions].sort((a, b) => b.weight - a.weight);
  chart(root, {
    label: `Allocation by weight: ${sorted.map((s) => `${s.symbol} ${number(s.weight)} %`).join(', ')}`,
    x: sorted.map((_s, i) => i),
    categories: sorted.map((s) => s.symbol),
    series: [
      {
        label: 'Weight',
        values: sorted.map((s) => s.weight),
        color: '--chart-1',
        kind: 'bars',
        format: (v) => `${number(v)} %`,
      },
    ],
    yFormat: (v) => `${number(v, 0)} %`,
    height: 180,
  });

  const rows = p.positions.map((s) =>
    data(
      el(
        'tr',
        '',
        el('td', '', s.symbol),
        el('td', '', number(s.quantity, 6)),
        el('td', '', money(s.price, s.currency)),
        el('td', '', money(s.value, p.currency)),
        el('td', '', `${number(s.weight)} %`),
        el('td', trend(s.pnl), `${money(s.pnl, p.currency)} (${percent(s.pnlPercent)})`),
      ),
      { symbol: s.symbol },
    ),
  );
  const head = el(
    'tr',
    '',
    ...['Symbol', 'Qty', 'Price', 'Value', 'Weight', 'P&L'].map((h) => el('th', '', h)),
  );
  root.append(
    el('div', 'table-wrap', el('table', '', el('thead', '', head), el('tbody', '', ...rows))),
  );

  const fx = el('p', 'note');
  fx.dataset.field = 'fxRates';
  fx.textContent =
    p.fxRates.length === 0
      ? 'No currency conversion.'
      : `Exchange rates: ${p.fxRates
          .map((r) => {
            const [base, quote] = r.pair.split('/');
            return `1 ${base} = ${number(r.rate, 6)} ${quote} (${r.date}, ${r.source})`;
          })
          .join('; ')}`;
  root.append(fx);
  for (const w of p.warnings) root.append(el('p', 'note', `⚠ ${w}`));
});
