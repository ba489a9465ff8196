import type { RegisteredTool } from '@app/tools';

/** URI scheme of the per-tool documentation resources. */
export const TOOL_DOC_URI_PREFIX = 'tool-doc://';

/** The documentation resource URI of a tool. */
export function toolDocUri(name: string): string {
  return `${TOOL_DOC_URI_PREFIX}${encodeURIComponent(name)}`;
}

/** The tool name a documentation URI points at, or undefined when it is not one. */
export function toolNameOfDocUri(uri: string): string | undefined {
  if (!uri.startsWith(TOOL_DOC_URI_PREFIX)) return undefined;
  try {
    return decodeURIComponent(uri.slice(TOOL_DOC_URI_PREFIX.length));
  } catch {
    return undefined;
  }
}

/** A tool's documentation as Markdown: what it does, its parameters and its schemas. */
export function toolDocMarkdown({ record }: RegisteredTool, serverId: string): string {
  const lines = [`# ${record.title ?? record.name}`, '', `Tool \`${record.name}\` of ${serverId}.`];
  lines.push('', record.description, '', '## Parameters', '');
  if (record.parameters.length === 0) lines.push('None.');
  else {
    lines.push('| name | type | required | description |', '|---|---|---|---|');
    for (const p of record.parameters) {
      lines.push(
        `| \`${p.name}\` | ${p.type} | ${p.required ? 'yes' : 'no'} | ${p.description.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`,
      );
    }
  }
  lines.push(
    '',
    '## Input schema',
    '',
    '```json',
    JSON.stringify(record.inputSchema, null, 2),
    '```',
  );
  if (record.outputSchema) {
    lines.push(
      '',
      '## Output schema',
      '',
      '```json',
      JSON.stringify(record.outputSchema, null, 2),
      '```',
    );
  }
  if (record.annotations && Object.keys(record.annotations).length > 0) {
    lines.push(
      '',
      '## Annotations',
      '',
      '```json',
      JSON.stringify(record.annotations, null, 2),
      '```',
    );
  }
  return lines.join('\n') + '\n';
}
