import { useEffect, useRef, useState } from 'preact/hooks';
import type { ToolView } from '../mcp-host';

type Host = typeof import('../mcp-host');

/** The MCP Apps host code, loaded when a tool page first needs it (it brings the MCP client). */
let host: Promise<Host> | undefined;
const loadHost = () => (host ??= import('../mcp-host'));

/**
 * The tool's MCP Apps view, rendered with the result of a call as a chat client would show
 * it, in a sandboxed iframe; nothing when the tool has no view.
 */
export function ViewFrame({
  tool,
  args,
  result,
}: {
  tool: string;
  args: Record<string, unknown>;
  result: unknown;
}) {
  const frame = useRef<HTMLIFrameElement>(null);
  // undefined while looking, null when the tool has no view.
  const [view, setView] = useState<ToolView | null>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let gone = false;
    loadHost()
      .then((h) => h.viewOf(tool))
      .then(
        (found) => !gone && setView(found ?? null),
        (err: unknown) => !gone && setProblem((err as Error).message),
      );
    return () => {
      gone = true;
    };
  }, [tool]);

  useEffect(() => {
    if (!view || !frame.current) return;
    let gone = false;
    let dispose: (() => void) | undefined;
    const target = frame.current;
    loadHost()
      .then((h) => h.showView(target, view, args, h.toCallToolResult(result)))
      .then(
        (teardown) => (gone ? teardown() : (dispose = teardown)),
        (err: unknown) => !gone && setProblem((err as Error).message),
      );
    return () => {
      gone = true;
      dispose?.();
    };
  }, [view, args, result]);

  if (problem) {
    return (
      <p class="muted" data-testid="tool-view">
        The tool's view could not be shown: {problem}
      </p>
    );
  }
  // Looked and found none: marked, so that "no view" can be told from "still looking".
  if (view === null) return <span hidden data-testid="tool-view-none" />;
  if (!view) return null;
  return (
    <div class="tool-view" data-testid="tool-view">
      <p class="muted">As an MCP Apps host (a chat client) shows this result:</p>
      <iframe
        ref={frame}
        title={`${tool} view`}
        sandbox="allow-scripts"
        data-testid="tool-view-frame"
      />
    </div>
  );
}
