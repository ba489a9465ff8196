// Peer: a minimal MCP-Nest (@rekog/mcp-nest) server, MCP in Nest on the official SDK v2:
// an McpStrategy with a stateless Streamable HTTP transport answering in JSON, serving the
// same get_time handler as the project. It is what its README shows, written without
// TypeScript: the decorators (@McpController, @Tool, @Payload, @Module) are applied by hand.
// Usage: node bench/reference-mcp-nest.mjs <port>
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { McpController, McpStrategy, StreamableHttpTransport, Tool } from '@rekog/mcp-nest';
import { z } from 'zod';
import { TimeTool } from '../dist/apps/server-b/src/utility/time/time.tool.js';

const tool = new TimeTool();

class TimeController {
  getTime(args) {
    const result = tool.execute(args);
    return {
      content: [{ type: 'text', text: JSON.stringify(result) }],
      structuredContent: result,
    };
  }
}
Reflect.decorate(
  [
    Tool({
      name: 'get_time',
      description: 'Current time in an IANA time zone',
      parameters: z.strictObject({
        operation: z.enum(['execute', 'convert']).optional(),
        timezone: z.string().max(100).optional(),
        time: z.string().max(64).optional(),
        targetTimezone: z.string().max(100).optional(),
      }),
    }),
    (target, key) => Payload()(target, key, 0),
  ],
  TimeController.prototype,
  'getTime',
  Object.getOwnPropertyDescriptor(TimeController.prototype, 'getTime'),
);
Reflect.decorate([McpController()], TimeController);

class AppModule {}
Reflect.decorate([Module({ controllers: [TimeController] })], AppModule);

const mcp = new McpStrategy({
  name: 'mcp-nest-reference',
  version: '1.0.0',
  transports: [new StreamableHttpTransport({ statefulMode: false, enableJsonResponse: true })],
});

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
mcp.setHttpAdapter(app.getHttpAdapter());
app.connectMicroservice({ strategy: mcp });
app.enableShutdownHooks();
await app.startAllMicroservices();
await app.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
process.send?.({ ready: true });
