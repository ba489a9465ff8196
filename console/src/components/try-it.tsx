import { useMemo, useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import { formatMs, pretty } from '../format';
import type { CallResult, JsonSchema, Tool } from '../types';
import { ErrorNote, FieldError, JsonBlock } from './ui';
import { ViewFrame } from './view-frame';

type Kind = 'enum' | 'string' | 'number' | 'integer' | 'boolean' | 'json';

interface FieldSpec {
  name: string;
  schema: JsonSchema;
  required: boolean;
  kind: Kind;
  /** enum values, JSON-encoded so that non-string values survive a <select>. */
  options: string[];
}

function kindOf(schema: JsonSchema): Kind {
  if (Array.isArray(schema.enum)) return 'enum';
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== 'null');
  if (types.filter((t) => t !== 'null').length > 1) return 'json';
  switch (type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return type;
    default:
      return 'json';
  }
}

/** One form field per property of the tool's input schema, in the schema's order. */
export function fieldsOf(inputSchema: JsonSchema): FieldSpec[] {
  const properties = (inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((inputSchema.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    schema,
    required: required.has(name),
    kind: kindOf(schema),
    options: Array.isArray(schema.enum) ? schema.enum.map((v) => JSON.stringify(v)) : [],
  }));
}

function initialValues(fields: FieldSpec[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of fields) {
    values[f.name] =
      f.kind === 'enum' && f.schema.default !== undefined ? JSON.stringify(f.schema.default) : '';
  }
  return values;
}

/** Turns the form's strings into arguments; empty fields are left out so schema defaults apply. */
function toArguments(
  fields: FieldSpec[],
  values: Record<string, string>,
): { args: Record<string, unknown>; problems: Record<string, string> } {
  const args: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.name] ?? '';
    if (raw.trim() === '') continue;
    switch (f.kind) {
      case 'enum':
      case 'json':
        try {
          args[f.name] = JSON.parse(raw);
        } catch {
          problems[f.name] = `${f.name} is not valid JSON`;
        }
        break;
      case 'number':
      case 'integer': {
        const n = Number(raw);
        if (!Number.isFinite(n)) problems[f.name] = `${f.name} must be a number`;
        else args[f.name] = n;
        break;
      }
      case 'boolean':
        args[f.name] = raw === 'true';
        break;
      default:
        args[f.name] = raw;
    }
  }
  return { args, problems };
}

function fromArguments(fields: FieldSpec[], args: Record<string, unknown>): Record<string, string> {
  const values = initialValues(fields);
  for (const f of fields) {
    if (!(f.name in args)) continue;
    const v = args[f.name];
    values[f.name] =
      f.kind === 'string' && typeof v === 'string'
        ? v
        : f.kind === 'json'
          ? pretty(v)
          : f.kind === 'enum'
            ? JSON.stringify(v)
            : String(v);
  }
  return values;
}

interface Outcome {
  /** The arguments the call was made with (a view is told them). */
  args: Record<string, unknown>;
  status: number;
  roundTripMs: number;
  result?: CallResult;
  error?: ApiError;
}

