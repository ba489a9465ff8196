import { useRef, useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import { useCatalogue } from '../live';
import { href, navigate } from '../router';
import { type HttpExecutor, PARAMETER_TYPES, type ParameterType, type Tool } from '../types';
import { ErrorNote, FieldError } from './ui';

interface ParamRow {
  key: number;
  name: string;
  type: ParameterType;
  description: string;
  required: boolean;
}

interface HeaderRow {
  key: number;
  name: string;
  value: string;
}

let nextKey = 1;

function isHttp(executor: Tool['executor']): executor is HttpExecutor {
  return Boolean(executor && executor.type === 'http');
}

/** Field names the form can point at; an API field is shown at the longest of these it starts with. */
function placeOf(field: string, known: Set<string>): string {
  // class-validator says parameters.0.name, Ajv-style paths parameters[0].name: read both.
  let f = field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  for (;;) {
    if (known.has(f)) return f;
    const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
    if (cut <= 0) return '_form';
    f = f.slice(0, cut);
  }
}

/**
 * Register a tool (POST /tools) or change one (PATCH /tools/:name with If-Match), with the
 * API's errors shown next to the fields they name.
 */
export function ToolForm({ tool, etag }: { tool?: Tool; etag?: string | null }) {
  const editing = Boolean(tool);
  // An imported tool's parameters and executor are its OpenAPI operation's (the API refuses a
  // change to them): the form neither shows them as editable nor sends them.
  const imported = tool?.openapi ?? undefined;
  const { refresh } = useCatalogue();
  const [name, setName] = useState(tool?.name ?? '');
  const [title, setTitle] = useState(tool?.title ?? '');
  const [description, setDescription] = useState(tool?.description ?? '');
  const [params, setParams] = useState<ParamRow[]>(() =>
    (tool?.parameters ?? [])
      .filter((p) => p.name !== 'operation')
      .map((p) => ({ ...p, key: nextKey++ })),
  );
  const initialExec = isHttp(tool?.executor) ? tool.executor : undefined;
  const [useHttp, setUseHttp] = useState(Boolean(initialExec));
  const [url, setUrl] = useState(initialExec?.url ?? '');
  const [method, setMethod] = useState<'GET' | 'POST'>(initialExec?.method ?? 'POST');
  const [timeoutMs, setTimeoutMs] = useState(String(initialExec?.timeoutMs ?? ''));
  const [headers, setHeaders] = useState<HeaderRow[]>(() =>
    Object.entries(initialExec?.headers ?? {}).map(([n, v]) => ({
      key: nextKey++,
      name: n,
      value: v,
    })),
  );
  // Stored header values may come back masked: send the executor only when the user touched it.
  const executorTouched = useRef(false);
  const touchExecutor = () => {
    executorTouched.current = true;
  };
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const known = new Set<string>([
    'name',
    'title',
    'description',
    'parameters',
    'executor',
    'executor.url',
    'executor.method',
    'executor.headers',
    'executor.timeoutMs',
    ...params.flatMap((_, i) =>
      ['name', 'type', 'description', 'required'].map((k) => `parameters[${i}].${k}`),
    ),
  ]);

  const body = () => {
    const out: Record<string, unknown> = {
      ...(editing ? {} : { name: name.trim() }),
      description,
    };
    if (title.trim() || (editing && tool?.title)) out.title = title.trim();
    if (imported) return out;
    out.parameters = params.map((p) => ({
      name: p.name.trim(),
      type: p.type,
      description: p.description,
      required: p.required,
    }));
    if (useHttp && (!editing || executorTouched.current)) {
      const executor: Record<string, unknown> = {
        type: 'http',
        url: url.trim(),
        method,
        headers: Object.fromEntries(
          headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value]),
        ),
      };
      if (timeoutMs.trim()) executor.timeoutMs = Number(timeoutMs);
      out.executor = executor;
    } else if (!useHttp && editing && initialExec) {
      out.executor = null;
    }
    return out;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setProblems({});
    try {
      const res = editing
        ? await request<Tool>('PATCH', `/tools/${encodeURIComponent(tool!.name)}`, {
            body: body(),
            ifMatch: etag,
          })
        : await request<Tool>('POST', '/tools', { body: body() });
      await refresh();
      navigate({ page: 'tool', name: res.body.name });
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', String(err));
      const placed: Record<string, string> = {};
      for (const p of apiError.problems) {
        const at = placeOf(p.field, known);
        placed[at] = placed[at] ? `${placed[at]}; ${p.message}` : p.message;
      }
      if (apiError.code === 'TOOL_ALREADY_EXISTS') placed.name = apiError.message;
      // Some errors name their field only in the message ("executor.url refused: ...").
      const named = /^([A-Za-z_][\w.[\]]*)[\s:]/.exec(apiError.message)?.[1];
      if (Object.keys(placed).length === 0 && named && placeOf(named, known) !== '_form') {
        placed[placeOf(named, known)] = apiError.message;
      }
      setProblems(placed);
      setError(apiError);
      // Take keyboard and screen-reader users to the first field with a problem.
      window.setTimeout(() => {
        const first = document.querySelector<HTMLElement>('[aria-invalid="true"]');
        (first ?? document.getElementById('form-error'))?.focus();
      }, 0);
    } finally {
      setBusy(false);
    }
  };

  const describedBy = (id: string, ...more: string[]) =>
    [problems[id] ? `err-${id}` : '', ...more].join(' ').trim() || undefined;
  const invalid = (id: string) => Boolean(problems[id]);
  const updateParam = (i: number, patch: Partial<ParamRow>) =>
    setParams(params.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const updateHeader = (i: number, patch: Partial<HeaderRow>) => {
    touchExecutor();
    setHeaders(headers.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  };
  const unplaced = error && (problems._form || Object.keys(problems).length === 0);

  return (
    <form onSubmit={submit} noValidate class="panel tool-form" data-testid="tool-form">
      <h1>{editing ? `Edit ${tool!.name}` : 'Register a tool'}</h1>
      {unplaced && (
        <div id="form-error" tabIndex={-1}>
          <ErrorNote error={error} />
          {error.status === 412 && (
            <p>
              Someone changed this tool after you opened it.{' '}
              <a href={href({ page: 'tool', name: tool!.name })}>See the current version</a> and
              edit again.
            </p>
          )}
        </div>
      )}
      {error && !unplaced && (
        <p class="alert error" role="alert">
          The server refused the tool: see the marked fields.
        </p>
      )}

      {!editing && (
        <div class="field">
          <label for="f-name">Name</label>
          <input
            id="f-name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={invalid('name')}
            aria-describedby={describedBy('name', 'f-name-help')}
            autoComplete="off"
            spellcheck={false}
          />
          <p class="help" id="f-name-help">
            Letters, digits, <code>_ . -</code>; unique on this server.
          </p>
          <FieldError id="err-name" message={problems.name} />
        </div>
      )}
      <div class="field">
        <label for="f-title">Title (optional)</label>
        <input
          id="f-title"
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
          aria-invalid={invalid('title')}
          aria-describedby={describedBy('title')}
        />
        <FieldError id="err-title" message={problems.title} />
      </div>
      <div class="field">
        <label for="f-description">Description</label>
        <textarea
          id="f-description"
          rows={3}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
          aria-invalid={invalid('description')}
          aria-describedby={describedBy('description', 'f-description-help')}
        />
        <p class="help" id="f-description-help">
          What the tool does; MCP clients show this to the model.
        </p>
        <FieldError id="err-description" message={problems.description} />
      </div>

      {imported ? (
        <p class="help" data-testid="imported-note">
          Imported from <code>{imported.source}</code> (operation{' '}
          <code>{imported.operationId}</code>
          ): its parameters and executor come from that OpenAPI document. Change the document and
          import it again to change them.
        </p>
      ) : (
        <>
          <fieldset class="params" aria-describedby={describedBy('parameters')}>
            <legend>Parameters</legend>
            {params.length === 0 && <p class="muted">No parameters.</p>}
            {params.map((p, i) => {
              const base = `parameters[${i}]`;
              return (
                <div class="param-row" key={p.key} data-testid={`param-${i}`}>
                  <div class="field">
                    <label for={`p${p.key}-name`}>
                      <span class="visually-hidden">Parameter {i + 1} </span>Name
                    </label>
                    <input
                      id={`p${p.key}-name`}
                      value={p.name}
                      onInput={(e) => updateParam(i, { name: e.currentTarget.value })}
                      aria-invalid={invalid(`${base}.name`)}
                      aria-describedby={problems[`${base}.name`] ? `err-p${p.key}-name` : undefined}
                      autoComplete="off"
                      spellcheck={false}
                    />
                    <FieldError id={`err-p${p.key}-name`} message={problems[`${base}.name`]} />
                  </div>
                  <div class="field">
                    <label for={`p${p.key}-type`}>
                      <span class="visually-hidden">Parameter {i + 1} </span>Type
                    </label>
                    <select
                      id={`p${p.key}-type`}
                      value={p.type}
                      onChange={(e) =>
                        updateParam(i, { type: e.currentTarget.value as ParameterType })
                      }
                      aria-invalid={invalid(`${base}.type`)}
                    >
                      {PARAMETER_TYPES.map((t) => (
                        <option key={t} value={t}>
                          {t}
                        </option>
                      ))}
                    </select>
                    <FieldError id={`err-p${p.key}-type`} message={problems[`${base}.type`]} />
                  </div>
                  <div class="field wide">
                    <label for={`p${p.key}-desc`}>
                      <span class="visually-hidden">Parameter {i + 1} </span>Description
                    </label>
                    <input
                      id={`p${p.key}-desc`}
                      value={p.description}
                      onInput={(e) => updateParam(i, { description: e.currentTarget.value })}
                      aria-invalid={invalid(`${base}.description`)}
                    />
                    <FieldError
                      id={`err-p${p.key}-desc`}
                      message={problems[`${base}.description`]}
                    />
                  </div>
                  <div class="field check">
                    <input
                      id={`p${p.key}-req`}
                      type="checkbox"
                      checked={p.required}
                      onChange={(e) => updateParam(i, { required: e.currentTarget.checked })}
                    />
                    <label for={`p${p.key}-req`}>
                      <span class="visually-hidden">Parameter {i + 1} </span>Required
                    </label>
                  </div>
                  <button
                    type="button"
                    class="button small danger-outline"
                    onClick={() => setParams(params.filter((_, j) => j !== i))}
                    aria-label={`Remove parameter ${i + 1}${p.name ? ` (${p.name})` : ''}`}
                  >
                    Remove
                  </button>
                </div>
              );
            })}
            <FieldError id="err-parameters" message={problems.parameters} />
            <button
              type="button"
              class="button small"
              onClick={() =>
                setParams([
                  ...params,
                  { key: nextKey++, name: '', type: 'string', description: '', required: false },
                ])
              }
            >
              Add parameter
            </button>
          </fieldset>

          <fieldset class="executor" aria-describedby={describedBy('executor')}>
            <legend>Executor</legend>
            <div class="field check">
              <input
                id="f-http"
                type="checkbox"
                checked={useHttp}
                onChange={(e) => {
                  touchExecutor();
                  setUseHttp(e.currentTarget.checked);
                }}
              />
              <label for="f-http">Run this tool by calling an HTTP endpoint</label>
            </div>
            <FieldError id="err-executor" message={problems.executor} />
            {useHttp && (
              <div class="executor-fields">
                <div class="field wide">
                  <label for="f-url">URL</label>
                  <input
                    id="f-url"
                    type="url"
                    inputMode="url"
                    placeholder="https://api.example.com/lookup"
                    value={url}
                    onInput={(e) => {
                      touchExecutor();
                      setUrl(e.currentTarget.value);
                    }}
                    aria-invalid={invalid('executor.url')}
                    aria-describedby={describedBy('executor.url', 'f-url-help')}
                  />
                  <p class="help" id="f-url-help">
                    The host must be in the server's <code>HTTP_TOOL_ALLOWED_HOSTS</code>.
                  </p>
                  <FieldError id="err-executor.url" message={problems['executor.url']} />
                </div>
                <div class="field">
                  <label for="f-method">Method</label>
                  <select
                    id="f-method"
                    value={method}
                    onChange={(e) => {
                      touchExecutor();
                      setMethod(e.currentTarget.value as 'GET' | 'POST');
                    }}
                    aria-invalid={invalid('executor.method')}
                  >
                    <option value="POST">POST (arguments as JSON body)</option>
                    <option value="GET">GET (arguments as query string)</option>
                  </select>
                  <FieldError id="err-executor.method" message={problems['executor.method']} />
                </div>
                <div class="field">
                  <label for="f-timeout">Timeout (ms)</label>
                  <input
                    id="f-timeout"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={30000}
                    placeholder="10000"
                    value={timeoutMs}
                    onInput={(e) => {
                      touchExecutor();
                      setTimeoutMs(e.currentTarget.value);
                    }}
                    aria-invalid={invalid('executor.timeoutMs')}
                    aria-describedby={describedBy('executor.timeoutMs')}
                  />
                  <FieldError
                    id="err-executor.timeoutMs"
                    message={problems['executor.timeoutMs']}
                  />
                </div>
                <div class="headers">
                  <p class="help">
                    Headers sent with every call. Write secrets as <code>{'${ENV_NAME}'}</code>: the
                    server reads them from its environment at call time and never stores them.
                  </p>
                  {headers.map((h, i) => (
                    <div class="header-row" key={h.key}>
                      <div class="field">
                        <label for={`h${h.key}-name`}>
                          <span class="visually-hidden">Header {i + 1} </span>Name
                        </label>
                        <input
                          id={`h${h.key}-name`}
                          value={h.name}
                          onInput={(e) => updateHeader(i, { name: e.currentTarget.value })}
                          autoComplete="off"
                        />
                      </div>
                      <div class="field">
                        <label for={`h${h.key}-value`}>
                          <span class="visually-hidden">Header {i + 1} </span>Value
                        </label>
                        <input
                          id={`h${h.key}-value`}
                          value={h.value}
                          onInput={(e) => updateHeader(i, { value: e.currentTarget.value })}
                          autoComplete="off"
                        />
                      </div>
                      <button
                        type="button"
                        class="button small danger-outline"
                        onClick={() => {
                          touchExecutor();
                          setHeaders(headers.filter((_, j) => j !== i));
                        }}
                        aria-label={`Remove header ${i + 1}${h.name ? ` (${h.name})` : ''}`}
                      >
                        Remove
                      </button>
                    </div>
                  ))}
                  <FieldError id="err-executor.headers" message={problems['executor.headers']} />
                  <button
                    type="button"
                    class="button small"
                    onClick={() => {
                      touchExecutor();
                      setHeaders([...headers, { key: nextKey++, name: '', value: '' }]);
                    }}
                  >
                    Add header
                  </button>
                </div>
              </div>
            )}
          </fieldset>
        </>
      )}

      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Register tool'}
        </button>
        <a
          class="button"
          href={tool ? href({ page: 'tool', name: tool.name }) : href({ page: 'home' })}
        >
          Cancel
        </a>
      </div>
    </form>
  );
}
