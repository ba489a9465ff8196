import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { pretty } from '../format';

/** Copies text and says so to screen readers; falls back to a selection copy on plain HTTP hosts. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
      } else {
        const area = document.createElement('textarea');
        area.value = text;
        area.setAttribute('readonly', '');
        area.className = 'offscreen';
        document.body.append(area);
        area.select();
        const ok = document.execCommand('copy');
        area.remove();
        if (!ok) throw new Error('copy refused');
      }
      setState('copied');
    } catch {
      setState('failed');
    }
    window.setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button type="button" class="button small" onClick={copy} aria-label={label}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
      <span class="visually-hidden" role="status">
        {state === 'copied' ? `${label}: copied` : ''}
      </span>
    </button>
  );
}

/** An API failure, said plainly: what happened, the stable code, and what to do for 401/403. */
export function ErrorNote({ error, id }: { error: ApiError; id?: string }) {
  const hint =
    error.status === 401
      ? 'This needs an API key: try again to enter one.'
      : error.status === 403
        ? 'Your key is valid but may not do this: changing tools needs the admin key. Use "Forget key" at the top, then try again.'
        : undefined;
  return (
    <div class="alert error" role="alert" id={id}>
      <strong>
        {error.status > 0 ? `${error.status} ` : ''}
        {error.code}
      </strong>
      <span>{error.message}</span>
      {hint && <span class="hint">{hint}</span>}
    </div>
  );
}

export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = pretty(value);
  return (
    <div class="code-block">
      <div class="code-head">
        <span>{label}</span>
        <CopyButton text={text} label={`Copy ${label}`} />
      </div>
      <pre tabIndex={0} aria-label={label}>
        <code>{text}</code>
      </pre>
    </div>
  );
}

export function Badge({
  tone,
  children,
}: {
  tone: 'ok' | 'off' | 'bad' | 'info';
  children: ComponentChildren;
}) {
  return <span class={`badge ${tone}`}>{children}</span>;
}

/** The message the API gave for one field, tied to its input through aria-describedby. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p class="field-error" id={id}>
      {message}
    </p>
  );
}
