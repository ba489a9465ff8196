import { useState } from 'preact/hooks';
import { formatUptime } from '../format';
import type { Health, Info } from '../types';
import { httpConfigSnippet, sdkSnippet, stdioConfigSnippet } from '../snippets';
import { Badge, CopyButton } from './ui';

type SnippetKind = 'http' | 'stdio' | 'sdk';

function snippet(kind: SnippetKind, info: Info): string {
  switch (kind) {
    case 'http':
      return httpConfigSnippet(info);
    case 'stdio':
      return stdioConfigSnippet(info);
    case 'sdk':
      return sdkSnippet(info);
  }
}

const SNIPPETS: Array<{ kind: SnippetKind; label: string; note: string }> = [
  {
    kind: 'http',
    label: 'Streamable HTTP',
    note: 'Client configuration (Claude Desktop, Cursor, VS Code and others) for the HTTP endpoint.',
  },
  {
    kind: 'stdio',
    label: 'stdio',
    note: 'Client configuration that starts this server as a local process, from any working directory; change the path to your checkout.',
  },
  {
    kind: 'sdk',
    label: 'TypeScript SDK',
    note: 'The official MCP TypeScript SDK (v2, @modelcontextprotocol/client), over Streamable HTTP.',
  },
];

export function ServerPanel({
  info,
  health,
  keyInUse,
}: {
  info: Info | undefined;
  health: Health | undefined;
  keyInUse: boolean;
}) {
  const [kind, setKind] = useState<SnippetKind>('http');
  if (!info) {
    return (
      <section class="panel" aria-labelledby="server-heading" aria-busy="true">
        <h2 id="server-heading">Server</h2>
        <p class="muted">Loading…</p>
      </section>
    );
  }
  const current = SNIPPETS.find((s) => s.kind === kind)!;
  const text = snippet(kind, info);
  const healthy = health?.status === 'healthy';
  return (
    <section class="panel" aria-labelledby="server-heading">
      <h2 id="server-heading">Server</h2>
      <dl class="facts" data-testid="server-facts">
        <div>
          <dt>Name</dt>
          <dd>{info.server}</dd>
        </div>
        <div>
          <dt>Id</dt>
          <dd>
            <code>{info.id}</code>
          </dd>
        </div>
        <div>
          <dt>Port</dt>
          <dd>{info.port}</dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd data-testid="health">
            {health ? (
              <Badge tone={healthy ? 'ok' : 'bad'}>{health.status}</Badge>
            ) : (
              <Badge tone="bad">no answer</Badge>
            )}
          </dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd data-testid="database">
            {health ? (
              <Badge tone={health.database === 'connected' ? 'ok' : 'bad'}>{health.database}</Badge>
            ) : (
              '–'
            )}
          </dd>
        </div>
        <div>
          <dt>Version · uptime</dt>
          <dd>
            {info.version} · {formatUptime(info.uptimeSeconds)}
          </dd>
        </div>
      </dl>

      <div class="mcp-url">
        <label for="mcp-url">MCP endpoint (Streamable HTTP)</label>
        <div class="input-row">
          <input id="mcp-url" type="text" readOnly value={info.mcpEndpoint} />
          <CopyButton text={info.mcpEndpoint} label="Copy MCP URL" />
        </div>
      </div>

      <div class="snippets">
        <div role="tablist" aria-label="Client snippets" class="tabs">
          {SNIPPETS.map((s) => (
            <button
              key={s.kind}
              type="button"
              role="tab"
              id={`tab-${s.kind}`}
              aria-selected={s.kind === kind}
              aria-controls="snippet-panel"
              tabIndex={s.kind === kind ? 0 : -1}
              class="tab"
              onClick={() => setKind(s.kind)}
              onKeyDown={(e) => {
                const i = SNIPPETS.findIndex((x) => x.kind === kind);
                const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
                if (!step) return;
                const next = SNIPPETS[(i + step + SNIPPETS.length) % SNIPPETS.length];
                setKind(next.kind);
                document.getElementById(`tab-${next.kind}`)?.focus();
              }}
            >
              {s.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id="snippet-panel" aria-labelledby={`tab-${kind}`} class="code-block">
          <div class="code-head">
            <span>{current.note}</span>
            <CopyButton text={text} label={`Copy ${current.label} snippet`} />
          </div>
          <pre tabIndex={0}>
            <code>{text}</code>
          </pre>
          {keyInUse && kind !== 'stdio' && (
            <p class="hint">
              This server asks for a key: add the header{' '}
              <code>Authorization: Bearer &lt;key&gt;</code> to the client.
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
