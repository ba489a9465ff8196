import { Inject } from '@nestjs/common';
import { Tool, type ToolArguments, type ToolHandler } from '@app/tools';
import { type EchoConfig, echoConfig } from './config/echo.config.js';

/** Server C's one built-in tool: says back what it is given, after its configured prefix. */
@Tool({
  name: 'echo',
  description: 'Says the text back, after the prefix ECHO_PREFIX configures.',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string', maxLength: 200 } },
    required: ['text'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { echoed: { type: 'string' } },
    required: ['echoed'],
  },
})
export class EchoTool implements ToolHandler {
  constructor(@Inject(echoConfig.KEY) private readonly config: EchoConfig) {}

  async execute(args: ToolArguments): Promise<{ echoed: string }> {
    return { echoed: `${this.config.prefix}${String(args.text)}` };
  }
}