/** A form generated from the input schema that calls POST /tools/call and shows the JSON result. */
export function TryIt({ tool, onCalled }: { tool: Tool; onCalled(): void }) {
  const fields = useMemo(() => fieldsOf(tool.inputSchema), [tool.inputSchema]);
  const [values, setValues] = useState(() => initialValues(fields));
  const [rawMode, setRawMode] = useState(false);
  const [raw, setRaw] = useState('{}');
  const [localProblems, setLocalProblems] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);

  const apiProblems: Record<string, string> = {};
  for (const p of outcome?.error?.problems ?? []) {
    const m = /^arguments\.([^.[]+)/.exec(p.field);
    if (m && !apiProblems[m[1]]) apiProblems[m[1]] = p.message;
  }
  const problemFor = (name: string) => localProblems[name] ?? apiProblems[name];

  const switchMode = () => {
    if (rawMode) {
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          setValues(fromArguments(fields, parsed as Record<string, unknown>));
        }
      } catch {
        // Keep the fields as they were; the JSON is still in the text area if the user returns.
      }
    } else {
      setRaw(pretty(toArguments(fields, values).args));
    }
    setLocalProblems({});
    setRawMode(!rawMode);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    let args: Record<string, unknown>;
    if (rawMode) {
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
        args = parsed as Record<string, unknown>;
      } catch {
        setLocalProblems({ __raw: 'Arguments must be a JSON object' });
        return;
      }
    } else {
      const built = toArguments(fields, values);
      if (Object.keys(built.problems).length > 0) {
        setLocalProblems(built.problems);
        return;
      }
      args = built.args;
    }
    setLocalProblems({});
    setBusy(true);
    const started = performance.now();
    try {
      const res = await request<CallResult>('POST', '/tools/call', {
        body: { name: tool.name, arguments: args },
      });
      setOutcome({
        args,
        status: res.status,
        roundTripMs: performance.now() - started,
        result: res.body,
      });
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', String(err));
      setOutcome({ args, status: error.status, roundTripMs: performance.now() - started, error });
    } finally {
      setBusy(false);
      onCalled();
    }
  };

  return (
    <section class="panel" aria-labelledby="try-heading">
      <div class="panel-head">
        <h2 id="try-heading">Try it</h2>
        <button type="button" class="button small" onClick={switchMode} aria-pressed={rawMode}>
          {rawMode ? 'Edit as form' : 'Edit as JSON'}
        </button>
      </div>
      {!tool.enabled && (
        <p class="alert warn">This tool is disabled: calls are refused until it is enabled.</p>
      )}
      <form onSubmit={submit} noValidate data-testid="try-form">
        {rawMode ? (
          <div class="field">
            <label for="try-raw">Arguments (JSON object)</label>
            <textarea
              id="try-raw"
              rows={8}
              class="mono"
              value={raw}
              onInput={(e) => setRaw(e.currentTarget.value)}
              aria-invalid={Boolean(localProblems.__raw)}
              aria-describedby={localProblems.__raw ? 'try-raw-error' : undefined}
            />
            <FieldError id="try-raw-error" message={localProblems.__raw} />
          </div>
        ) : fields.length === 0 ? (
          <p class="muted">This tool takes no arguments.</p>
        ) : (
          fields.map((f) => (
            <ArgumentField
              key={f.name}
              field={f}
              value={values[f.name] ?? ''}
              problem={problemFor(f.name)}
              onChange={(v) => setValues({ ...values, [f.name]: v })}
            />
          ))
        )}
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Calling…' : 'Call tool'}
          </button>
        </div>
      </form>
      <div aria-live="polite" data-testid="try-outcome">
        {outcome && (
          <div class="outcome">
            <p class="timing">
              <span class={`status ${outcome.result ? 'ok' : 'bad'}`}>
                {outcome.status > 0 ? outcome.status : 'no answer'}
              </span>
              {outcome.result && <span>server {formatMs(outcome.result.durationMs)}</span>}
              <span>round trip {formatMs(outcome.roundTripMs)}</span>
            </p>
            {outcome.result && (
              <ViewFrame tool={tool.name} args={outcome.args} result={outcome.result.result} />
            )}
            {outcome.result && <JsonBlock value={outcome.result.result} label="Result" />}
            {outcome.error && <ErrorNote error={outcome.error} />}
          </div>
        )}
      </div>
    </section>
  );
}

function ArgumentField({
  field,
  value,
  problem,
  onChange,
}: {
  field: FieldSpec;
  value: string;
  problem?: string;
  onChange(value: string): void;
}) {
  const id = `arg-${field.name}`;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const description = typeof field.schema.description === 'string' ? field.schema.description : '';
  const placeholder =
    field.schema.default !== undefined ? `default: ${JSON.stringify(field.schema.default)}` : '';
  const common = {
    id,
    name: field.name,
    'aria-invalid': Boolean(problem),
    'aria-describedby':
      [description ? helpId : '', problem ? errorId : ''].join(' ').trim() || undefined,
    'aria-required': field.required,
  };
  let control;
  switch (field.kind) {
    case 'enum':
      control = (
        <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          {!field.required && <option value="">(not set)</option>}
          {field.options.map((o) => (
            <option key={o} value={o}>
              {(() => {
                const v = JSON.parse(o) as unknown;
                return typeof v === 'string' ? v : o;
              })()}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean':
      control = (
        <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">(not set)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
      break;
    case 'json':
      control = (
        <textarea
          {...common}
          class="mono"
          rows={4}
          placeholder={placeholder || 'JSON value'}
          value={value}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
      break;
    case 'string':
      control = (
        <input
          {...common}
          type="text"
          placeholder={placeholder}
          value={value}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type="number"
          step={field.kind === 'integer' ? 1 : 'any'}
          inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
          placeholder={placeholder}
          value={value}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
  const typeLabel = field.kind === 'json' ? 'JSON' : field.kind === 'enum' ? 'one of' : field.kind;
  return (
    <div class="field">
      <label for={id}>
        <code>{field.name}</code>
        {field.required ? <span class="req"> (required)</span> : null}
        <span class="type"> {typeLabel}</span>
      </label>
      {control}
      {description && (
        <p class="help" id={helpId}>
          {description}
        </p>
      )}
      <FieldError id={errorId} message={problem} />
    </div>
  );
}
