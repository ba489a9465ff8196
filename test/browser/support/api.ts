/**
 * The REST calls the browser specs make beside the page: to set up what a test needs (its own
 * tools, its own calls) and to check what the page did.
 */

/** The names of the tools `base` lists now, in its order. */
export async function toolNames(base: string): Promise<string[]> {
  const res = await fetch(`${base}/tools`);
  if (!res.ok) throw new Error(`GET ${base}/tools answered ${res.status}`);
  return ((await res.json()) as { tools: { name: string }[] }).tools.map((t) => t.name);
}

/** Registers a tool on `base` through POST /tools; throws unless it was created. */
export async function registerTool(base: string, tool: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${base}/tools`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(tool),
  });
  if (res.status !== 201) {
    throw new Error(`POST ${base}/tools answered ${res.status}: ${await res.text()}`);
  }
}

/** Calls a tool through POST /tools/call and returns the status and the parsed answer. */
export async function callTool<T = Record<string, unknown>>(
  base: string,
  name: string,
  args: Record<string, unknown>,
): Promise<{ status: number; body: { result: T } & Record<string, unknown> }> {
  const res = await fetch(`${base}/tools/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, arguments: args }),
  });
  return { status: res.status, body: (await res.json()) as { result: T } };
}
