import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  EXTENSION_ID,
  RESOURCE_MIME_TYPE,
  RESOURCE_URI_META_KEY,
} from '@modelcontextprotocol/ext-apps/server';
import type { McpUiResourceCsp, McpUiResourceMeta } from '@modelcontextprotocol/ext-apps';
import {
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
  type Resource,
} from '@modelcontextprotocol/server';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export { EXTENSION_ID as MCP_APPS_EXTENSION, RESOURCE_MIME_TYPE as MCP_APP_MIME_TYPE };

/** URI scheme of MCP Apps views. */
export const VIEW_URI_PREFIX = 'ui://';

/**
 * An MCP Apps view an app contributes (the `io.modelcontextprotocol/ui` extension): one
 * self-contained HTML document the host renders for the results of the tools it names.
 */
export interface McpAppView {
  /** `ui://<server>/<view>`: what the tools' `_meta.ui.resourceUri` points at. */
  uri: string;
  name: string;
  title: string;
  description: string;
  /** The built HTML document (scripts and styles inlined). */
  file: string;
  /** The tools whose results this view shows. */
  tools: readonly string[];
  /** Origins the view may reach; none (the default) means the host's restrictive policy. */
  csp?: McpUiResourceCsp;
  prefersBorder?: boolean;
}

/**
 * Where `npm run build` puts the view `view` of the app folder `app`:
 * `dist/views/<app>/<view>.html` of the project (found from this file, in the sources or in dist).
 */
export function builtViewFile(app: string, view: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return resolve(dir, 'dist', 'views', app, `${view}.html`);
}

/** Injection token of the views a server's app contributes. */
export const MCP_APP_VIEWS = Symbol('MCP_APP_VIEWS');

/**
 * The views of one server: listed and read as `ui://` resources, linked from their tools'
 * `_meta.ui.resourceUri`. A view's HTML is read once, at first use, from the build output.
 */
@Injectable()
export class McpAppViews {
  private readonly byUri = new Map<string, McpAppView>();
  private readonly byTool = new Map<string, string>();
  private readonly html = new Map<string, string>();

  constructor(@Optional() @Inject(MCP_APP_VIEWS) views: readonly McpAppView[] = []) {
    for (const view of views) {
      if (!view.uri.startsWith(VIEW_URI_PREFIX)) {
        throw new Error(`View ${view.name}: its URI must start with ${VIEW_URI_PREFIX}`);
      }
      this.byUri.set(view.uri, view);
      for (const tool of view.tools) this.byTool.set(tool, view.uri);
    }
  }

  /** Whether this server has views at all (then it advertises the extension). */
  get any(): boolean {
    return this.byUri.size > 0;
  }

  /** The `_meta` a tool carries when a view shows its results, or undefined. */
  toolMeta(toolName: string): Record<string, unknown> | undefined {
    const uri = this.byTool.get(toolName);
    // The flat key is the extension's older spelling, still read by some hosts.
    return uri === undefined
      ? undefined
      : { ui: { resourceUri: uri }, [RESOURCE_URI_META_KEY]: uri };
  }

  /** The views as `resources/list` entries. */
  resources(): Resource[] {
    return [...this.byUri.values()].map((v) => ({
      uri: v.uri,
      name: v.name,
      title: v.title,
      description: v.description,
      mimeType: RESOURCE_MIME_TYPE,
      _meta: { ui: uiMeta(v) },
    }));
  }

  /** Whether `uri` is a view URI (read through {@link read}). */
  owns(uri: string): boolean {
    return uri.startsWith(VIEW_URI_PREFIX);
  }

  /** The `resources/read` answer of a view, or undefined when no view has that URI. */
  read(uri: string): ReadResourceResult | undefined {
    const view = this.byUri.get(uri);
    if (!view) return undefined;
    return {
      contents: [
        { uri, mimeType: RESOURCE_MIME_TYPE, text: this.load(view), _meta: { ui: uiMeta(view) } },
      ],
    };
  }

  private load(view: McpAppView): string {
    let text = this.html.get(view.uri);
    if (text === undefined) {
      try {
        text = readFileSync(view.file, 'utf8');
      } catch {
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          `The view ${view.uri} is not built: run \`npm run build\`, then restart the server`,
        );
      }
      this.html.set(view.uri, text);
    }
    return text;
  }
}

function uiMeta(view: McpAppView): McpUiResourceMeta {
  return {
    // Declared even when empty, so a host need not guess: nothing from any other origin.
    csp: view.csp ?? {
      connectDomains: [],
      resourceDomains: [],
      frameDomains: [],
      baseUriDomains: [],
    },
    ...(view.prefersBorder === undefined ? {} : { prefersBorder: view.prefersBorder }),
  };
}
