import {
  type CallToolResult,
  Client,
  StreamableHTTPClientTransport,
  type Tool as McpTool,
} from '@modelcontextprotocol/client';
import {
  AppBridge,
  getToolUiResourceUri,
  type McpUiHostContext,
  type McpUiResourceMeta,
  PostMessageTransport,
} from '@modelcontextprotocol/ext-apps/app-bridge';
import { apiUrl } from './api';
import { getKey } from './auth';

/** A tool's MCP Apps view, as its server serves it. */
export interface ToolView {
  tool: McpTool;
  uri: string;
  html: string;
  meta: McpUiResourceMeta;
}

let connection: Promise<Client> | undefined;

/** The console's MCP client of this server's /mcp endpoint (one per page, made on first use). */
function mcpClient(): Promise<Client> {
  connection ??= (async () => {
    const key = getKey();
    const client = new Client({ name: 'mcp-console', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(apiUrl('/mcp')), {
        requestInit: { headers: key ? { authorization: `Bearer ${key}` } : {} },
      }),
    );
    return client;
  })();
  // A failed connection (the server restarting, a key given later) is tried again next time.
  connection.catch(() => (connection = undefined));
  return connection;
}

/**
 * The view of the tool `name`, as a host finds it: `_meta.ui.resourceUri` in `tools/list`,
 * then `resources/read`; undefined when the tool has none.
 */
export async function viewOf(name: string): Promise<ToolView | undefined> {
  const client = await mcpClient();
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === name);
  const uri = tool && getToolUiResourceUri(tool);
  if (!tool || !uri) return undefined;
  const { contents } = await client.readResource({ uri });
  const content = contents.find((c) => c.uri === uri);
  if (!content || !('text' in content)) throw new Error(`${uri} has no HTML`);
  const meta = ((content._meta as { ui?: McpUiResourceMeta } | undefined)?.ui ??
    {}) as McpUiResourceMeta;
  return { tool, uri, html: content.text, meta };
}

const dark = () => window.matchMedia('(prefers-color-scheme: dark)');

function hostContext(tool: McpTool): McpUiHostContext {
  return {
    theme: dark().matches ? 'dark' : 'light',
    platform: 'web',
    displayMode: 'inline',
    availableDisplayModes: ['inline'],
    locale: navigator.language,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    toolInfo: { tool },
  };
}

/** The tool's JSON result as MCP's `tools/call` answers it: the same JSON as text and structured content. */
export function toCallToolResult(result: unknown): CallToolResult {
  const structured =
    typeof result === 'object' && result !== null && !Array.isArray(result)
      ? (result as Record<string, unknown>)
      : undefined;
  return {
    content: [{ type: 'text', text: JSON.stringify(result ?? null) }],
    ...(structured ? { structuredContent: structured } : {}),
  };
}

/**
 * Shows `view` in `frame` as an MCP Apps host does: the frame loads the console's sandbox
 * proxy (an origin of its own), ext-apps' AppBridge hands it the HTML and the view's CSP,
 * then the call's arguments and result; the theme follows the console's, and the frame takes
 * the height the view asks for. Returns what tears it down.
 */
export async function showView(
  frame: HTMLIFrameElement,
  view: ToolView,
  args: Record<string, unknown>,
  result: CallToolResult,
): Promise<() => void> {
  const client = await mcpClient();
  const bridge = new AppBridge(
    client,
    { name: 'MCP console', version: '1.0.0' },
    { serverTools: {}, serverResources: {}, logging: {} },
    { hostContext: hostContext(view.tool) },
  );
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined) frame.style.height = `${Math.ceil(height)}px`;
  };
  bridge.onsandboxready = () => {
    void bridge.sendSandboxResourceReady({ html: view.html, csp: view.meta.csp });
  };
  bridge.oninitialized = () => {
    void bridge.sendToolInput({ arguments: args }).then(() => bridge.sendToolResult(result));
  };
  const onTheme = () => bridge.setHostContext(hostContext(view.tool));
  dark().addEventListener('change', onTheme);
  await bridge.connect(new PostMessageTransport(frame.contentWindow!, frame.contentWindow!));
  frame.src = 'sandbox.html';
  return () => {
    dark().removeEventListener('change', onTheme);
    void bridge
      .teardownResource({}, { timeout: 1000 })
      .catch(() => undefined)
      .finally(() => void bridge.close());
  };
}
