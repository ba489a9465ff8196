import { useState } from 'preact/hooks';
import { formatMs, formatRate } from '../format';
import { useCatalogue } from '../live';
import { href } from '../router';
import { ImportDialog } from './import-dialog';
import { Badge, ErrorNote } from './ui';

export function ToolsPanel() {
  const { tools, error, usage, statsAvailable } = useCatalogue();
  const [query, setQuery] = useState('');
  const [importing, setImporting] = useState(false);
  const q = query.trim().toLowerCase();
  const shown = (tools ?? []).filter(
    (t) =>
      !q ||
      t.name.toLowerCase().includes(q) ||
      (t.title ?? '').toLowerCase().includes(q) ||
      t.description.toLowerCase().includes(q),
  );
  return (
    <section class="panel" aria-labelledby="tools-heading">
      <div class="panel-head">
        <h2 id="tools-heading">
          Tools{' '}
          {tools && (
            <span class="count" data-testid="tool-count">
              {tools.length}
            </span>
          )}
        </h2>
        <div class="actions head-actions">
          <button type="button" class="button" onClick={() => setImporting(true)}>
            Import OpenAPI
          </button>
          <a class="button primary" href={href({ page: 'new' })}>
            Register a tool
          </a>
        </div>
      </div>
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
      <div class="field search">
        <label for="tool-search">Search tools</label>
        <input
          id="tool-search"
          type="search"
          placeholder="name, title or description"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          autoComplete="off"
        />
      </div>
      {error && <ErrorNote error={error} />}
      {!tools && !error && <p class="muted">Loading…</p>}
      {tools && (
        <>
          <p class="visually-hidden" role="status">
            {q ? `${shown.length} of ${tools.length} tools match` : ''}
          </p>
          {shown.length === 0 ? (
            <p class="muted">{q ? 'No tool matches.' : 'No tools yet.'}</p>
          ) : (
            <table class="tools" data-testid="tool-table">
              <thead>
                <tr>
                  <th scope="col">Tool</th>
                  <th scope="col">State</th>
                  {statsAvailable && (
                    <>
                      <th scope="col" class="num">
                        Calls
                      </th>
                      <th scope="col" class="num">
                        Errors
                      </th>
                      <th scope="col" class="num">
                        p95
                      </th>
                    </>
                  )}
                </tr>
              </thead>
              <tbody>
                {shown.map((t) => {
                  const u = usage?.get(t.name);
                  return (
                    <tr key={t.name} data-tool={t.name}>
                      <th scope="row">
                        <a href={href({ page: 'tool', name: t.name })}>{t.name}</a>
                        <span class="desc">{t.title ?? t.description}</span>
                      </th>
                      <td data-label="State">
                        {t.enabled ? (
                          <Badge tone="ok">enabled</Badge>
                        ) : (
                          <Badge tone="off">disabled</Badge>
                        )}{' '}
                        {t.builtin ? <Badge tone="info">built-in</Badge> : null}
                      </td>
                      {statsAvailable && (
                        <>
                          <td data-label="Calls" class="num">
                            {u ? u.calls : '–'}
                          </td>
                          <td data-label="Errors" class="num">
                            {u ? formatRate(u.errorRate) : '–'}
                          </td>
                          <td data-label="p95" class="num">
                            {u ? formatMs(u.p95Ms) : '–'}
                          </td>
                        </>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
