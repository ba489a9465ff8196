import { chart } from '../../../../libs/view-kit/src/chart';
import { number } from '../../../../libs/view-kit/src/format';
import { data, el, startView } from '../../../../libs/view-kit/src/view';

/** The part of `get_weather`'s result this view shows. */
interface Weather {
  location: { name: string; country?: string; region?: string; timezone?: string };
  current: {
    time?: string;
    temperature: number;
    humidity: number;
    windSpeed: number;
    condition: string;
  };
  forecast: Array<{
    date: string;
    min: number;
    max: number;
    precipitation: number;
    condition: string;
  }>;
  units: 'metric' | 'imperial';
  unitLabels?: { temperature: string; windSpeed: string; precipitation: string; humidity: string };
  source: string;
  note?: string;
}

const LABELS = {
  metric: { temperature: '°C', windSpeed: 'km/h', precipitation: 'mm', humidity: '%' },
  imperial: { temperature: '°F', windSpeed: 'mph', precipitation: 'inch', humidity: '%' },
};

startView<Weather>('weather', (root, { result: w }) => {
  const u = w.unitLabels ?? LABELS[w.units];
  const place = [w.location.name, w.location.region, w.location.country].filter(Boolean).join(', ');
  root.append(el('h1', '', place), el('p', 'sub', `${w.current.condition} · ${w.source}`));
  const temp = el('dd', '', `${number(w.current.temperature, 1)} ${u.temperature}`);
  temp.dataset.field = 'temperature';
  root.append(
    el(
      'dl',
      'kpis',
      el('div', 'kpi', el('dt', '', 'Temperature'), temp),
      el(
        'div',
        'kpi',
        el('dt', '', 'Humidity'),
        el('dd', '', `${number(w.current.humidity, 0)} ${u.humidity}`),
      ),
      el(
        'div',
        'kpi',
        el('dt', '', 'Wind'),
        el('dd', '', `${number(w.current.windSpeed, 1)} ${u.windSpeed}`),
      ),
    ),
  );
  if (w.forecast.length > 0) {
    const days = w.forecast.map((d) => Date.parse(`${d.date}T12:00:00Z`) / 1000);
    chart(root, {
      label: `Forecast for ${w.forecast.length} days: ${w.forecast
        .map((d) => `${d.date} ${number(d.min, 1)} to ${number(d.max, 1)} ${u.temperature}`)
        .join('; ')}`,
      x: days,
      series: [
        {
          label: `Max ${u.temperature}`,
          values: w.forecast.map((d) => d.max),
          color: '--chart-2',
          format: (v) => `${number(v, 1)} ${u.temperature}`,
        },
        {
          label: `Min ${u.temperature}`,
          values: w.forecast.map((d) => d.min),
          color: '--chart-1',
          format: (v) => `${number(v, 1)} ${u.temperature}`,
        },
        {
          label: `Rain ${u.precipitation}`,
          values: w.forecast.map((d) => d.precipitation),
          color: '--chart-3',
          kind: 'bars',
          scale: 'y2',
          format: (v) => `${number(v, 2)} ${u.precipitation}`,
        },
      ],
      yFormat: (v) => `${number(v, 0)}°`,
      y2Format: (v) => number(v, 1),
    });
    const rows = w.forecast.map((d) =>
      data(
        el(
          'tr',
          '',
          el('td', '', d.date),
          el('td', '', d.condition),
          el('td', '', `${number(d.min, 1)} / ${number(d.max, 1)} ${u.temperature}`),
          el('td', '', `${number(d.precipitation, 2)} ${u.precipitation}`),
        ),
        { date: d.date },
      ),
    );
    const head = el('tr', '', ...['Day', 'Sky', 'Min / max', 'Rain'].map((h) => el('th', '', h)));
    root.append(
      el('div', 'table-wrap', el('table', '', el('thead', '', head), el('tbody', '', ...rows))),
    );
  }
  if (w.note) root.append(el('p', 'note', w.note));
});
