import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import { useCatalogue } from '../live';
import type { ImportResult, ImportedOperation } from '../types';
import { Badge, ErrorNote } from './ui';

/** What the user asked for, as the body of POST /tools/import. */
function importBody(url: string, pasted: string, baseUrl: string, prefix: string) {
  let source: Record<string, unknown>;
  if (pasted.trim()) {
    try {
      source = { document: JSON.parse(pasted) as unknown };
    } catch {
      throw new ApiError(400, 'MALFORMED_JSON', 'The pasted document is not valid JSON');
    }
  } else source = { url: url.trim() };
  return {
    source,
    ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
    ...(prefix.trim() ? { prefix: prefix.trim() } : {}),
  };
}

const KIND_TONE = { created: 'ok', updated: 'info', unchanged: 'off' } as const;

/**
 * Import a REST API from its OpenAPI document (POST /tools/import): a dry run first shows
 * each operation and what would happen to it; the user picks the operations to import, and
 * the import sends them as `include`.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { refresh } = useCatalogue();
  const dialog = useRef<HTMLDialogElement>(null);
  const [url, setUrl] = useState('');
  const [pasted, setPasted] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [prefix, setPrefix] = useState('');
  const [preview, setPreview] = useState<ImportResult>();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<ImportResult>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);

  const rows: Array<ImportedOperation & { kind: keyof typeof KIND_TONE }> = preview
    ? [
        ...preview.created.map((o) => ({ ...o, kind: 'created' as const })),
        ...preview.updated.map((o) => ({ ...o, kind: 'updated' as const })),
        ...preview.unchanged.map((o) => ({ ...o, kind: 'unchanged' as const })),
      ]
    : [];

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = {
        ...importBody(url, pasted, baseUrl, prefix),
        dryRun,
      };
      if (!dryRun && chosen.size < rows.length) body.include = [...chosen];
      const { body: result } = await request<ImportResult>('POST', '/tools/import', { body });
      if (dryRun) {
        setPreview(result);
        setChosen(
          new Set(
            [...result.created, ...result.updated, ...result.unchanged].map((o) => o.operationId),
          ),
        );
      } else {
        setDone(result);
        await refresh();
      }
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (operationId: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(operationId);
    else next.delete(operationId);
    setChosen(next);
  };

  return (
    <dialog
      ref={dialog}
      class="key-dialog import-dialog"
      aria-labelledby="import-heading"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="import-heading">Import an OpenAPI document</h2>
      {done ? (
        <>
          <p role="status" data-testid="import-done">
            Imported from {done.title || done.source}: {done.created.length} created,{' '}
            {done.updated.length} updated, {done.unchanged.length} unchanged, {done.removed.length}{' '}
            removed, {done.skipped.length} skipped.
          </p>
          <div class="actions">
            <button type="button" class="button primary" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(!preview);
          }}
        >
          <div class="field">
            <label for="import-url">Document URL</label>
            <input
              id="import-url"
              type="url"
              placeholder="http://127.0.0.1:8080/openapi.json"
              value={url}
              disabled={Boolean(preview)}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="import-document">or the document itself (JSON)</label>
            <textarea
              id="import-document"
              rows={4}
              value={pasted}
              disabled={Boolean(preview)}
              onInput={(e) => setPasted(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="import-base">
              Base URL <span class="req">(default: the document's server)</span>
            </label>
            <input
              id="import-base"
              type="url"
              value={baseUrl}
              disabled={Boolean(preview)}
              onInput={(e) => setBaseUrl(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="import-prefix">
              Tool name prefix <span class="req">(optional)</span>
            </label>
            <input
              id="import-prefix"
              value={prefix}
              disabled={Boolean(preview)}
              onInput={(e) => setPrefix(e.currentTarget.value)}
            />
          </div>
          {error && <ErrorNote error={error} />}
          {preview && (
            <div class="import-preview" data-testid="import-preview">
              <p>
                {preview.title} (OpenAPI {preview.openapi}): {preview.operations} operations. Choose
                the ones to import; a tool this source and prefix imported before whose operation
                you leave out is removed.
              </p>
              <ul class="import-ops">
                {rows.map((o) => (
                  <li key={o.operationId} class="field check">
                    <input
                      type="checkbox"
                      id={`op-${o.operationId}`}
                      checked={chosen.has(o.operationId)}
                      onChange={(e) => toggle(o.operationId, e.currentTarget.checked)}
                    />
                    <label for={`op-${o.operationId}`}>
                      <code>{o.name}</code> {o.method} {o.path}
                      {o.summary ? ` · ${o.summary}` : ''}
                    </label>{' '}
                    <Badge tone={KIND_TONE[o.kind]}>{o.kind}</Badge>
                  </li>
                ))}
              </ul>
              {preview.removed.length > 0 && (
                <p class="alert warn">
                  Removed by this import: {preview.removed.map((r) => r.name).join(', ')}
                </p>
              )}
              {preview.skipped.length > 0 && (
                <details>
                  <summary>{preview.skipped.length} skipped</summary>
                  <ul class="import-skipped">
                    {preview.skipped.map((s) => (
                      <li key={`${s.method} ${s.path}`}>
                        <code>{s.operationId}</code>: {s.reason}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </div>
          )}
          <div class="actions">
            <button
              type="submit"
              class="button primary"
              disabled={busy || (!url.trim() && !pasted.trim()) || (preview && chosen.size === 0)}
            >
              {preview ? `Import ${chosen.size} operations` : 'Preview (dry run)'}
            </button>
            {preview && (
              <button
                type="button"
                class="button"
                onClick={() => {
                  setPreview(undefined);
                  setError(undefined);
                }}
              >
                Back
              </button>
            )}
            <button type="button" class="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
