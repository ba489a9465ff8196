import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from '@modelcontextprotocol/ext-apps';
import './view.css';

/** What a view is told by its host: the tool's structured result and the arguments it ran with. */
export interface ViewInput<T> {
  result: T;
  args: Record<string, unknown>;
}

/**
 * Starts an MCP Apps view: connects to the host with ext-apps' `App`, follows the host's
 * theme and styles, and calls `render` with each tool result (again when the theme changes,
 * since charts draw their colours on a canvas). Errors and results without structured
 * content are shown as a message instead.
 */
export function startView<T>(
  name: string,
  render: (root: HTMLElement, input: ViewInput<T>) => void,
): App {
  const root = document.getElementById('view')!;
  const app = new App({ name, version: '1.0.0' }, {}, { autoResize: true });
  let args: Record<string, unknown> = {};
  let last: T | undefined;

  const draw = () => {
    if (last === undefined) return;
    root.replaceChildren();
    render(root, { result: last, args });
  };
  const follow = (context: McpUiHostContext | undefined) => {
    if (!context) return;
    if (context.theme) applyDocumentTheme(context.theme);
    if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
    if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
  };

  app.ontoolinput = (params) => {
    args = params.arguments ?? {};
  };
  app.ontoolresult = (result) => {
    const structured = result.structuredContent as T | undefined;
    if (result.isError || structured === undefined) {
      last = undefined;
      const text = result.content?.find((c) => c.type === 'text');
      message(root, text && 'text' in text ? text.text : 'The tool returned nothing to show.');
      return;
    }
    last = structured;
    draw();
  };
  app.ontoolcancelled = (params) =>
    message(root, `Cancelled${params.reason ? `: ${params.reason}` : ''}.`);
  app.onhostcontextchanged = (changed) => {
    follow(changed);
    if (changed.theme) draw();
  };
  void app.connect().then(() => follow(app.getHostContext()));
  return app;
}

function message(root: HTMLElement, text: string): void {
  const p = document.createElement('p');
  p.className = 'message';
  p.textContent = text;
  root.replaceChildren(p);
}

/** Creates an element with a class and, optionally, text and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** Sets `data-*` attributes on `node` (tests and hosts find values by them) and returns it. */
export function data<T extends HTMLElement>(node: T, entries: Record<string, string>): T {
  Object.entries(entries).forEach(([key, value]) => (node.dataset[key] = value));
  return node;
}
